import type { ErrorBody } from '@llb/shared';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireSession } from './auth/require-session';
import type { AppDeps, AppEnv } from './http/env';
import { errorResponse, notFoundResponse } from './http/errors';
import { notifyAfterWrites } from './notifications/trigger';
import { accountRoutes } from './routes/account';
import { authRoutes } from './routes/auth';
import { certificateRoutes, verifyRoutes } from './routes/certificates';
import { cronRoutes } from './routes/cron';
import { healthRoutes } from './routes/health';
import { inboxRoutes } from './routes/inbox';
import { meRoutes } from './routes/me';
import { orderRoutes } from './routes/orders';
import { projectRoutes } from './routes/projects';
import { staffRoutes } from './routes/staff';
import { storeRoutes } from './routes/store';
import { subscriptionRoutes } from './routes/subscriptions';
import { taskRoutes } from './routes/tasks';
import { volunteerRoutes } from './routes/volunteers';

/** The whole HTTP API under /api. Public: health, login and the certificate check; everything else needs a session. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  api.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  api.use(
    '*',
    bodyLimit({
      maxSize: 256 * 1024,
      // The rest of the body is never read, so the connection can't carry another request:
      // say so, and the Node server closes it after this answer instead of leaving the client waiting.
      onError: (c) => {
        c.header('connection', 'close');
        return c.json(
          { error: { code: 'invalid_input', message: '提交的内容太大了' } } satisfies ErrorBody,
          413,
        );
      },
    }),
  );
  api.use('*', notifyAfterWrites(deps));
  api.route('/', healthRoutes);
  api.route('/', authRoutes);
  api.route('/', cronRoutes);
  api.route('/', verifyRoutes);
  api.use('*', requireSession);
  api.route('/', meRoutes);
  api.route('/', accountRoutes);
  api.route('/', inboxRoutes);
  api.route('/', subscriptionRoutes);
  api.route('/', projectRoutes);
  api.route('/', orderRoutes);
  api.route('/', taskRoutes);
  api.route('/', staffRoutes);
  api.route('/', storeRoutes);
  api.route('/', volunteerRoutes);
  api.route('/', certificateRoutes);
  api.notFound(notFoundResponse);
  api.onError(errorResponse);

  const app = new Hono<AppEnv>();
  app.route('/api', api);
  app.notFound(notFoundResponse);
  app.onError(errorResponse);
  return app;
}
