import { loadSmsTemplates, loadWechatTemplates, type SmsTemplates, type WechatTemplates } from './templates';

export interface TencentSmsConfig {
  provider: 'tencent';
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  region: string;
  /** https://sms.tencentcloudapi.com in production; a fake on 127.0.0.1 in tests. */
  apiBase: string;
  templates: SmsTemplates;
}

export interface NotificationConfig {
  /** Subscribe-message templates; null: WeChat deliveries are skipped (inbox only). */
  wechatTemplates: WechatTemplates | null;
  /** SMS provider and templates; null: SMS deliveries are skipped (inbox only). */
  sms: TencentSmsConfig | null;
  /** Tries of one delivery before it is given up (transient errors only). */
  maxAttempts: number;
  /** First retry after this many seconds, doubling each time (capped at an hour). */
  retryBaseSeconds: number;
}

const bounded = (value: string | undefined, fallback: number, min: number, max: number) => {
  const n = Number(value);
  return Number.isFinite(n) && value !== undefined && value !== ''
    ? Math.min(max, Math.max(min, n))
    : fallback;
};

/** Reads the notification settings; refuses a malformed template configuration at startup. */
export function loadNotificationConfig(env: NodeJS.ProcessEnv): NotificationConfig {
  const wechatTemplates = loadWechatTemplates(env);
  const smsTemplates = loadSmsTemplates(env);
  let sms: TencentSmsConfig | null = null;
  const provider = env.SMS_PROVIDER?.trim();
  if (provider) {
    if (provider !== 'tencent') {
      throw new Error(`SMS_PROVIDER 只支持 tencent / SMS_PROVIDER must be tencent, got ${provider}`);
    }
    const missing = [
      'SMS_SECRET_ID',
      'SMS_SECRET_KEY',
      'SMS_SDK_APP_ID',
      'SMS_SIGN_NAME',
      'SMS_TEMPLATES',
    ].filter((name) => !env[name]?.trim() && !(name === 'SMS_TEMPLATES' && env.SMS_TEMPLATES_FILE));
    if (missing.length > 0 || !smsTemplates) {
      throw new Error(
        `短信配置缺少 ${missing.join(', ')} / SMS_PROVIDER=tencent needs ${missing.join(', ')}`,
      );
    }
    sms = {
      provider,
      secretId: env.SMS_SECRET_ID as string,
      secretKey: env.SMS_SECRET_KEY as string,
      sdkAppId: env.SMS_SDK_APP_ID as string,
      signName: env.SMS_SIGN_NAME as string,
      region: env.SMS_REGION || 'ap-guangzhou',
      apiBase: env.SMS_API_BASE || 'https://sms.tencentcloudapi.com',
      templates: smsTemplates,
    };
  }
  return {
    wechatTemplates,
    sms,
    maxAttempts: bounded(env.NOTIFY_MAX_ATTEMPTS, 5, 1, 20),
    retryBaseSeconds: bounded(env.NOTIFY_RETRY_BASE_SECONDS, 30, 0, 3600),
  };
}
