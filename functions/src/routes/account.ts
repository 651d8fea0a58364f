import { AppError } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { parseBody } from '../http/parse';
import { accessTokenFor } from '../wechat/access-token';
import { exchangePhoneCode } from '../wechat/phone-number';

/** The person's own account: the phone number WeChat verified, and 注销. */
export const accountRoutes = new Hono<AppEnv>()
  .post('/me/phone', async (c) => {
    const key = idempotencyKeyOf(c);
    const { code } = await parseBody(c, 'POST /api/me/phone');
    const { db, config } = c.var.deps;
    const actor = c.var.session.userId;
    if (!config.wechat) throw new AppError('conflict', '这里不能用微信手机号，请手动填写');
    // A resend must not spend WeChat's one-time code again: answer as the first time did.
    const earlier = await db.rpc<unknown>('earlier_answer', {
      p_actor: actor,
      p_key: key,
      p_operation: 'set_my_phone',
    });
    if (earlier) return c.json(earlier);
    const phone = await exchangePhoneCode(
      { ...config.wechat, accessToken: accessTokenFor(db, config.wechat) },
      code,
    );
    return c.json(await db.rpc('set_my_phone', { p_actor: actor, p_phone: phone, p_key: key }));
  })
  .delete('/me', async (c) =>
    c.json(
      await c.var.deps.db.rpc('delete_account', {
        p_actor: c.var.session.userId,
        p_key: idempotencyKeyOf(c),
      }),
    ),
  );
