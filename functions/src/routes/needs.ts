import type { NeedView, WishView } from '@llb/shared';
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { uuidParam } from '../http/params';
import { parseBody, parseQuery } from '../http/parse';
import { postNeed } from '../use-cases/post-need';

/** 需求 (post, withdraw, staff review, 社区事务) and 微心愿 (claim, fulfil, confirm, donate, withdraw). */
export const needRoutes = new Hono<AppEnv>()
  .post('/needs', async (c) => {
    const input = await parseBody(c, 'POST /api/needs');
    return c.json(await postNeed(c, input));
  })
  .get('/needs/mine', async (c) =>
    c.json(await c.var.deps.db.rpc<NeedView[]>('list_my_needs', { p_actor: c.var.session.userId })),
  )
  .get('/needs/:needId', async (c) =>
    c.json(
      await c.var.deps.db.rpc<NeedView>('get_need', {
        p_actor: c.var.session.userId,
        p_need_id: uuidParam(c, 'needId'),
      }),
    ),
  )
  .post('/needs/:needId/withdraw', async (c) =>
    c.json(
      await c.var.deps.db.rpc<NeedView>('withdraw_need', {
        p_actor: c.var.session.userId,
        p_need_id: uuidParam(c, 'needId'),
        p_key: idempotencyKeyOf(c),
      }),
    ),
  )
  .get('/staff/communities/:communityId/needs', async (c) => {
    const { status } = parseQuery(c, 'GET /api/staff/communities/:communityId/needs');
    return c.json(
      await c.var.deps.db.rpc<NeedView[]>('list_community_needs', {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
        p_status: status ?? null,
      }),
    );
  })
  .post('/needs/:needId/review', async (c) => {
    const { decision, ...input } = await parseBody(c, 'POST /api/needs/:needId/review');
    return c.json(
      await c.var.deps.db.rpc<NeedView>('review_need', {
        p_actor: c.var.session.userId,
        p_need_id: uuidParam(c, 'needId'),
        p_decision: decision,
        p_input: input,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .post('/cases/:caseId', async (c) => {
    const { status, reply } = await parseBody(c, 'POST /api/cases/:caseId');
    return c.json(
      await c.var.deps.db.rpc<NeedView>('update_case', {
        p_actor: c.var.session.userId,
        p_case_id: uuidParam(c, 'caseId'),
        p_status: status,
        p_reply: reply,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/wishes', async (c) =>
    c.json(await c.var.deps.db.rpc<WishView[]>('list_wishes', { p_actor: c.var.session.userId })),
  )
  .get('/wishes/:wishId', async (c) =>
    c.json(
      await c.var.deps.db.rpc<WishView>('get_wish', {
        p_actor: c.var.session.userId,
        p_wish_id: uuidParam(c, 'wishId'),
      }),
    ),
  )
  .post('/wishes/:wishId/claim', async (c) =>
    c.json(await c.var.deps.db.rpc<WishView>('claim_wish', wishWrite(c))),
  )
  .post('/wishes/:wishId/release', async (c) => {
    const { reason } = await parseBody(c, 'POST /api/wishes/:wishId/release');
    return c.json(await c.var.deps.db.rpc<WishView>('release_wish', { ...wishWrite(c), p_reason: reason }));
  })
  .post('/wishes/:wishId/fulfil', async (c) => {
    const { photoId, note } = await parseBody(c, 'POST /api/wishes/:wishId/fulfil');
    return c.json(
      await c.var.deps.db.rpc<WishView>('fulfil_wish', {
        ...wishWrite(c),
        p_photo_id: photoId,
        p_note: note,
      }),
    );
  })
  .post('/wishes/:wishId/confirm', async (c) => {
    const { rating, comment } = await parseBody(c, 'POST /api/wishes/:wishId/confirm');
    return c.json(
      await c.var.deps.db.rpc<WishView>('confirm_wish', {
        ...wishWrite(c),
        p_rating: rating,
        p_comment: comment,
      }),
    );
  })
  .post('/wishes/:wishId/donate', async (c) => {
    const { amount } = await parseBody(c, 'POST /api/wishes/:wishId/donate');
    return c.json(await c.var.deps.db.rpc<WishView>('donate_to_wish', { ...wishWrite(c), p_amount: amount }));
  })
  .post('/wishes/:wishId/withdraw', async (c) => {
    const { reason } = await parseBody(c, 'POST /api/wishes/:wishId/withdraw');
    return c.json(await c.var.deps.db.rpc<WishView>('withdraw_wish', { ...wishWrite(c), p_reason: reason }));
  });

function wishWrite(c: Context<AppEnv>) {
  return { p_actor: c.var.session.userId, p_wish_id: uuidParam(c, 'wishId'), p_key: idempotencyKeyOf(c) };
}
