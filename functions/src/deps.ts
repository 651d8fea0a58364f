import { loadConfig } from './config';
import { createDbFromEnv } from './db/create-db';
import type { Db } from './db/port';
import type { AppDeps } from './http/env';
import { createStoreFromEnv } from './storage/create-store';
import type { FileStore } from './storage/port';
import { createWechatClient } from './wechat/client';

/** Wires the API's dependencies from the environment; the database can be passed in (dev server, tests). */
export function createDeps(
  env: NodeJS.ProcessEnv = process.env,
  db: Db = createDbFromEnv(env),
  files: FileStore = createStoreFromEnv(env),
): AppDeps {
  const config = loadConfig(env);
  return { db, config, wechat: config.wechat ? createWechatClient(config.wechat) : null, files };
}
