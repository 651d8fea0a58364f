import { AppError } from '@llb/shared';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/env';
import { verifySession } from './session';

/** Rejects requests without a valid `Authorization: Bearer <token>`; the actor comes from the token only. */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new AppError('unauthorized', '请先登录');
  c.set('session', await verifySession(match[1], c.var.deps.config.sessionSecret));
  await next();
});
