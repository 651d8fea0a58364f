import type { OfferView, OrderView, VolunteerSummary } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { uuidParam } from '../http/params';
import { parseBody } from '../http/parse';

/** The volunteer's side: the task hall, their own tasks and their rating totals. */
export const taskRoutes = new Hono<AppEnv>()
  .get('/tasks/hall', async (c) =>
    c.json(await c.var.deps.db.rpc<OrderView[]>('list_task_hall', { p_actor: c.var.session.userId })),
  )
  .get('/tasks/mine', async (c) =>
    c.json(await c.var.deps.db.rpc<OrderView[]>('list_my_tasks', { p_actor: c.var.session.userId })),
  )
  // 派单: orders offered to this volunteer, each with its deadline; accepting goes through /orders/:id/accept.
  .get('/offers/mine', async (c) =>
    c.json(
      await c.var.deps.db.rpc<OfferView[]>('list_my_offers', {
        p_actor: c.var.session.userId,
      }),
    ),
  )
  .post('/offers/:offerId/decline', async (c) => {
    const { reason } = await parseBody(c, 'POST /api/offers/:offerId/decline');
    return c.json(
      await c.var.deps.db.rpc('decline_offer', {
        p_actor: c.var.session.userId,
        p_offer_id: uuidParam(c, 'offerId'),
        p_reason: reason,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/volunteer/summary', async (c) =>
    c.json(
      await c.var.deps.db.rpc<VolunteerSummary>('get_volunteer_summary', { p_actor: c.var.session.userId }),
    ),
  );
