import { createHash } from 'node:crypto';
import { loadNotificationConfig, type NotificationConfig } from './notifications/config';

export interface WechatConfig {
  appId: string;
  appSecret: string;
  apiBase: string;
}

export interface AppConfig {
  isProduction: boolean;
  sessionSecret: string;
  sessionDays: number;
  /** Null when no WeChat credentials are configured (local development). */
  wechat: WechatConfig | null;
  /** Demo identities are offered only without WeChat credentials, and never in production. */
  demoLogin: boolean;
  /** Shared with Vercel Cron to call the scheduled tick; null closes the route. */
  cronSecret: string | null;
  /** How many of the best volunteers an order is offered to at once (1 = exclusive offers). */
  dispatchTopK: number;
  /** Subscribe-message and SMS templates, retries (functions/src/notifications/config.ts). */
  notifications: NotificationConfig;
  /** 32-byte key that encrypts volunteers' ID numbers (AES-256-GCM) before they reach SQL. */
  idNumberKey: Buffer;
  /** Where the h5 site is served (PUBLIC_WEB_URL), for links printed on paper (the certificate's QR code);
   * null: the origin each request came to. */
  publicWebUrl: string | null;
  /** 消息推送's token (WECHAT_PUSH_TOKEN): signs WeChat's pushes (content check verdicts); null closes the endpoint. */
  wechatPushToken: string | null;
}

const DEV_ID_NUMBER_KEY = 'linlibang-dev-only-id-number-key-never-in-production';

/** ID_NUMBER_KEY: 64 hex characters or base64 of 32 bytes; required in production. */
function idNumberKey(env: NodeJS.ProcessEnv, isProduction: boolean): Buffer {
  const raw = env.ID_NUMBER_KEY ?? '';
  if (!raw) {
    if (isProduction) throw new Error('ID_NUMBER_KEY must be set in production (32 bytes, hex or base64)');
    return createHash('sha256').update(DEV_ID_NUMBER_KEY).digest();
  }
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new Error('ID_NUMBER_KEY must be 32 bytes (64 hex characters or base64)');
  return key;
}

const DEV_SESSION_SECRET = 'linlibang-dev-only-secret-never-used-in-production';

/** Reads the API's settings from the environment; refuses unsafe production settings at startup. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const isProduction = env.NODE_ENV === 'production';
  const secret = env.SESSION_SECRET ?? '';
  if (isProduction && secret.length < 32) {
    throw new Error('SESSION_SECRET must be set to at least 32 characters in production');
  }
  const wechat =
    env.WECHAT_APP_ID && env.WECHAT_APP_SECRET
      ? {
          appId: env.WECHAT_APP_ID,
          appSecret: env.WECHAT_APP_SECRET,
          apiBase: env.WECHAT_API_BASE || 'https://api.weixin.qq.com',
        }
      : null;
  return {
    isProduction,
    sessionSecret: secret || DEV_SESSION_SECRET,
    sessionDays: Number(env.SESSION_DAYS) > 0 ? Number(env.SESSION_DAYS) : 30,
    wechat,
    demoLogin: !isProduction && wechat === null,
    cronSecret: env.CRON_SECRET || null,
    dispatchTopK: Math.min(10, Math.max(1, Number(env.DISPATCH_TOP_K) || 1)),
    notifications: loadNotificationConfig(env),
    idNumberKey: idNumberKey(env, isProduction),
    wechatPushToken: env.WECHAT_PUSH_TOKEN || null,
    publicWebUrl: env.PUBLIC_WEB_URL ? new URL(env.PUBLIC_WEB_URL).href.replace(/\/+$/, '') : null,
  };
}
