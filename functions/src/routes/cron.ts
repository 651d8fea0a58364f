import { AppError } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { runTick } from '../use-cases/run-tick';

/** Vercel Cron calls GET with `Authorization: Bearer $CRON_SECRET`; without a secret configured the route is closed. */
export const cronRoutes = new Hono<AppEnv>().get('/cron/tick', async (c) => {
  const secret = c.var.deps.config.cronSecret;
  if (!secret) throw new AppError('not_found', '没有这个接口');
  if (c.req.header('authorization') !== `Bearer ${secret}`)
    throw new AppError('unauthorized', '定时任务凭证不正确');
  return c.json(
    await runTick(c.var.deps.db, new Date(), {
      topK: c.var.deps.config.dispatchTopK,
      files: c.var.deps.files,
    }),
  );
});
