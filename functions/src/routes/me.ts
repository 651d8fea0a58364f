import { type CommunityChoice, type Me, setHomeBody } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { parseJsonBody } from '../http/parse';
import { setHomeCommunity } from '../use-cases/set-home-community';

export const meRoutes = new Hono<AppEnv>()
  .get('/me', async (c) => c.json(await c.var.deps.db.rpc<Me>('get_me', { p_actor: c.var.session.userId })))
  .put('/me/home', async (c) => {
    const input = await parseJsonBody(c, setHomeBody);
    return c.json(await setHomeCommunity(c.var.deps, c.var.session.userId, input));
  })
  .get('/communities', async (c) => c.json(await c.var.deps.db.rpc<CommunityChoice[]>('list_communities')));
