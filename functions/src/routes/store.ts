import {
  adjustInput,
  type Goods,
  goodsInput,
  pickupInput,
  type Redemption,
  redeemInput,
  reverseInput,
  stockInput,
  type VolunteerBalance,
  type Wallet,
} from '@llb/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { transferIdParam, uuidParam } from '../http/params';
import { parseJsonBody, parseWith } from '../http/parse';

const redemptionFilter = z.object({
  status: z.enum(['reserved', 'picked_up', 'cancelled', 'expired'], { error: '兑换状态不正确' }).optional(),
});

/** 积分 and 积分超市: the volunteer's wallet and store, and the staff's goods, pickups and corrections. */
export const storeRoutes = new Hono<AppEnv>()
  .get('/wallet', async (c) =>
    c.json(await c.var.deps.db.rpc<Wallet>('get_wallet', { p_actor: c.var.session.userId })),
  )
  .get('/goods', async (c) =>
    c.json(await c.var.deps.db.rpc<Goods[]>('list_goods', { p_actor: c.var.session.userId })),
  )
  .post('/goods/:goodsId/redeem', async (c) => {
    const { quantity } = await parseJsonBody(c, redeemInput);
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
    const input = await parseJsonBody(c, goodsInput);
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
    const input = { ...(await parseJsonBody(c, goodsInput)), id: uuidParam(c, 'goodsId') };
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
    const { quantity, note } = await parseJsonBody(c, stockInput);
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
    const { status } = parseWith(redemptionFilter, c.req.query());
    return c.json(
      await c.var.deps.db.rpc<Redemption[]>('list_community_redemptions', {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
        p_status: status ?? null,
      }),
    );
  })
  .post('/staff/communities/:communityId/pickups', async (c) => {
    const { code } = await parseJsonBody(c, pickupInput);
    return c.json(
      await c.var.deps.db.rpc<Redemption>('pick_up_redemption', {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
        p_code: code,
        p_key: idempotencyKeyOf(c),
      }),
    );
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
    const { amount, reason } = await parseJsonBody(c, adjustInput);
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
    const { reason } = await parseJsonBody(c, reverseInput);
    return c.json(
      await c.var.deps.db.rpc<{ transferId: number }>('reverse_transfer', {
        p_actor: c.var.session.userId,
        p_transfer_id: transferIdParam(c),
        p_reason: reason,
        p_key: idempotencyKeyOf(c),
      }),
    );
  });
