// WeChat's content security (内容安全) for what residents post: text through
// msgSecCheck version 2 (synchronous, with the poster's openid), images through
// mediaCheckAsync (WeChat fetches the image from a URL we sign, and pushes its
// verdict to our message-push endpoint later: routes/wechat-events.ts).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '@llb/shared';
import type { AccessTokenSource } from './access-token';

export interface ContentSecurityOptions {
  /** https://api.weixin.qq.com in production; a fake server on 127.0.0.1 in tests. */
  apiBase: string;
  accessToken: AccessTokenSource;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type Verdict = 'pass' | 'review' | 'risky';

/** Scenes of msgSecCheck v2: 1 资料, 2 评论, 3 论坛, 4 社交日志. A need is a post: 论坛. */
const FORUM_SCENE = 3;

interface Reply {
  errcode?: number;
  errmsg?: string;
  trace_id?: string;
  result?: { suggest?: string; label?: number };
}

async function post(options: ContentSecurityOptions, path: string, body: object): Promise<Reply> {
  const doFetch = options.fetch ?? fetch;
  const ask = async (token: string): Promise<Reply> => {
    const url = new URL(path, options.apiBase);
    url.searchParams.set('access_token', token);
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return (await response.json()) as Reply;
    } catch (error) {
      throw new AppError('wechat_unavailable', '内容检查暂时不可用，请稍后再发', { cause: error });
    }
  };
  let token = await options.accessToken.get();
  let reply = await ask(token);
  if (reply.errcode === 40001 || reply.errcode === 40014 || reply.errcode === 42001) {
    token = await options.accessToken.get(token);
    reply = await ask(token);
  }
  return reply;
}

function verdictOf(suggest: string | undefined): Verdict {
  return suggest === 'risky' ? 'risky' : suggest === 'review' ? 'review' : 'pass';
}

/** The text's verdict. 61010 (the user has not used the app in the last 2 hours): WeChat won't judge; staff will. */
export async function checkText(
  options: ContentSecurityOptions,
  input: { openid: string; content: string },
): Promise<Verdict> {
  const reply = await post(options, '/wxa/msg_sec_check', {
    version: 2,
    openid: input.openid,
    scene: FORUM_SCENE,
    content: input.content,
  });
  if (reply.errcode === 61010) return 'review';
  if (reply.errcode) {
    throw new AppError('wechat_unavailable', '内容检查暂时不可用，请稍后再发', { cause: reply.errmsg });
  }
  return verdictOf(reply.result?.suggest);
}

/** Starts an image's asynchronous check; its verdict arrives later under the trace id answered. */
export async function startImageCheck(
  options: ContentSecurityOptions,
  input: { openid: string; mediaUrl: string },
): Promise<string> {
  const reply = await post(options, '/wxa/media_check_async', {
    version: 2,
    openid: input.openid,
    scene: FORUM_SCENE,
    media_url: input.mediaUrl,
    media_type: 2,
  });
  if (reply.errcode || !reply.trace_id) {
    throw new AppError('wechat_unavailable', '照片检查暂时不可用，请稍后再发', { cause: reply.errmsg });
  }
  return reply.trace_id;
}

/** The verdict in a wxa_media_check push (JSON format of 消息推送). */
export function mediaVerdictOf(
  push: Reply & { trace_id?: string },
): { traceId: string; verdict: Verdict } | null {
  if (!push.trace_id) return null;
  return { traceId: push.trace_id, verdict: push.errcode ? 'review' : verdictOf(push.result?.suggest) };
}

/** How far a push's timestamp may be from now: a captured signed URL can't be replayed later. */
const PUSH_FRESH_SECONDS = 300;

/** 消息推送's signature: sha1 of the sorted token, timestamp and nonce, from the last few minutes. */
export function pushSignatureValid(
  token: string,
  query: { signature?: string; timestamp?: string; nonce?: string },
  now = Date.now(),
) {
  if (!query.signature || !query.timestamp || !query.nonce) return false;
  if (!(Math.abs(now / 1000 - Number(query.timestamp)) <= PUSH_FRESH_SECONDS)) return false;
  // WeChat signs with a plain sha1 (not an HMAC) of the concatenation.
  const expected = Buffer.from(
    createHash('sha1').update([token, query.timestamp, query.nonce].sort().join('')).digest('hex'),
  );
  const given = Buffer.from(query.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A short-lived link WeChat may fetch one of our photos by, without a session (signed with the session secret). */
export function signMediaLink(secret: string, uploadId: string, expires: number): string {
  return createHmac('sha256', secret).update(`media:${uploadId}:${expires}`).digest('hex');
}

export function mediaLinkValid(
  secret: string,
  uploadId: string,
  expires: number,
  signature: string,
  now = Date.now(),
) {
  if (!(expires * 1000 > now)) return false;
  const expected = Buffer.from(signMediaLink(secret, uploadId, expires));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
