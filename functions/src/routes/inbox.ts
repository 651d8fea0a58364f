import { type InboxView, inboxQuery, markReadBody, type UnreadView } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { parseJsonBody, parseWith } from '../http/parse';

/** 消息: the in-app inbox every notification lands in, with or without WeChat. */
export const inboxRoutes = new Hono<AppEnv>()
  .get('/inbox', async (c) => {
    const { before } = parseWith(inboxQuery, c.req.query());
    return c.json(
      await c.var.deps.db.rpc<InboxView>('list_inbox', {
        p_actor: c.var.session.userId,
        p_before: before ?? null,
      }),
    );
  })
  .get('/inbox/unread', async (c) =>
    c.json(await c.var.deps.db.rpc<UnreadView>('count_unread', { p_actor: c.var.session.userId })),
  )
  .post('/inbox/read', async (c) => {
    const { id } = await parseJsonBody(c, markReadBody);
    return c.json(
      await c.var.deps.db.rpc<UnreadView>('mark_read', {
        p_actor: c.var.session.userId,
        p_id: id ?? null,
        p_key: idempotencyKeyOf(c),
      }),
    );
  });
