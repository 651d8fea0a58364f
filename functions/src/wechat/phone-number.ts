import { AppError } from '@llb/shared';
import type { AccessTokenSource } from './access-token';

export interface PhoneNumberOptions {
  appId: string;
  /** https://api.weixin.qq.com in production; a fake server on 127.0.0.1 in tests. */
  apiBase: string;
  accessToken: AccessTokenSource;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface PhoneNumberReply {
  errcode?: number;
  errmsg?: string;
  phone_info?: {
    purePhoneNumber?: string;
    countryCode?: string;
    watermark?: { appid?: string };
  };
}

/**
 * Exchanges the one-time code of `<button open-type="getPhoneNumber">` for the
 * number WeChat verified (POST /wxa/business/getuserphonenumber). Only mainland
 * numbers (+86) are accepted, and only when WeChat says they were issued to our app.
 */
export async function exchangePhoneCode(options: PhoneNumberOptions, code: string): Promise<string> {
  const url = new URL('/wxa/business/getuserphonenumber', options.apiBase);
  let token = await options.accessToken.get();
  let reply = await askForPhone(options, url, token, code);
  // A token WeChat no longer takes: one fresh one (shared by every instance), once.
  if (reply.errcode === 40001 || reply.errcode === 40014 || reply.errcode === 42001) {
    token = await options.accessToken.get(token);
    reply = await askForPhone(options, url, token, code);
  }
  if (reply.errcode === 40029) throw new AppError('invalid_input', '手机号授权已失效，请再点一次');
  if (reply.errcode === 45011) throw new AppError('rate_limited', '操作太频繁，请稍后再试');
  return phoneOf(options, reply);
}

async function askForPhone(
  options: PhoneNumberOptions,
  base: URL,
  token: string,
  code: string,
): Promise<PhoneNumberReply> {
  const doFetch = options.fetch ?? fetch;
  const url = new URL(base);
  url.searchParams.set('access_token', token);
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    if (!response.ok) throw new Error(`getuserphonenumber answered ${response.status}`);
    return (await response.json()) as PhoneNumberReply;
  } catch (error) {
    throw new AppError('wechat_unavailable', undefined, { cause: error });
  }
}

function phoneOf(options: PhoneNumberOptions, reply: PhoneNumberReply): string {
  const info = reply.phone_info;
  if (reply.errcode || !info?.purePhoneNumber) {
    throw new AppError('wechat_unavailable', undefined, { cause: `${reply.errcode} ${reply.errmsg}` });
  }
  if (info.watermark?.appid && info.watermark.appid !== options.appId) {
    throw new AppError('wechat_unavailable', undefined, { cause: 'watermark of another app' });
  }
  if (info.countryCode && info.countryCode !== '86') {
    throw new AppError('invalid_input', '暂时只支持中国大陆手机号，请手动填写');
  }
  return info.purePhoneNumber;
}
