import { AppError } from '@llb/shared';

export interface WechatClientOptions {
  appId: string;
  appSecret: string;
  /** https://api.weixin.qq.com in production; a fake server on 127.0.0.1 in tests. */
  apiBase: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface WechatIdentity {
  openid: string;
  unionid?: string;
}

export interface WechatClient {
  code2Session(code: string): Promise<WechatIdentity>;
}

interface Code2SessionReply {
  openid?: string;
  unionid?: string;
  session_key?: string;
  errcode?: number;
  errmsg?: string;
}

/** WeChat's server APIs behind one client; every failure becomes an AppError a user can read. */
export function createWechatClient(options: WechatClientOptions): WechatClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;

  async function getJson<T>(path: string, query: Record<string, string>): Promise<T> {
    const url = new URL(path, options.apiBase);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    let response: Response;
    try {
      response = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new AppError('wechat_unavailable', undefined, { cause: error });
    }
    if (!response.ok) throw new AppError('wechat_unavailable', undefined, { cause: response.status });
    // WeChat (or a proxy in front of it) sometimes answers 200 with an HTML page: that is WeChat being down, not us.
    let reply: unknown;
    try {
      reply = await response.json();
    } catch (error) {
      throw new AppError('wechat_unavailable', undefined, { cause: error });
    }
    if (reply === null || typeof reply !== 'object' || Array.isArray(reply)) {
      throw new AppError('wechat_unavailable', undefined, { cause: reply });
    }
    return reply as T;
  }

  return {
    async code2Session(code) {
      const reply = await getJson<Code2SessionReply>('/sns/jscode2session', {
        appid: options.appId,
        secret: options.appSecret,
        js_code: code,
        grant_type: 'authorization_code',
      });
      if (reply.errcode === 40029 || reply.errcode === 40163) {
        throw new AppError('unauthorized', '微信登录凭证已失效，请重新登录');
      }
      if (reply.errcode === 45011) throw new AppError('rate_limited', '登录太频繁，请稍后再试');
      if (reply.errcode || !reply.openid) {
        throw new AppError('wechat_unavailable', undefined, { cause: reply.errmsg });
      }
      // session_key is deliberately dropped here: it is never stored and never sent to the client.
      return reply.unionid ? { openid: reply.openid, unionid: reply.unionid } : { openid: reply.openid };
    },
  };
}
