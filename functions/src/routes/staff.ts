import type { AssignableVolunteer, CommunityOverview, OrderView, ResidentMatch } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { uuidParam } from '../http/params';
import { parseBody, parseQuery } from '../http/parse';

export const staffRoutes = new Hono<AppEnv>()
  .post('/staff/pairs', async (c) => {
    const { residentId, volunteerId } = await parseBody(c, 'POST /api/staff/pairs');
    return c.json(
      await c.var.deps.db.rpc('pair_volunteer', {
        p_actor: c.var.session.userId,
        p_resident_id: residentId,
        p_volunteer_id: volunteerId,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/staff/communities/:communityId/overview', async (c) =>
    c.json(
      await c.var.deps.db.rpc<CommunityOverview>('get_community_overview', {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
      }),
    ),
  )
  .get('/staff/communities/:communityId/orders', async (c) => {
    const { status } = parseQuery(c, 'GET /api/staff/communities/:communityId/orders');
    return c.json(
      await c.var.deps.db.rpc<OrderView[]>('list_community_orders', {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
        p_status: status ?? null,
      }),
    );
  })
  .get('/staff/communities/:communityId/residents', async (c) => {
    const { q } = parseQuery(c, 'GET /api/staff/communities/:communityId/residents');
    return c.json(
      await c.var.deps.db.rpc<ResidentMatch[]>('find_residents', {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
        p_query: q,
      }),
    );
  })
  .get('/staff/orders/:orderId/volunteers', async (c) =>
    c.json(
      await c.var.deps.db.rpc<AssignableVolunteer[]>('list_assignable_volunteers', {
        p_actor: c.var.session.userId,
        p_order_id: uuidParam(c, 'orderId'),
      }),
    ),
  );
