import {
  AppError,
  type ErrorCode,
  type Goods,
  type Redemption,
  type VolunteerBalance,
  type Wallet,
} from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { transferIdParam, uuidParam } from '../http/params';
import { parseBody, parseQuery } from '../http/parse';

/** 积分 and 积分超市: the volunteer's wallet and store, and the staff's goods, pickups and corrections. */
export const storeRoutes = new Hono<AppEnv>()
  .get('/wallet', async (c) =>
    c.json(await c.var.deps.db.rpc<Wallet>('get_wallet', { p_actor: c.var.session.userId })),
  )
  .get('/goods', async (c) =>
    c.json(await c.var.deps.db.rpc<Goods[]>('list_goods', { p_actor: c.var.session.userId })),
  )
  .post('/goods/:goodsId/redeem', async (c) => {
    const { quantity } = await parseBody(c, 'POST /api/goods/:goodsId/redeem');
    const redemption = await c.var.deps.db.rpc<Redemption>('redeem_goods', {
      p_actor: c.var.session.userId,
      p_goods_id: uuidParam(c, 'goodsId'),
      p_quantity: quantity,
      p_key: idempotencyKeyOf(c),
    });
    return c.json(redemption, 201);
  })
  .get('/redemptions/mine', async (c) =>
    c.json(await c.var.deps.db.rpc<Redemption[]>('list_my_redemptions', { p_actor: c.var.session.userId })),
  )
  .post('/redemptions/:redemptionId/cancel', async (c) =>
    c.json(
      await c.var.deps.db.rpc<Redemption>('cancel_redemption', {
        p_actor: c.var.session.userId,
        p_redemption_id: uuidParam(c, 'redemptionId'),
        p_key: idempotencyKeyOf(c),
      }),
    ),
  )
  .get('/staff/communities/:communityId/goods', async (c) =>
    c.json(
      await c.var.deps.db.rpc<Goods[]>('list_community_goods', {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
      }),
    ),
  )
  .post('/goods', async (c) => {
    const input = await parseBody(c, 'POST /api/goods');
    const key = idempotencyKeyOf(c);
    return c.json(
      await c.var.deps.db.rpc<Goods>('save_goods', {
        p_actor: c.var.session.userId,
        p_input: input,
        p_key: key,
      }),
    );
  })
  .put('/goods/:goodsId', async (c) => {
    const input = { ...(await parseBody(c, 'PUT /api/goods/:goodsId')), id: uuidParam(c, 'goodsId') };
    const key = idempotencyKeyOf(c);
    return c.json(
      await c.var.deps.db.rpc<Goods>('save_goods', {
        p_actor: c.var.session.userId,
        p_input: input,
        p_key: key,
      }),
    );
  })
  .post('/goods/:goodsId/stock', async (c) => {
    const { quantity, note } = await parseBody(c, 'POST /api/goods/:goodsId/stock');
    return c.json(
      await c.var.deps.db.rpc<Goods>('add_stock', {
        p_actor: c.var.session.userId,
        p_goods_id: uuidParam(c, 'goodsId'),
        p_quantity: quantity,
        p_note: note,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/staff/communities/:communityId/redemptions', async (c) => {
    const { status } = parseQuery(c, 'GET /api/staff/communities/:communityId/redemptions');
    return c.json(
      await c.var.deps.db.rpc<Redemption[]>('list_community_redemptions', {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
        p_status: status ?? null,
      }),
    );
  })
  .post('/staff/communities/:communityId/pickups', async (c) => {
    const { code } = await parseBody(c, 'POST /api/staff/communities/:communityId/pickups');
    // A wrong code is answered, not raised, in SQL: the count of wrong guesses must survive.
    const reply = await c.var.deps.db.rpc<Redemption | { error: { code: ErrorCode; message: string } }>(
      'pick_up_redemption',
      {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
        p_code: code,
        p_key: idempotencyKeyOf(c),
      },
    );
    if ('error' in reply) throw new AppError(reply.error.code, reply.error.message);
    return c.json(reply);
  })
  .get('/staff/communities/:communityId/volunteers', async (c) =>
    c.json(
      await c.var.deps.db.rpc<VolunteerBalance[]>('list_community_volunteers', {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
      }),
    ),
  )
  .get('/staff/people/:userId/ledger', async (c) =>
    c.json(
      await c.var.deps.db.rpc<Wallet>('get_person_ledger', {
        p_actor: c.var.session.userId,
        p_user_id: uuidParam(c, 'userId'),
      }),
    ),
  )
  .post('/staff/people/:userId/adjustments', async (c) => {
    const { amount, reason } = await parseBody(c, 'POST /api/staff/people/:userId/adjustments');
    return c.json(
      await c.var.deps.db.rpc<{ transferId: number; balance: number }>('adjust_points', {
        p_actor: c.var.session.userId,
        p_user_id: uuidParam(c, 'userId'),
        p_amount: amount,
        p_reason: reason,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .post('/transfers/:transferId/reverse', async (c) => {
    const { reason } = await parseBody(c, 'POST /api/transfers/:transferId/reverse');
    return c.json(
      await c.var.deps.db.rpc<{ transferId: number }>('reverse_transfer', {
        p_actor: c.var.session.userId,
        p_transfer_id: transferIdParam(c),
        p_reason: reason,
        p_key: idempotencyKeyOf(c),
      }),
    );
  });
