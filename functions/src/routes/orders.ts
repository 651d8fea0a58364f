import type { OrderView, PresenceCode } from '@llb/shared';
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { uuidParam } from '../http/params';
import { parseBody } from '../http/parse';
import { recordPresence } from '../use-cases/record-presence';

/** The arguments every order write takes: who acts, on which order, under which idempotency key. */
function orderWrite(c: Context<AppEnv>) {
  return { p_actor: c.var.session.userId, p_order_id: uuidParam(c, 'orderId'), p_key: idempotencyKeyOf(c) };
}

export const orderRoutes = new Hono<AppEnv>()
  .post('/orders', async (c) => {
    const input = await parseBody(c, 'POST /api/orders');
    const order = await c.var.deps.db.rpc<OrderView>('place_order', {
      p_actor: c.var.session.userId,
      p_input: input,
      p_key: idempotencyKeyOf(c),
    });
    return c.json(order, 201);
  })
  .get('/orders/mine', async (c) =>
    c.json(await c.var.deps.db.rpc<OrderView[]>('list_my_orders', { p_actor: c.var.session.userId })),
  )
  .get('/orders/:orderId', async (c) =>
    c.json(
      await c.var.deps.db.rpc<OrderView>('get_order', {
        p_actor: c.var.session.userId,
        p_order_id: uuidParam(c, 'orderId'),
      }),
    ),
  )
  .get('/orders/:orderId/presence-code', async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(
      await c.var.deps.db.rpc<PresenceCode>('get_presence_code', {
        p_actor: c.var.session.userId,
        p_order_id: uuidParam(c, 'orderId'),
      }),
    );
  })
  .post('/orders/:orderId/cancel', async (c) => {
    const { reason } = await parseBody(c, 'POST /api/orders/:orderId/cancel');
    return c.json(await c.var.deps.db.rpc<OrderView>('cancel_order', { ...orderWrite(c), p_reason: reason }));
  })
  .post('/orders/:orderId/accept', async (c) =>
    c.json(await c.var.deps.db.rpc<OrderView>('accept_order', orderWrite(c))),
  )
  .post('/orders/:orderId/release', async (c) => {
    const { reason } = await parseBody(c, 'POST /api/orders/:orderId/release');
    return c.json(
      await c.var.deps.db.rpc<OrderView>('release_order', { ...orderWrite(c), p_reason: reason }),
    );
  })
  .post('/orders/:orderId/assign', async (c) => {
    const { volunteerId } = await parseBody(c, 'POST /api/orders/:orderId/assign');
    return c.json(
      await c.var.deps.db.rpc<OrderView>('assign_order', { ...orderWrite(c), p_volunteer_id: volunteerId }),
    );
  })
  .post('/orders/:orderId/check-in', async (c) => {
    const proof = await parseBody(c, 'POST /api/orders/:orderId/check-in');
    const { p_actor, p_order_id, p_key } = orderWrite(c);
    return c.json(await recordPresence(c.var.deps.db, p_actor, p_order_id, proof, p_key, 'check_in'));
  })
  .post('/orders/:orderId/check-out', async (c) => {
    const proof = await parseBody(c, 'POST /api/orders/:orderId/check-out');
    const { p_actor, p_order_id, p_key } = orderWrite(c);
    return c.json(await recordPresence(c.var.deps.db, p_actor, p_order_id, proof, p_key, 'check_out'));
  })
  .post('/orders/:orderId/staff-presence', async (c) => {
    const { step, note } = await parseBody(c, 'POST /api/orders/:orderId/staff-presence');
    return c.json(
      await c.var.deps.db.rpc<OrderView>('staff_confirm_presence', {
        ...orderWrite(c),
        p_step: step,
        p_note: note,
      }),
    );
  })
  .post('/orders/:orderId/confirm', async (c) => {
    const { rating, tags, comment } = await parseBody(c, 'POST /api/orders/:orderId/confirm');
    return c.json(
      await c.var.deps.db.rpc<OrderView>('confirm_order', {
        ...orderWrite(c),
        p_rating: rating,
        p_tags: tags,
        p_comment: comment,
      }),
    );
  })
  .post('/orders/:orderId/dispute', async (c) => {
    const { reason } = await parseBody(c, 'POST /api/orders/:orderId/dispute');
    return c.json(
      await c.var.deps.db.rpc<OrderView>('dispute_order', { ...orderWrite(c), p_reason: reason }),
    );
  })
  .post('/orders/:orderId/resolve', async (c) => {
    const { outcome, note } = await parseBody(c, 'POST /api/orders/:orderId/resolve');
    return c.json(
      await c.var.deps.db.rpc<OrderView>('resolve_dispute', {
        ...orderWrite(c),
        p_outcome: outcome,
        p_note: note,
      }),
    );
  })
  .post('/orders/:orderId/review', async (c) => {
    const { outcome, note } = await parseBody(c, 'POST /api/orders/:orderId/review');
    return c.json(
      await c.var.deps.db.rpc<OrderView>('review_service', {
        ...orderWrite(c),
        p_outcome: outcome,
        p_note: note,
      }),
    );
  });
