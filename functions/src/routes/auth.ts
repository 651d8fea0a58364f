import type { AuthOptions } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { parseBody } from '../http/parse';
import { listDemoIdentities, loginAsDemo } from '../use-cases/login-as-demo';
import { loginWithWechat } from '../use-cases/login-with-wechat';

export const authRoutes = new Hono<AppEnv>()
  .get('/auth/options', (c) => {
    const { config } = c.var.deps;
    const options: AuthOptions = { wechat: config.wechat !== null, demo: config.demoLogin };
    return c.json(options);
  })
  .post('/auth/wechat', async (c) => {
    const { code } = await parseBody(c, 'POST /api/auth/wechat');
    return c.json(await loginWithWechat(c.var.deps, code));
  })
  .get('/auth/demo-identities', async (c) => c.json(await listDemoIdentities(c.var.deps)))
  .post('/auth/dev', async (c) => {
    const { identity } = await parseBody(c, 'POST /api/auth/dev');
    return c.json(await loginAsDemo(c.var.deps, identity));
  });
