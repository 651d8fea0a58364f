import { type CommunityOverview, communityIdParam } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { parseWith } from '../http/parse';

export const staffRoutes = new Hono<AppEnv>().get('/staff/communities/:communityId/overview', async (c) => {
  const { communityId } = parseWith(communityIdParam, c.req.param());
  const overview = await c.var.deps.db.rpc<CommunityOverview>('get_community_overview', {
    p_actor: c.var.session.userId,
    p_community_id: communityId,
  });
  return c.json(overview);
});
