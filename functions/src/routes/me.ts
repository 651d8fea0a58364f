import type { CommunityChoice, Me } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { parseBody } from '../http/parse';
import { setHomeCommunity } from '../use-cases/set-home-community';

export const meRoutes = new Hono<AppEnv>()
  .get('/me', async (c) => c.json(await c.var.deps.db.rpc<Me>('get_me', { p_actor: c.var.session.userId })))
  .put('/me/home', async (c) => {
    const input = await parseBody(c, 'PUT /api/me/home');
    return c.json(await setHomeCommunity(c.var.deps, c.var.session.userId, input, idempotencyKeyOf(c)));
  })
  .put('/me/preferences', async (c) => {
    const { elderMode } = await parseBody(c, 'PUT /api/me/preferences');
    return c.json(
      await c.var.deps.db.rpc<{ elderMode: boolean }>('set_elder_mode', {
        p_actor: c.var.session.userId,
        p_enabled: elderMode,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/communities', async (c) => c.json(await c.var.deps.db.rpc<CommunityChoice[]>('list_communities')));
