import { AppError } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { uuidParam } from '../http/params';
import { mediaLinkValid, mediaVerdictOf, pushSignatureValid } from '../wechat/content-security';

/**
 * WeChat's side of content checks, no session: the 消息推送 endpoint (its URL check and
 * the wxa_media_check verdicts, signed with WECHAT_PUSH_TOKEN), and the short-lived
 * signed link WeChat fetches a photo under check by.
 */
export const wechatEventRoutes = new Hono<AppEnv>()
  .get('/wechat/events', (c) => {
    const token = c.var.deps.config.wechatPushToken;
    if (!token) throw new AppError('not_found', '没有这个接口');
    if (!pushSignatureValid(token, c.req.query())) throw new AppError('forbidden', '签名不正确');
    return c.text(c.req.query('echostr') ?? '');
  })
  .post('/wechat/events', async (c) => {
    const token = c.var.deps.config.wechatPushToken;
    if (!token) throw new AppError('not_found', '没有这个接口');
    if (!pushSignatureValid(token, c.req.query())) throw new AppError('forbidden', '签名不正确');
    const push = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (push?.Event === 'wxa_media_check') {
      const verdict = mediaVerdictOf(push);
      if (verdict) {
        await c.var.deps.db.rpc('record_media_check', {
          p_trace_id: verdict.traceId,
          p_result: verdict.verdict,
        });
      }
    }
    // WeChat wants this word back, or it pushes again.
    return c.text('success');
  })
  .get('/media/:uploadId', async (c) => {
    const uploadId = uuidParam(c, 'uploadId');
    const expires = Number(c.req.query('e'));
    if (!mediaLinkValid(c.var.deps.config.sessionSecret, uploadId, expires, c.req.query('s') ?? '')) {
      throw new AppError('not_found', '链接已失效');
    }
    const photo = await c.var.deps.db.rpc<{ mime: string; storageKey: string } | null>('media_under_check', {
      p_upload_id: uploadId,
    });
    const bytes = photo ? await c.var.deps.files.get(photo.storageKey) : null;
    if (!photo || !bytes) throw new AppError('not_found', '链接已失效');
    c.header('content-type', photo.mime);
    c.header('cache-control', 'no-store');
    return c.body(new Uint8Array(bytes));
  });
