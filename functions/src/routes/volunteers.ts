import type { ApplyVolunteerRecord, VolunteerApplication, VolunteerSummary } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotencyKeyOf } from '../http/idempotency';
import { uuidParam } from '../http/params';
import { parseBody } from '../http/parse';
import { sealIdNumber } from '../volunteers/id-number';

/** 成为志愿者 and staff's review, suspension and skill certification. */
export const volunteerRoutes = new Hono<AppEnv>()
  .post('/volunteer/application', async (c) => {
    const { idNumber, ...form } = await parseBody(c, 'POST /api/volunteer/application');
    const sealed = sealIdNumber(idNumber, c.var.deps.config.idNumberKey);
    const record: ApplyVolunteerRecord = {
      ...form,
      idNumberCipher: sealed.cipher,
      idNumberMasked: sealed.masked,
    };
    return c.json(
      await c.var.deps.db.rpc<VolunteerApplication>('apply_volunteer', {
        p_actor: c.var.session.userId,
        p_input: record,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/volunteer/application', async (c) =>
    c.json(
      await c.var.deps.db.rpc<VolunteerApplication | null>('get_my_volunteer_application', {
        p_actor: c.var.session.userId,
      }),
    ),
  )
  .post('/volunteer/profile', async (c) => {
    const input = await parseBody(c, 'POST /api/volunteer/profile');
    return c.json(
      await c.var.deps.db.rpc<VolunteerApplication>('update_volunteer_profile', {
        p_actor: c.var.session.userId,
        p_input: input,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .post('/volunteer/pause', async (c) => {
    const { until } = await parseBody(c, 'POST /api/volunteer/pause');
    return c.json(
      await c.var.deps.db.rpc<VolunteerSummary>('set_volunteer_pause', {
        p_actor: c.var.session.userId,
        p_until: until,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .get('/staff/communities/:communityId/applications', async (c) =>
    c.json(
      await c.var.deps.db.rpc<VolunteerApplication[]>('list_volunteer_applications', {
        p_actor: c.var.session.userId,
        p_community_id: uuidParam(c, 'communityId'),
      }),
    ),
  )
  .post('/staff/volunteers/:userId/review', async (c) => {
    const { decision, reason } = await parseBody(c, 'POST /api/staff/volunteers/:userId/review');
    return c.json(
      await c.var.deps.db.rpc<VolunteerApplication>('review_volunteer', {
        p_actor: c.var.session.userId,
        p_user_id: uuidParam(c, 'userId'),
        p_decision: decision,
        p_reason: reason,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .post('/staff/volunteers/:userId/standing', async (c) => {
    const { suspended, reason } = await parseBody(c, 'POST /api/staff/volunteers/:userId/standing');
    return c.json(
      await c.var.deps.db.rpc<VolunteerApplication>('set_volunteer_suspended', {
        p_actor: c.var.session.userId,
        p_user_id: uuidParam(c, 'userId'),
        p_suspended: suspended,
        p_reason: reason,
        p_key: idempotencyKeyOf(c),
      }),
    );
  })
  .post('/staff/volunteers/:userId/skills', async (c) => {
    const { skill, certified, note, proofUrl } = await parseBody(
      c,
      'POST /api/staff/volunteers/:userId/skills',
    );
    return c.json(
      await c.var.deps.db.rpc<VolunteerApplication>('certify_volunteer_skill', {
        p_actor: c.var.session.userId,
        p_user_id: uuidParam(c, 'userId'),
        p_skill_code: skill,
        p_certified: certified,
        p_note: note,
        p_proof_url: proofUrl ?? null,
        p_key: idempotencyKeyOf(c),
      }),
    );
  });
