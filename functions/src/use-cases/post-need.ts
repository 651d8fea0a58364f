import type { NeedView, PostNeedInput } from '@llb/shared';
import { AppError } from '@llb/shared';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { classifyNeed } from '../routing/classify';
import { accessTokenFor } from '../wechat/access-token';
import { checkText, signMediaLink, startImageCheck } from '../wechat/content-security';

/** How long WeChat may take to fetch a photo it was asked to check. */
const MEDIA_LINK_SECONDS = 30 * 60;

/**
 * 我要求助: the routing model suggests a category; with WeChat configured and a
 * WeChat login, the text goes through msgSecCheck (risky: refused here, nothing
 * stored) and each photo through mediaCheckAsync, its verdict arriving later at
 * /api/wechat/events; SQL keeps phone and ID numbers out of public text either way.
 */
export async function postNeed(c: Context<AppEnv>, input: PostNeedInput): Promise<NeedView> {
  const { db, config } = c.var.deps;
  const actor = c.var.session.userId;
  const key = idempotencyKeyOf(c);
  // A resend answers as the first time did, without asking WeChat again (and starting new checks).
  const earlier = await db.rpc<NeedView | null>('earlier_answer', {
    p_actor: actor,
    p_key: key,
    p_operation: 'post_need',
  });
  if (earlier) return earlier;
  const route = classifyNeed(input.body);
  const wechat = config.wechat;
  const openid = wechat ? await db.rpc<string | null>('get_openid', { p_actor: actor }) : null;
  const security = wechat && openid ? { ...wechat, accessToken: accessTokenFor(db, wechat) } : null;
  let contentCheck: 'pass' | 'review' = 'pass';
  if (security && openid) {
    const verdict = await checkText(security, { openid, content: input.body });
    if (verdict === 'risky') {
      throw new AppError('invalid_input', '这段话没有通过内容安全检查，请换个说法再发，或直接打电话给社区');
    }
    contentCheck = verdict;
  }
  const need = await db.rpc<NeedView>('post_need', {
    p_actor: actor,
    p_input: {
      ...input,
      suggestion: { category: route.code, confidence: route.confidence, runnerUp: route.runnerUp.code },
      contentCheck,
      photoCheck: security && input.photoIds.length > 0 ? 'wechat' : 'none',
    },
    p_key: key,
  });
  if (security && openid) {
    const base = config.publicWebUrl ?? new URL(c.req.url).origin;
    const expires = Math.floor(Date.now() / 1000) + MEDIA_LINK_SECONDS;
    for (const photo of need.photos.filter((p) => p.checked === 'pending')) {
      const signature = signMediaLink(config.sessionSecret, photo.id, expires);
      const traceId = await startImageCheck(security, {
        openid,
        mediaUrl: `${base}/api/media/${photo.id}?e=${expires}&s=${signature}`,
      });
      await db.rpc('record_media_trace', { p_need_id: need.id, p_upload_id: photo.id, p_trace_id: traceId });
    }
  }
  return need;
}
