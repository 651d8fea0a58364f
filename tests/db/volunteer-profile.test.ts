// What an approved volunteer changes themselves: skills (a licensed one new or with a
// new proof goes back to certification and out of dispatch), weekly availability and
// radius; and 休息中 until a day: no dispatch offers for services through it.
import type { OrderView, Project, VolunteerApplication, VolunteerSummary } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealIdNumber } from '../../functions/src/volunteers/id-number';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { SEED } from '../support/ids';
import { createResidents, createVolunteers, key, placeOrder, publishProject } from '../support/orders';

const ID_KEY = Buffer.alloc(32, 7);
const REPAIR_PROOF = 'https://example.cn/repair.jpg';

let t: TestDatabase;
let phoneProject: Project;
let repairProject: Project;
let cleaningProject: Project;
beforeAll(async () => {
  t = await createTestDatabase();
  phoneProject = await publishProject(t.db);
  repairProject = await publishProject(t.db, {
    title: '家电上门维修',
    category: 'appliance_repair',
    requiredSkills: ['repair'],
  });
  cleaningProject = await publishProject(t.db, {
    title: '上门保洁',
    category: 'meals_cleaning',
    requiredSkills: ['cleaning'],
  });
});
afterAll(() => t.close());

type SkillInput = { code: string; proofUrl?: string };
const profile = (skills: SkillInput[], overrides: Record<string, unknown> = {}) => ({
  skills: skills.map((s) => ({ proofUrl: '', ...s })),
  availability: [],
  serviceRadiusM: 3000,
  ...overrides,
});
const update = (actor: string, input: Record<string, unknown>, k = key()) =>
  t.db.rpc<VolunteerApplication>('update_volunteer_profile', { p_actor: actor, p_input: input, p_key: k });
const pause = (actor: string, until: string | null, k = key()) =>
  t.db.rpc<VolunteerSummary>('set_volunteer_pause', { p_actor: actor, p_until: until, p_key: k });
const summary = (actor: string) => t.db.rpc<VolunteerSummary>('get_volunteer_summary', { p_actor: actor });

/** A resident who applied (smartphone, and repair with a proof photo); approved unless `approve` is false. */
async function applicant(options: { approve?: boolean; certifyRepair?: boolean } = {}): Promise<string> {
  const [id] = (await createResidents(t.admin, 1)) as [string];
  const sealed = sealIdNumber('11010519491231002X', ID_KEY);
  await t.db.rpc('apply_volunteer', {
    p_actor: id,
    p_key: key(),
    p_input: {
      realName: '资料志愿',
      phone: '13912345678',
      idNumberCipher: sealed.cipher,
      idNumberMasked: sealed.masked,
      skills: [
        { code: 'smartphone', proofUrl: '' },
        { code: 'repair', proofUrl: REPAIR_PROOF },
      ],
      availability: [{ weekday: 6, start: '09:00', end: '12:00' }],
      serviceRadiusM: 3000,
      isPartyMember: false,
      employer: '',
      pledge: true,
    },
  });
  if (options.approve === false) return id;
  await t.db.rpc('review_volunteer', {
    p_actor: SEED.staffZhang,
    p_user_id: id,
    p_decision: 'approve',
    p_reason: '',
    p_key: key(),
  });
  if (options.certifyRepair) await certify(id, 'repair');
  return id;
}

/** Staff certify the proof they see now. */
const certify = async (id: string, skill: string, seen?: string) => {
  const { rows } = await t.admin.query(
    'select proof_url from public.volunteer_skill_claims where user_id = $1 and skill_code = $2',
    [id, skill],
  );
  return t.db.rpc('certify_volunteer_skill', {
    p_actor: SEED.staffZhang,
    p_user_id: id,
    p_skill_code: skill,
    p_certified: true,
    p_note: '',
    p_proof_url: seen ?? rows[0]?.proof_url ?? null,
    p_key: key(),
  });
};

const skillsOf = async (id: string) =>
  (
    await t.admin.query<{ skill_code: string }>(
      'select skill_code from public.volunteer_skills where user_id = $1 order by skill_code',
      [id],
    )
  ).rows.map((r) => r.skill_code);
const claimsOf = async (id: string) =>
  (
    await t.admin.query(
      'select skill_code, status, proof_url from public.volunteer_skill_claims where user_id = $1 order by skill_code',
      [id],
    )
  ).rows;
const claimMessages = async (recipient: string) =>
  (
    await t.admin.query<{ body: string; data: { userId: string } }>(
      "select body, data from public.notifications where recipient_id = $1 and event = 'skill_claim_received' order by id",
      [recipient],
    )
  ).rows;

/** Who dispatch would offer the order to (public.dispatch_candidates), by id. */
const candidates = async (orderId: string) =>
  (
    (
      await t.db.rpc<{ candidates: unknown[][] } | null>('dispatch_candidates', {
        p_order_id: orderId,
        p_now: new Date().toISOString(),
      })
    )?.candidates ?? []
  ).map((c) => c[0] as string);
const wantsOffer = async (volunteer: string, orderId: string) =>
  (
    await t.admin.query('select private.wants_offer($1, o) as w from public.orders o where o.id = $2', [
      volunteer,
      orderId,
    ])
  ).rows[0].w as boolean;

/** A Shanghai day as 'YYYY-MM-DD', `offset` days from today. */
async function day(offset = 0): Promise<string> {
  const { rows } = await t.admin.query(
    `select to_char((now() at time zone 'Asia/Shanghai')::date + $1::int, 'YYYY-MM-DD') as d`,
    [offset],
  );
  return rows[0].d;
}

/** An open order of a fresh resident for 10:00–12:00 (Shanghai) on `date`. */
async function orderOn(projectId: string, date: string): Promise<OrderView> {
  const [resident] = (await createResidents(t.admin, 1)) as [string];
  return placeOrder(t.db, projectId, {
    resident,
    input: { windowStart: `${date}T10:00:00+08:00`, windowEnd: `${date}T12:00:00+08:00` },
  });
}

describe('editing the profile', () => {
  it('is for approved or suspended volunteers only', async () => {
    const pending = await applicant({ approve: false });
    await expectAppError(update(pending, profile([{ code: 'smartphone' }])), 'forbidden', /审核通过后/);
    const [resident] = (await createResidents(t.admin, 1)) as [string];
    await expectAppError(update(resident, profile([{ code: 'smartphone' }])), 'forbidden');
    const id = await applicant();
    expect((await update(id, profile([{ code: 'smartphone' }]))).status).toBe('approved');
    await t.db.rpc('set_volunteer_suspended', {
      p_actor: SEED.staffZhang,
      p_user_id: id,
      p_suspended: true,
      p_reason: '投诉核实中',
      p_key: key(),
    });
    expect((await update(id, profile([{ code: 'cleaning' }]))).status).toBe('suspended');
    expect(await skillsOf(id)).toEqual(['cleaning']);
  });

  it('an unlicensed skill counts at once, and a removed one stops counting for dispatch and for taking orders', async () => {
    const id = await applicant();
    const cleaning = await orderOn(cleaningProject.id, await day(3));
    expect(await candidates(cleaning.id)).not.toContain(id);
    const answer = await update(id, profile([{ code: 'smartphone' }, { code: 'cleaning' }]));
    expect(answer.skills.map((s) => [s.code, s.status])).toEqual([
      ['smartphone', 'certified'],
      ['cleaning', 'certified'],
    ]);
    expect(await skillsOf(id)).toEqual(['cleaning', 'smartphone']);
    expect(await candidates(cleaning.id)).toContain(id);

    await update(id, profile([{ code: 'cleaning' }]));
    expect(await skillsOf(id)).toEqual(['cleaning']);
    expect((await claimsOf(id)).map((c) => c.skill_code)).toEqual(['cleaning']);
    const phone = await orderOn(phoneProject.id, await day(3));
    expect(await candidates(phone.id)).not.toContain(id);
    await expectAppError(
      t.db.rpc('accept_order', { p_actor: id, p_order_id: phone.id, p_key: key() }),
      'not_qualified',
    );
  });

  it('a new licensed skill waits for certification, out of dispatch, and staff of the community are told', async () => {
    const id = await applicant();
    const before = (await claimMessages(SEED.staffZhang)).length;
    await expectAppError(
      update(id, profile([{ code: 'smartphone' }, { code: 'medical' }])),
      'invalid_input',
      /资质证明/,
    );
    expect((await claimsOf(id)).map((c) => c.skill_code)).not.toContain('medical');
    const answer = await update(
      id,
      profile([{ code: 'smartphone' }, { code: 'medical', proofUrl: 'https://example.cn/doctor.jpg' }]),
    );
    expect(answer.skills.find((s) => s.code === 'medical')).toMatchObject({
      licensed: true,
      status: 'pending',
      proofUrl: 'https://example.cn/doctor.jpg',
    });
    expect(await skillsOf(id)).toEqual(['smartphone']);
    const told = await claimMessages(SEED.staffZhang);
    expect(told).toHaveLength(before + 1);
    expect(told.at(-1)).toMatchObject({ body: expect.stringContaining('医疗健康'), data: { userId: id } });
    expect((await claimMessages(SEED.staffWu)).filter((m) => m.data.userId === id)).toEqual([]);
    const { rows } = await t.admin.query(
      "select reason from public.volunteer_status_events where user_id = $1 and action = 'edit_profile' order by id",
      [id],
    );
    expect(rows.at(-1)?.reason).toBe('待认证：医疗健康');
  });

  it('a certified licensed skill stays while its proof is unchanged, and goes back to certification with a new one', async () => {
    const id = await applicant({ certifyRepair: true });
    const repair = await orderOn(repairProject.id, await day(4));
    const flexible = { availability: [] };
    await update(id, profile([{ code: 'smartphone' }, { code: 'repair', proofUrl: REPAIR_PROOF }], flexible));
    expect(await candidates(repair.id)).toContain(id);
    const told = (await claimMessages(SEED.staffZhang)).length;

    // Unchanged: the same proof, or none sent (the one on file stands).
    await update(id, profile([{ code: 'repair', proofUrl: REPAIR_PROOF }, { code: 'smartphone' }], flexible));
    await update(id, profile([{ code: 'repair' }, { code: 'smartphone' }], flexible));
    expect(await claimsOf(id)).toContainEqual({
      skill_code: 'repair',
      status: 'certified',
      proof_url: REPAIR_PROOF,
    });
    expect(await skillsOf(id)).toEqual(['repair', 'smartphone']);
    expect(await claimMessages(SEED.staffZhang)).toHaveLength(told);

    await update(
      id,
      profile(
        [{ code: 'repair', proofUrl: 'https://example.cn/new-licence.jpg' }, { code: 'smartphone' }],
        flexible,
      ),
    );
    expect(await claimsOf(id)).toContainEqual({
      skill_code: 'repair',
      status: 'pending',
      proof_url: 'https://example.cn/new-licence.jpg',
    });
    expect(await skillsOf(id)).toEqual(['smartphone']);
    expect(await candidates(repair.id)).not.toContain(id);
    await expectAppError(
      t.db.rpc('accept_order', { p_actor: id, p_order_id: repair.id, p_key: key() }),
      'not_qualified',
    );
    expect(await claimMessages(SEED.staffZhang)).toHaveLength(told + 1);

    // Staff looked at the old licence: certifying it now would certify the new one unseen.
    await expectAppError(certify(id, 'repair', REPAIR_PROOF), 'conflict', /换过了/);
    expect(await skillsOf(id)).toEqual(['smartphone']);
    await certify(id, 'repair');
    expect(await candidates(repair.id)).toContain(id);
  });

  it('a revoked licensed skill sent again goes back to certification, not straight back to work', async () => {
    const id = await applicant({ certifyRepair: true });
    await t.db.rpc('certify_volunteer_skill', {
      p_actor: SEED.staffZhang,
      p_user_id: id,
      p_skill_code: 'repair',
      p_certified: false,
      p_note: '证书过期',
      p_proof_url: null,
      p_key: key(),
    });
    await update(id, profile([{ code: 'smartphone' }, { code: 'repair', proofUrl: REPAIR_PROOF }]));
    expect(await claimsOf(id)).toContainEqual({
      skill_code: 'repair',
      status: 'pending',
      proof_url: REPAIR_PROOF,
    });
    expect(await skillsOf(id)).toEqual(['smartphone']);
  });

  it('replaces weekly availability and radius', async () => {
    const id = await applicant();
    const answer = await update(
      id,
      profile([{ code: 'smartphone' }], {
        availability: [
          { weekday: 1, start: '09:00', end: '12:00' },
          { weekday: 3, start: '14:00', end: '17:30' },
        ],
        serviceRadiusM: 1500,
      }),
    );
    expect(answer).toMatchObject({
      serviceRadiusM: 1500,
      availability: [
        { weekday: 1, start: '09:00', end: '12:00' },
        { weekday: 3, start: '14:00', end: '17:30' },
      ],
    });
    const { rows } = await t.admin.query(
      `select (select count(*)::int from public.volunteer_availability where user_id = $1) as slots,
              (select service_radius_m from public.volunteer_profiles where user_id = $1) as radius`,
      [id],
    );
    expect(rows[0]).toEqual({ slots: 2, radius: 1500 });
  });

  it('refuses no skills or an unknown one, and a resend answers the same and tells staff once', async () => {
    const id = await applicant();
    await expectAppError(update(id, profile([])), 'invalid_input', /至少选择一项专长/);
    await expectAppError(update(id, profile([{ code: 'juggling' }])), 'invalid_input', /没有这项专长/);
    const before = (await claimMessages(SEED.staffZhang)).length;
    const input = profile([
      { code: 'smartphone' },
      { code: 'legal', proofUrl: 'https://example.cn/lawyer.jpg' },
    ]);
    const k = key();
    const first = await update(id, input, k);
    expect(await update(id, input, k)).toEqual(first);
    expect(await claimMessages(SEED.staffZhang)).toHaveLength(before + 1);
    const { rows } = await t.admin.query(
      "select count(*)::int as n from public.volunteer_status_events where user_id = $1 and action = 'edit_profile'",
      [id],
    );
    expect(rows[0].n).toBe(1);
  });
});

describe('休息中', () => {
  const fresh = async () => (await createVolunteers(t.admin, 1, { prefix: '休息' }))[0] as string;

  it('takes a day from today up to a year ahead; only approved volunteers pause, anyone may resume', async () => {
    const v = await fresh();
    await expectAppError(pause(v, await day(-1)), 'invalid_input', /不能早于今天/);
    await expectAppError(pause(v, await day(366)), 'invalid_input', /最多休息一年/);
    expect((await pause(v, await day(365))).pausedUntil).toBe(await day(365));
    expect((await pause(v, await day(0))).pausedUntil).toBe(await day(0));

    const pending = await applicant({ approve: false });
    await expectAppError(pause(pending, await day(1)), 'forbidden');
    const [resident] = (await createResidents(t.admin, 1)) as [string];
    await expectAppError(pause(resident, await day(1)), 'forbidden');
    await t.db.rpc('set_volunteer_suspended', {
      p_actor: SEED.staffZhang,
      p_user_id: v,
      p_suspended: true,
      p_reason: '投诉核实中',
      p_key: key(),
    });
    await expectAppError(pause(v, await day(3)), 'illegal_transition');
    expect((await pause(v, null)).pausedUntil).toBeNull();
  });

  it('the summary says until when, and offers resume while resting and pause otherwise', async () => {
    const v = await fresh();
    const before = await summary(v);
    expect(before.pausedUntil).toBeNull();
    expect(before.actions).toEqual(['edit_profile', 'pause']);
    const until = await day(7);
    const paused = await pause(v, until);
    expect(paused).toMatchObject({ pausedUntil: until, actions: ['edit_profile', 'resume'] });
    expect(await summary(v)).toEqual(paused);
    expect((await pause(v, null)).actions).toEqual(['edit_profile', 'pause']);
    // Resting until a day that has passed is not resting.
    await t.admin.query(
      "update public.volunteer_profiles set paused_until = (now() at time zone 'Asia/Shanghai')::date - 2 where user_id = $1",
      [v],
    );
    expect((await summary(v)).actions).toEqual(['edit_profile', 'pause']);
    const { rows } = await t.admin.query(
      'select action, reason from public.volunteer_status_events where user_id = $1 order by id',
      [v],
    );
    expect(rows).toEqual([
      { action: 'pause', reason: `休息到 ${until}` },
      { action: 'resume', reason: null },
    ]);
  });

  it('dispatch offers nothing for a service on a day through the rest, and offers later days (candidates and wants_offer agree)', async () => {
    const v = await fresh();
    const d = await day(3);
    const onDay = await orderOn(phoneProject.id, d);
    const dayAfter = await orderOn(phoneProject.id, await day(4));
    const offered = async () => [
      (await candidates(onDay.id)).includes(v),
      await wantsOffer(v, onDay.id),
      (await candidates(dayAfter.id)).includes(v),
      await wantsOffer(v, dayAfter.id),
    ];
    expect(await offered()).toEqual([true, true, true, true]);
    await pause(v, await day(2));
    expect(await offered()).toEqual([true, true, true, true]);
    await pause(v, d);
    expect(await offered()).toEqual([false, false, true, true]);
    await pause(v, null);
    expect(await offered()).toEqual([true, true, true, true]);
  });

  it('withdraws live offers for services in the rest and keeps those after it', async () => {
    const v = await fresh();
    const inRest = await orderOn(phoneProject.id, await day(2));
    const after = await orderOn(phoneProject.id, await day(5));
    for (const o of [inRest, after]) {
      const made = await t.db.rpc<number>('make_offers', {
        p_order_id: o.id,
        p_offers: [{ volunteerId: v, score: 1 }],
        p_now: new Date().toISOString(),
      });
      expect(made).toBe(1);
    }
    await pause(v, await day(3));
    const { rows } = await t.admin.query(
      'select order_id, status, decline_reason from public.dispatch_offers where volunteer_id = $1 order by order_id',
      [v],
    );
    expect(rows).toEqual(
      [
        { order_id: inRest.id, status: 'withdrawn', decline_reason: '志愿者休息中' },
        { order_id: after.id, status: 'pending', decline_reason: null },
      ].sort((a, b) => (a.order_id < b.order_id ? -1 : 1)),
    );
    const offers = await t.db.rpc<{ id: string }[]>('list_my_offers', { p_actor: v });
    expect(offers.map((o) => o.id)).toEqual([after.id]);
  });

  it('makes no offer to a volunteer who started resting after dispatch read its candidates', async () => {
    const v = await fresh();
    const o = await orderOn(phoneProject.id, await day(2));
    expect(await candidates(o.id)).toContain(v); // read by the tick …
    await pause(v, await day(3)); // … the volunteer rests …
    const made = await t.db.rpc<number>('make_offers', {
      p_order_id: o.id,
      p_offers: [{ volunteerId: v, score: 1 }],
      p_now: new Date().toISOString(),
    }); // … and the tick makes its offers.
    expect(made).toBe(0);
  });

  it('still lets a resting volunteer take a task from the hall themselves', async () => {
    const v = await fresh();
    const o = await orderOn(phoneProject.id, await day(2));
    await pause(v, await day(3));
    expect(
      (await t.db.rpc<OrderView>('accept_order', { p_actor: v, p_order_id: o.id, p_key: key() })).status,
    ).toBe('accepted');
  });

  it('a resend answers the same and records one pause', async () => {
    const v = await fresh();
    const k = key();
    const until = await day(5);
    const first = await pause(v, until, k);
    expect(await pause(v, until, k)).toEqual(first);
    const { rows } = await t.admin.query(
      "select count(*)::int as n from public.volunteer_status_events where user_id = $1 and action = 'pause'",
      [v],
    );
    expect(rows[0].n).toBe(1);
  });
});
