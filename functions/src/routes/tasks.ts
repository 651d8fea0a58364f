import type { OrderView, VolunteerSummary } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';

/** The volunteer's side: the task hall, their own tasks and their rating totals. */
export const taskRoutes = new Hono<AppEnv>()
  .get('/tasks/hall', async (c) =>
    c.json(await c.var.deps.db.rpc<OrderView[]>('list_task_hall', { p_actor: c.var.session.userId })),
  )
  .get('/tasks/mine', async (c) =>
    c.json(await c.var.deps.db.rpc<OrderView[]>('list_my_tasks', { p_actor: c.var.session.userId })),
  )
  .get('/volunteer/summary', async (c) =>
    c.json(
      await c.var.deps.db.rpc<VolunteerSummary>('get_volunteer_summary', { p_actor: c.var.session.userId }),
    ),
  );
