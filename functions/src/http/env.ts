import type { SessionClaims } from '@llb/shared';
import type { AppConfig } from '../config';
import type { Db } from '../db/port';
import type { FileStore } from '../storage/port';
import type { WechatClient } from '../wechat/client';

/** What every route can reach: injected once when the app is built, never created inside a route. */
export interface AppDeps {
  db: Db;
  config: AppConfig;
  wechat: WechatClient | null;
  /** Uploaded files' bytes (storage/port.ts). */
  files: FileStore;
}

export interface AppEnv {
  Variables: { deps: AppDeps; session: SessionClaims };
}
