import { AppError } from '@llb/shared';
import { Hono } from 'hono';
import type { WechatConfig } from '../config';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { parseBody } from '../http/parse';
import { exchangePhoneCode } from '../wechat/phone-number';
import { type AccessTokenSource, createStableTokenSource } from '../wechat/stable-token';

// One token cache per configured app (the app is built once per process).
const tokenSources = new WeakMap<WechatConfig, AccessTokenSource>();
function accessTokenFor(wechat: WechatConfig): AccessTokenSource {
  let source = tokenSources.get(wechat);
  if (!source) {
    source = createStableTokenSource(wechat);
    tokenSources.set(wechat, source);
  }
  return source;
}

/** The person's own account: the phone number WeChat verified, and 注销. */
export const accountRoutes = new Hono<AppEnv>()
  .post('/me/phone', async (c) => {
    idempotencyKeyOf(c);
    const { code } = await parseBody(c, 'POST /api/me/phone');
    const { db, config } = c.var.deps;
    if (!config.wechat) throw new AppError('conflict', '这里不能用微信手机号，请手动填写');
    const phone = await exchangePhoneCode(
      { ...config.wechat, accessToken: accessTokenFor(config.wechat) },
      code,
    );
    return c.json(await db.rpc('set_my_phone', { p_actor: c.var.session.userId, p_phone: phone }));
  })
  .delete('/me', async (c) =>
    c.json(
      await c.var.deps.db.rpc('delete_account', {
        p_actor: c.var.session.userId,
        p_key: idempotencyKeyOf(c),
      }),
    ),
  );
