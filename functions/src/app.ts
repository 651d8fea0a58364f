import type { ErrorBody } from '@llb/shared';
import { type Context, Hono } from 'hono';
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
import { needRoutes } from './routes/needs';
import { orderRoutes } from './routes/orders';
import { projectRoutes } from './routes/projects';
import { sessionRoutes } from './routes/sessions';
import { staffRoutes } from './routes/staff';
import { storeRoutes } from './routes/store';
import { subscriptionRoutes } from './routes/subscriptions';
import { taskRoutes } from './routes/tasks';
import { uploadRoutes } from './routes/uploads';
import { volunteerRoutes } from './routes/volunteers';
import { wechatEventRoutes } from './routes/wechat-events';

// The rest of the body is never read, so the connection can't carry another request:
// say so, and the Node server closes it after this answer instead of leaving the client waiting.
function tooLarge(c: Context) {
  c.header('connection', 'close');
  return c.json({ error: { code: 'invalid_input', message: '提交的内容太大了' } } satisfies ErrorBody, 413);
}

/** The whole HTTP API under /api. Public: health, login, the certificate check and WeChat's pushes; everything else needs a session. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  api.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  // A photo may be larger than any form; its size rule (policy upload_max_kb) is SQL's, this only bounds the transport.
  const formLimit = bodyLimit({ maxSize: 256 * 1024, onError: tooLarge });
  const photoLimit = bodyLimit({ maxSize: 5 * 1024 * 1024, onError: tooLarge });
  api.use('*', (c, next) =>
    c.req.method === 'POST' && c.req.path === '/api/uploads' ? photoLimit(c, next) : formLimit(c, next),
  );
  api.use('*', notifyAfterWrites(deps));
  api.route('/', healthRoutes);
  api.route('/', authRoutes);
  api.route('/', cronRoutes);
  api.route('/', verifyRoutes);
  api.route('/', wechatEventRoutes);
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
  api.route('/', uploadRoutes);
  api.route('/', needRoutes);
  api.route('/', sessionRoutes);
  api.notFound(notFoundResponse);
  api.onError(errorResponse);

  const app = new Hono<AppEnv>();
  app.route('/api', api);
  app.notFound(notFoundResponse);
  app.onError(errorResponse);
  return app;
}
