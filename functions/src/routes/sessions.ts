import type { ChildView, SessionProjectView, SessionRosterView } from '@llb/shared';
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { uuidParam } from '../http/params';
import { parseBody } from '../http/parse';

/** 四点半课堂: the menu, staff's schedule and term view, children (我的孩子) and their bookings. */
export const sessionRoutes = new Hono<AppEnv>()
  .get('/sessions', async (c) =>
    c.json(await c.var.deps.db.rpc<SessionProjectView[]>('list_session_menu', { p_actor: actor(c) })),
  )
  .put('/session-projects/:projectId/schedule', async (c) => {
    const input = await parseBody(c, 'PUT /api/session-projects/:projectId/schedule');
    return c.json(
      await c.var.deps.db.rpc<SessionProjectView>('save_session_schedule', {
        p_actor: actor(c),
        p_project_id: uuidParam(c, 'projectId'),
        p_input: input,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/staff/session-projects/:projectId', async (c) =>
    c.json(
      await c.var.deps.db.rpc<SessionProjectView>('get_session_term', {
        p_actor: actor(c),
        p_project_id: uuidParam(c, 'projectId'),
      }),
    ),
  )
  .post('/session-occurrences/:occurrenceId/cancel', async (c) => {
    const { reason } = await parseBody(c, 'POST /api/session-occurrences/:occurrenceId/cancel');
    return c.json(
      await c.var.deps.db.rpc<SessionProjectView>('cancel_session_occurrence', {
        p_actor: actor(c),
        p_occurrence_id: uuidParam(c, 'occurrenceId'),
        p_reason: reason,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/staff/session-occurrences/:occurrenceId/roster', async (c) =>
    c.json(
      await c.var.deps.db.rpc<SessionRosterView>('get_session_roster', {
        p_actor: actor(c),
        p_occurrence_id: uuidParam(c, 'occurrenceId'),
      }),
    ),
  )
  .get('/children', async (c) =>
    c.json(await c.var.deps.db.rpc<ChildView[]>('list_my_children', { p_actor: actor(c) })),
  )
  .post('/children', async (c) => {
    const input = await parseBody(c, 'POST /api/children');
    return c.json(
      await c.var.deps.db.rpc<ChildView>('add_child', {
        p_actor: actor(c),
        p_input: input,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/children/:childId', async (c) =>
    c.json(
      await c.var.deps.db.rpc<ChildView>('get_child', {
        p_actor: actor(c),
        p_child_id: uuidParam(c, 'childId'),
      }),
    ),
  )
  .put('/children/:childId', async (c) => {
    const input = await parseBody(c, 'PUT /api/children/:childId');
    return c.json(await c.var.deps.db.rpc<ChildView>('update_child', { ...childWrite(c), p_input: input }));
  })
  .delete('/children/:childId', async (c) => c.json(await c.var.deps.db.rpc('remove_child', childWrite(c))))
  .post('/children/:childId/bookings', async (c) => {
    const { projectId, plan, occurrenceIds } = await parseBody(c, 'POST /api/children/:childId/bookings');
    return c.json(
      await c.var.deps.db.rpc<ChildView>('book_session', {
        ...childWrite(c),
        p_project_id: projectId,
        // null: every class of the term still open for booking.
        p_occurrence_ids: plan === 'term' ? null : occurrenceIds,
      }),
    );
  })
  .post('/session-bookings/:bookingId/confirm', async (c) =>
    c.json(await c.var.deps.db.rpc<ChildView>('confirm_session_offer', bookingWrite(c))),
  )
  .post('/session-bookings/:bookingId/cancel', async (c) => {
    const { scope } = await parseBody(c, 'POST /api/session-bookings/:bookingId/cancel');
    return c.json(
      await c.var.deps.db.rpc<ChildView>('cancel_session_booking', { ...bookingWrite(c), p_scope: scope }),
    );
  });

function actor(c: Context<AppEnv>): string {
  return c.var.session.userId;
}

function childWrite(c: Context<AppEnv>) {
  return { p_actor: actor(c), p_child_id: uuidParam(c, 'childId'), p_key: idempotencyKeyOf(c) };
}

function bookingWrite(c: Context<AppEnv>) {
  return { p_actor: actor(c), p_booking_id: uuidParam(c, 'bookingId'), p_key: idempotencyKeyOf(c) };
}
