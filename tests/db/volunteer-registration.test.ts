// 成为志愿者: apply, review (approve / reject with a reason / ask for more → apply
// again), suspension sends unstarted tasks back to dispatch, skills are certified
// and revoked, the ID number is stored encrypted and answered masked only.
import type { OrderView, VolunteerApplication } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIdNumber, sealIdNumber } from '../../functions/src/volunteers/id-number';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { SEED } from '../support/ids';
import { createResidents, createVolunteers, key, placeOrder, publishProject } from '../support/orders';

const ID_KEY = Buffer.alloc(32, 7);
const ID_NUMBER = '11010519491231002X';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const answers: unknown[] = [];
async function call<T>(name: string, args: Record<string, unknown>): Promise<T> {
  const answer = await t.db.rpc<T>(name, args);
  answers.push(answer);
  return answer;
}

function form(overrides: Record<string, unknown> = {}) {
  const sealed = sealIdNumber(ID_NUMBER, ID_KEY);
  return {
    realName: '刘志愿',
    phone: '13912345678',
    idNumberCipher: sealed.cipher,
    idNumberMasked: sealed.masked,
    skills: [
      { code: 'smartphone', proofUrl: '' },
      { code: 'repair', proofUrl: 'https://example.cn/proof.jpg' },
    ],
    availability: [{ weekday: 6, start: '09:00', end: '12:00' }],
    serviceRadiusM: 3000,
    isPartyMember: true,
    employer: '区卫健委',
    pledge: true,
    ...overrides,
  };
}

async function applicant(): Promise<string> {
  const [id] = await createResidents(t.admin, 1, SEED.sunshine);
  return id as string;
}
const apply = (actor: string, k = key(), overrides: Record<string, unknown> = {}) =>
  call<VolunteerApplication>('apply_volunteer', { p_actor: actor, p_input: form(overrides), p_key: k });
const review = (userId: string, decision: string, reason = '', actor: string = SEED.staffZhang, k = key()) =>
  call<VolunteerApplication>('review_volunteer', {
    p_actor: actor,
    p_user_id: userId,
    p_decision: decision,
    p_reason: reason,
    p_key: k,
  });
const events = async (recipient: string) =>
  (
    await t.admin.query<{ event: string; body: string }>(
      'select event, body from public.notifications where recipient_id = $1 order by id',
      [recipient],
    )
  ).rows;
const skillsOf = async (id: string) =>
  (
    await t.admin.query<{ skill_code: string }>(
      'select skill_code from public.volunteer_skills where user_id = $1 order by skill_code',
      [id],
    )
  ).rows.map((r) => r.skill_code);

describe('applying and review', () => {
  it('apply → staff see it masked and are told → approve: a volunteer with their unlicensed skills at once', async () => {
    const id = await applicant();
    const mine = await apply(id);
    expect(mine).toMatchObject({ status: 'pending', reviewState: 'pending', phone: '13912345678' });
    expect(mine.idNumberMasked).toBe('1101**********002X');
    expect(await events(SEED.staffZhang)).toContainEqual(
      expect.objectContaining({ event: 'application_received', body: expect.stringContaining('刘志愿') }),
    );
    const list = await call<VolunteerApplication[]>('list_volunteer_applications', {
      p_actor: SEED.staffZhang,
      p_community_id: SEED.sunshine,
    });
    const seen = list.find((a) => a.userId === id);
    expect(seen).toMatchObject({
      phone: '139****5678',
      idNumberMasked: '1101**********002X',
      isPartyMember: true,
    });

    const approved = await review(id, 'approve');
    expect(approved).toMatchObject({ status: 'approved', reviewState: 'approved' });
    expect(await skillsOf(id)).toEqual(['smartphone']); // repair is licensed: waits for certification
    expect(approved.skills.find((s) => s.code === 'repair')).toMatchObject({
      licensed: true,
      status: 'pending',
    });
    const { rows } = await t.admin.query(
      "select 1 from public.user_roles where user_id = $1 and role = 'volunteer' and community_id = $2",
      [id, SEED.sunshine],
    );
    expect(rows).toHaveLength(1);
    expect((await events(id)).map((e) => e.event)).toEqual(['application_approved']);
    await expectAppError(review(id, 'reject', '重复'), 'illegal_transition');
    await expectAppError(apply(id), 'conflict', /已经是志愿者/);
  });

  it('reject needs a reason the applicant sees; applying again puts it back to review', async () => {
    const id = await applicant();
    await apply(id);
    await expectAppError(review(id, 'reject', '  '), 'invalid_input', /原因/);
    const rejected = await review(id, 'reject', '身份信息与户籍不符');
    expect(rejected).toMatchObject({ status: 'rejected', reviewNote: '身份信息与户籍不符' });
    expect(await events(id)).toEqual([{ event: 'application_rejected', body: '原因：身份信息与户籍不符' }]);
    expect(await skillsOf(id)).toEqual([]);
    const again = await apply(id);
    expect(again).toMatchObject({ status: 'pending', reviewState: 'pending', reviewedAt: null });
    expect((await review(id, 'approve')).status).toBe('approved');
  });

  it('ask for more → waits for the applicant → applies again → approve', async () => {
    const id = await applicant();
    await apply(id);
    const asked = await review(id, 'more_info', '请上传电工证正面照片');
    expect(asked).toMatchObject({
      status: 'pending',
      reviewState: 'more_info',
      reviewNote: '请上传电工证正面照片',
    });
    expect((await events(id)).map((e) => e.event)).toEqual(['more_info_needed']);
    await expectAppError(review(id, 'approve'), 'illegal_transition', /补充材料/);
    const mine = await call<VolunteerApplication>('get_my_volunteer_application', { p_actor: id });
    expect(mine.reviewState).toBe('more_info');
    expect((await apply(id)).reviewState).toBe('pending');
    expect((await review(id, 'approve')).status).toBe('approved');
  });

  it('staff of another community, a resident or the applicant themselves cannot review', async () => {
    const id = await applicant();
    await apply(id);
    await expectAppError(review(id, 'approve', '', SEED.staffWu), 'forbidden');
    await expectAppError(review(id, 'approve', '', SEED.residentWang), 'forbidden');
    await expectAppError(review(id, 'approve', '', id), 'forbidden');
    await expectAppError(
      call('list_volunteer_applications', { p_actor: SEED.staffWu, p_community_id: SEED.sunshine }),
      'forbidden',
    );
  });

  it('a resend of a review or an application answers the same and tells nobody twice', async () => {
    const id = await applicant();
    const k = key();
    const first = await apply(id, k);
    expect(await apply(id, k)).toEqual(first);
    const rk = key();
    const reviewed = await review(id, 'reject', '材料不全', SEED.staffZhang, rk);
    expect(await review(id, 'reject', '材料不全', SEED.staffZhang, rk)).toEqual(reviewed);
    expect((await events(id)).map((e) => e.event)).toEqual(['application_rejected']);
    const received = (await events(SEED.staffZhang)).filter((e) => e.body.includes('刘志愿'));
    expect(received.length).toBeGreaterThan(0);
    await expectAppError(review(id, 'approve', '', SEED.staffZhang, rk), 'idempotency_reused');
  });

  it('refuses an application without the pledge, a licensed skill without proof, or without a home community', async () => {
    const id = await applicant();
    await expectAppError(apply(id, key(), { pledge: false }), 'invalid_input', /承诺/);
    await expectAppError(
      apply(id, key(), { skills: [{ code: 'medical', proofUrl: '' }] }),
      'invalid_input',
      /资质证明/,
    );
    const { rows } = await t.admin.query<{ id: string }>(
      "insert into public.users (nickname, real_name, phone) values ('无家', '无家', '13611112222') returning id",
    );
    await expectAppError(apply(rows[0]?.id as string), 'conflict', /所在的社区/);
  });
});

describe('suspension and reinstatement', () => {
  it('sends accepted, unstarted tasks back to dispatch in the same transaction and tells the resident', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, {
      community: SEED.sunshine,
      prefix: '暂停',
    })) as [string];
    const project = await publishProject(t.db);
    const order = await placeOrder(t.db, project.id, { startInMinutes: 3 * 1440 });
    await t.db.rpc<OrderView>('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
    await expectAppError(
      call('set_volunteer_suspended', {
        p_actor: SEED.staffWu,
        p_user_id: volunteer,
        p_suspended: true,
        p_reason: '投诉核实中',
        p_key: key(),
      }),
      'forbidden',
    );
    const k = key();
    const suspend = () =>
      call<VolunteerApplication>('set_volunteer_suspended', {
        p_actor: SEED.staffZhang,
        p_user_id: volunteer,
        p_suspended: true,
        p_reason: '投诉核实中',
        p_key: k,
      });
    expect((await suspend()).status).toBe('suspended');
    expect((await suspend()).status).toBe('suspended'); // a resend
    const { rows } = await t.admin.query('select status, volunteer_id from public.orders where id = $1', [
      order.id,
    ]);
    expect(rows[0]).toEqual({ status: 'open', volunteer_id: null });
    const timeline = await t.admin.query(
      "select actor_role, from_status, to_status from public.order_events where order_id = $1 and action = 'release'",
      [order.id],
    );
    expect(timeline.rows).toEqual([{ actor_role: 'staff', from_status: 'accepted', to_status: 'open' }]);
    expect((await events(SEED.residentWang)).filter((e) => e.body.includes('原来的志愿者'))).toHaveLength(1);
    expect((await events(volunteer)).map((e) => e.event)).toEqual(['volunteer_suspended']);
    // No offers and no accepting while suspended.
    await expectAppError(
      t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() }),
      'not_qualified',
    );
    const reinstated = await call<VolunteerApplication>('set_volunteer_suspended', {
      p_actor: SEED.staffZhang,
      p_user_id: volunteer,
      p_suspended: false,
      p_reason: '核实无误',
      p_key: key(),
    });
    expect(reinstated.status).toBe('approved');
    expect((await events(volunteer)).map((e) => e.event)).toEqual([
      'volunteer_suspended',
      'volunteer_reinstated',
    ]);
    await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
  });
});

describe('skills', () => {
  it('a licensed skill counts for dispatch only once certified, and stops when revoked', async () => {
    const id = await applicant();
    await apply(id);
    await review(id, 'approve');
    const certify = async (certified: boolean, note = '', skill = 'repair') =>
      call<VolunteerApplication>('certify_volunteer_skill', {
        p_actor: SEED.staffZhang,
        p_user_id: id,
        p_skill_code: skill,
        p_certified: certified,
        p_note: note,
        p_proof_url: await proofOf(id, skill),
        p_key: key(),
      });
    await expectAppError(certify(true, '', 'medical'), 'invalid_input', /资质证明/);
    await expectAppError(
      call('certify_volunteer_skill', {
        p_actor: SEED.staffWu,
        p_user_id: id,
        p_skill_code: 'repair',
        p_certified: true,
        p_note: '',
        p_proof_url: await proofOf(id, 'repair'),
        p_key: key(),
      }),
      'forbidden',
    );
    const certified = await certify(true);
    expect(certified.skills.find((s) => s.code === 'repair')?.status).toBe('certified');
    expect(await skillsOf(id)).toEqual(['repair', 'smartphone']);
    expect((await events(id)).map((e) => e.event)).toContain('skill_certified');
    await expectAppError(certify(false, ''), 'invalid_input', /原因/);
    const revoked = await certify(false, '证书过期');
    expect(revoked.skills.find((s) => s.code === 'repair')?.status).toBe('revoked');
    expect(await skillsOf(id)).toEqual(['smartphone']);
  });
});

describe('what staff may do, as the reviewer’s view says', () => {
  const inList = async (id: string) =>
    (
      await call<VolunteerApplication[]>('list_volunteer_applications', {
        p_actor: SEED.staffZhang,
        p_community_id: SEED.sunshine,
      })
    ).find((a) => a.userId === id) as VolunteerApplication;

  it('lists exactly the steps the writes allow, and none in the applicant’s own view', async () => {
    const id = await applicant();
    const mine = await apply(id);
    expect(mine.actions).toEqual([]);
    expect(mine.skills.every((s) => s.actions.length === 0)).toBe(true);
    const pending = await inList(id);
    expect(pending.actions).toEqual(['review']);
    expect(pending.skills.find((s) => s.code === 'repair')?.actions).toEqual(['certify']);
    expect(pending.skills.find((s) => s.code === 'smartphone')?.actions).toEqual([]);

    await review(id, 'more_info', '请补充资质照片');
    expect((await inList(id)).actions).toEqual([]);
    await expectAppError(review(id, 'approve'), 'illegal_transition');

    await apply(id);
    await review(id, 'approve');
    expect((await inList(id)).actions).toEqual(['suspend']);
    await call('set_volunteer_suspended', {
      p_actor: SEED.staffZhang,
      p_user_id: id,
      p_suspended: true,
      p_reason: '暂停核实',
      p_key: key(),
    });
    expect((await inList(id)).actions).toEqual(['reinstate']);
  });
});

describe('the ID number', () => {
  it('is stored encrypted and never answered unmasked, to anyone', async () => {
    const id = await applicant();
    await apply(id);
    await call('get_my_volunteer_application', { p_actor: id });
    const { rows } = await t.admin.query<{ id_number_cipher: string }>(
      'select id_number_cipher from public.volunteer_profiles where user_id = $1',
      [id],
    );
    const stored = rows[0]?.id_number_cipher as string;
    expect(stored).not.toContain(ID_NUMBER);
    expect(openIdNumber(stored, ID_KEY)).toBe(ID_NUMBER);
    expect(() => openIdNumber(stored, Buffer.alloc(32, 8))).toThrow();
    const everything = JSON.stringify(answers);
    expect(everything).not.toContain(ID_NUMBER);
    expect(everything).not.toContain('id_number_cipher');
    expect(everything).not.toContain(stored);
    expect(everything).toContain('1101**********002X');
  });

  it('goes with the account when it is deleted (注销)', async () => {
    const id = await applicant();
    await apply(id);
    await t.db.rpc('delete_account', { p_actor: id, p_key: key() });
    const { rows } = await t.admin.query(
      'select id_number_cipher, id_number_masked, employer from public.volunteer_profiles where user_id = $1',
      [id],
    );
    expect(rows[0]).toEqual({ id_number_cipher: null, id_number_masked: null, employer: null });
  });
});

/** The proof staff are looking at (what they certify). */
async function proofOf(id: string, skill: string): Promise<string | null> {
  const { rows } = await t.admin.query(
    'select proof_url from public.volunteer_skill_claims where user_id = $1 and skill_code = $2',
    [id, skill],
  );
  return rows[0]?.proof_url ?? null;
}
