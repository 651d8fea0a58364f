import { AppError } from '@llb/shared';

export interface StableTokenOptions {
  appId: string;
  appSecret: string;
  /** https://api.weixin.qq.com in production; a fake server on 127.0.0.1 in tests. */
  apiBase: string;
  /** Renew this long before WeChat's expiry (default 5 minutes). */
  marginSeconds?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Gives a valid access token, fetching a new one only when the cached one is about to expire. */
export type AccessTokenSource = () => Promise<string>;

interface StableTokenReply {
  access_token?: string;
  expires_in?: number;
  errcode?: number;
  errmsg?: string;
}

/**
 * WeChat's stable access token (POST /cgi-bin/stable_token, normal mode: never
 * force_refresh), cached in this process's memory until `marginSeconds` before it
 * expires. Concurrent callers share one request. Serverless instances each keep
 * their own copy: a database cache shared by all instances should replace this.
 */
export function createStableTokenSource(options: StableTokenOptions): AccessTokenSource {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const marginMs = (options.marginSeconds ?? 300) * 1000;
  let cached: { token: string; renewAt: number } | null = null;
  let pending: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    let reply: StableTokenReply;
    try {
      const response = await doFetch(new URL('/cgi-bin/stable_token', options.apiBase), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credential',
          appid: options.appId,
          secret: options.appSecret,
        }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      if (!response.ok) throw new Error(`stable_token answered ${response.status}`);
      reply = (await response.json()) as StableTokenReply;
    } catch (error) {
      throw new AppError('wechat_unavailable', undefined, { cause: error });
    }
    if (reply.errcode || !reply.access_token || !reply.expires_in) {
      throw new AppError('wechat_unavailable', undefined, { cause: `${reply.errcode} ${reply.errmsg}` });
    }
    cached = { token: reply.access_token, renewAt: now() + reply.expires_in * 1000 - marginMs };
    return reply.access_token;
  }

  return () => {
    if (cached && now() < cached.renewAt) return Promise.resolve(cached.token);
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  };
}
