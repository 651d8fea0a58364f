import type { Project, SkillOption } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { uuidParam } from '../http/params';
import { parseBody } from '../http/parse';

export const projectRoutes = new Hono<AppEnv>()
  .get('/skills', async (c) => c.json(await c.var.deps.db.rpc<SkillOption[]>('list_skills')))
  .get('/menu', async (c) =>
    c.json(await c.var.deps.db.rpc<Project[]>('list_menu', { p_actor: c.var.session.userId })),
  )
  // 代下单: the menu of the resident who phoned, as staff of their community see it.
  .get('/staff/residents/:residentId/menu', async (c) =>
    c.json(
      await c.var.deps.db.rpc<Project[]>('list_menu', {
        p_actor: c.var.session.userId,
        p_resident_id: uuidParam(c, 'residentId'),
      }),
    ),
  )
  .get('/projects/:projectId', async (c) =>
    c.json(
      await c.var.deps.db.rpc<Project>('get_project', {
        p_actor: c.var.session.userId,
        p_project_id: uuidParam(c, 'projectId'),
      }),
    ),
  )
  .get('/staff/communities/:communityId/projects', async (c) =>
    c.json(
      await c.var.deps.db.rpc<Project[]>('list_projects', {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
      }),
    ),
  )
  .post('/projects', async (c) => {
    const input = await parseBody(c, 'POST /api/projects');
    const key = idempotencyKeyOf(c);
    return c.json(
      await c.var.deps.db.rpc<Project>('save_project', {
        p_actor: c.var.session.userId,
        p_input: input,
        p_key: key,
      }),
    );
  })
  .put('/projects/:projectId', async (c) => {
    const input = { ...(await parseBody(c, 'PUT /api/projects/:projectId')), id: uuidParam(c, 'projectId') };
    const key = idempotencyKeyOf(c);
    return c.json(
      await c.var.deps.db.rpc<Project>('save_project', {
        p_actor: c.var.session.userId,
        p_input: input,
        p_key: key,
      }),
    );
  })
  .post('/projects/:projectId/status', async (c) => {
    const { action } = await parseBody(c, 'POST /api/projects/:projectId/status');
    const project = await c.var.deps.db.rpc<Project>('change_project_status', {
      p_actor: c.var.session.userId,
      p_project_id: uuidParam(c, 'projectId'),
      p_action: action,
      p_key: idempotencyKeyOf(c),
    });
    return c.json(project);
  });
