import { subscriptionResultsBody } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { parseJsonBody } from '../http/parse';
import { tapTemplateIds } from '../notifications/templates';

/**
 * 订阅消息: the app asks wx.requestSubscribeMessage at natural taps (placing an
 * order, opening offers) for the template ids GET …/templates names, and reports
 * the answers here: each accept of a configured template is one sending credit.
 */
export const subscriptionRoutes = new Hono<AppEnv>()
  .get('/me/subscriptions/templates', (c) =>
    c.json(tapTemplateIds(c.var.deps.config.notifications.wechatTemplates)),
  )
  .post('/me/subscriptions', async (c) => {
    const { results } = await parseJsonBody(c, subscriptionResultsBody);
    const known = new Set(
      Object.values(c.var.deps.config.notifications.wechatTemplates?.events ?? {}).map((t) => t.templateId),
    );
    // Only templates this deployment sends with earn credits; anything else is ignored.
    const configured = Object.fromEntries(Object.entries(results).filter(([id]) => known.has(id)));
    return c.json(
      await c.var.deps.db.rpc<{ credits: Record<string, number> }>('add_subscription_credits', {
        p_actor: c.var.session.userId,
        p_results: configured,
        p_key: idempotencyKeyOf(c),
      }),
    );
  });
