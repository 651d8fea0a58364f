import { type CommunityChoice, type Me, preferencesBody, setHomeBody } from '@llb/shared';
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
  .put('/me/preferences', async (c) => {
    const { elderMode } = await parseJsonBody(c, preferencesBody);
    return c.json(
      await c.var.deps.db.rpc<{ elderMode: boolean }>('set_elder_mode', {
        p_actor: c.var.session.userId,
        p_enabled: elderMode,
      }),
    );
  })
  .get('/communities', async (c) => c.json(await c.var.deps.db.rpc<CommunityChoice[]>('list_communities')));
