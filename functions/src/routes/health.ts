import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { checkHealth } from '../use-cases/check-health';

export const healthRoutes = new Hono<AppEnv>().get('/health', async (c) => {
  const health = await checkHealth(c.var.deps.db);
  c.header('cache-control', 'no-store');
  return c.json(health, health.ok ? 200 : 503);
});
