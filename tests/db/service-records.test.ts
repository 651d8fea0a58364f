// 志愿服务记录 (民政部令第67号) and 志愿服务证明: one append-only record per confirmed
// service, corrections as new records naming the one they correct, certificates for a
// period with a public check; and presence confirmed by staff who phoned the resident,
// a third proof counted apart.
import type { OrderView, Project } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { OTHER_STREET, SEED } from '../support/ids';
import {
  checkIn,
  checkOut,
  createResidents,
  createVolunteers,
  key,
  moveWindow,
  placeOrder,
  presenceByCode,
  presenceCode,
  publishProject,
  serviceLasted,
} from '../support/orders';

let t: TestDatabase;
let project: Project;
beforeAll(async () => {
  t = await createTestDatabase();
  project = await publishProject(t.db, { pointsPerHour: 30 });
});
afterAll(() => t.close());

interface RecordView {
  id: number;
  orderId: string | null;
  volunteerId: string;
  volunteerName: string;
  servedOn: string;
  startedAt: string | null;
  endedAt: string | null;
  projectTitle: string;
  content: string;
  place: string;
  minutes: number;
  communityId: string;
  communityName: string;
  recordedBy: string;
  staffConfirmedPresence: boolean;
  correctsId: number | null;
  correctionReason: string | null;
  correctedById: number | null;
  effective: boolean;
  actions: string[];
}
interface RecordList {
  volunteerId: string;
  volunteerName: string;
  totalMinutes: number;
  count: number;
  records: RecordView[];
}
interface Certificate {
  id: string;
  serial: string;
  verifyCode: string;
  volunteerId: string;
  volunteerName: string;
  volunteerNumber: string;
  periodStart: string;
  periodEnd: string;
  totalMinutes: number;
  serviceCount: number;
  issuer: { id: string; name: string; streetName: string; address: string; phone: string };
  handlerName: string;
  valid: boolean;
  records?: RecordView[];
}

/** A Shanghai day as 'YYYY-MM-DD', `offset` days from today, as SQL counts it. */
async function day(offset = 0): Promise<string> {
  const { rows } = await t.admin.query(
    `select to_char((now() at time zone 'Asia/Shanghai')::date + $1::int, 'YYYY-MM-DD') as d`,
    [offset],
  );
  return rows[0].d;
}

/** Approved volunteers (smartphone) who may take up to 10 tasks a day: these tests serve several at once. */
async function volunteers(count: number, prefix: string): Promise<string[]> {
  const ids = await createVolunteers(t.admin, count, { prefix });
  await t.admin.query('update public.volunteer_profiles set daily_cap = 10 where user_id = any($1::uuid[])', [
    ids,
  ]);
  return ids;
}

/** An order of a fresh resident accepted by `volunteer` (a fresh one if not given). */
async function accepted(options: { volunteer?: string; startInMinutes?: number } = {}) {
  const volunteer = options.volunteer ?? ((await volunteers(1, '记录'))[0] as string);
  const [resident] = (await createResidents(t.admin, 1)) as [string];
  const order = await placeOrder(t.db, project.id, { resident, startInMinutes: options.startInMinutes });
  await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
  return { id: order.id, volunteer, resident };
}

/** A service of `minutes`, completed; served on `servedOn` (a Shanghai day) when given. */
async function completed(options: { volunteer?: string; minutes?: number; servedOn?: string } = {}) {
  const o = await accepted({ volunteer: options.volunteer });
  await checkIn(t, o.id, o.volunteer);
  await checkOut(t, o.id, o.volunteer, { minutes: options.minutes ?? 60 });
  if (options.servedOn) {
    await t.admin.query(
      `update public.orders set checked_in_at = ($2::date + time '10:00') at time zone 'Asia/Shanghai',
         checked_out_at = ($2::date + time '10:00') at time zone 'Asia/Shanghai' + make_interval(mins => service_minutes)
       where id = $1`,
      [o.id, options.servedOn],
    );
  }
  return o;
}

const confirm = (o: { id: string; resident: string }, rating = 2) =>
  t.db.rpc<OrderView>('confirm_order', {
    p_actor: o.resident,
    p_order_id: o.id,
    p_rating: rating,
    p_tags: [],
    p_comment: '',
    p_key: key(),
  });

/** A confirmed service (rated 好 by the resident). */
async function served(options: { volunteer?: string; minutes?: number; servedOn?: string } = {}) {
  const o = await completed(options);
  await confirm(o);
  return o;
}

const records = (
  actor: string,
  volunteer: string | null = null,
  from: string | null = null,
  to: string | null = null,
) =>
  t.db.rpc<RecordList>('list_service_records', {
    p_actor: actor,
    p_volunteer_id: volunteer,
    p_from: from,
    p_to: to,
  });

const recordOf = async (orderId: string, volunteer: string) =>
  (await records(volunteer)).records.find(
    (r) => r.orderId === orderId && r.correctsId === null,
  ) as RecordView;

const correct = (
  actor: string,
  recordId: number,
  minutes: number,
  reason = '核对签到记录后更正',
  k = key(),
) =>
  t.db.rpc<RecordView>('correct_service_record', {
    p_actor: actor,
    p_record_id: recordId,
    p_minutes: minutes,
    p_reason: reason,
    p_key: k,
  });

const issue = (actor: string, volunteer: string | null, from: string, to: string, k = key()) =>
  t.db.rpc<Certificate>('issue_service_certificate', {
    p_actor: actor,
    p_volunteer_id: volunteer,
    p_from: from,
    p_to: to,
    p_key: k,
  });

const events = async (recipient: string, event: string) =>
  (
    await t.admin.query<{ body: string; data: Record<string, unknown> }>(
      'select body, data from public.notifications where recipient_id = $1 and event = $2 order by id',
      [recipient, event],
    )
  ).rows;

/** 'ok' or the AppError code of each settled promise. */
const outcomes = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) =>
    r.status === 'fulfilled' ? 'ok' : ((r.reason as { code?: string }).code ?? String(r.reason)),
  );

describe('the official record of a confirmed service', () => {
  it('states who, what, where (never the resident’s address), when, how long and who recorded it', async () => {
    const o = await completed({ minutes: 75 });
    const { rows } = await t.admin.query(
      `select u.real_name, u.address, o.checked_in_at, o.checked_out_at,
              to_char(o.checked_in_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day
       from public.orders o, public.users u where o.id = $1 and u.id = $2`,
      [o.id, o.volunteer],
    );
    const [{ address }] = (
      await t.admin.query('select address from public.users where id = $1', [o.resident])
    ).rows as [{ address: string }];
    await confirm(o, 3);
    const list = await records(o.volunteer);
    expect(list.records).toHaveLength(1);
    expect(list.records[0]).toMatchObject({
      orderId: o.id,
      volunteerId: o.volunteer,
      volunteerName: rows[0].real_name,
      servedOn: rows[0].day,
      projectTitle: '手机使用上门教学',
      content: '智慧助老·上门服务',
      place: '阳光社区 居民家中',
      minutes: 75,
      communityId: SEED.sunshine,
      communityName: '阳光社区',
      recordedBy: '居民确认',
      staffConfirmedPresence: false,
      correctsId: null,
      correctionReason: null,
      correctedById: null,
      effective: true,
      actions: [],
    });
    expect(new Date(list.records[0]?.startedAt as string).getTime()).toBe(rows[0].checked_in_at.getTime());
    expect(new Date(list.records[0]?.endedAt as string).getTime()).toBe(rows[0].checked_out_at.getTime());
    expect(list).toMatchObject({ totalMinutes: 75, count: 1, volunteerName: rows[0].real_name });
    expect(JSON.stringify(list)).not.toContain(address);
    expect(JSON.stringify(list)).not.toContain('阳光小区');
  });

  it('is written once per order, however often the service is credited again', async () => {
    const o = await served();
    await t.admin.query('select private.credit_service($1)', [o.id]);
    await t.db.rpc('tick', { p_now: new Date(Date.now() + 60_000).toISOString() });
    const { rows } = await t.admin.query(
      `select (select count(*)::int from public.service_records where order_id = $1) as records,
              (select balance::int from public.point_accounts where user_id = $2) as balance`,
      [o.id, o.volunteer],
    );
    expect(rows[0]).toEqual({ records: 1, balance: 30 });
  });

  it('says who recorded it: the tick (系统自动确认), staff upholding a dispute, staff approving a short service', async () => {
    const auto = await completed();
    await t.admin.query("update public.orders set completed_at = now() - interval '49 hours' where id = $1", [
      auto.id,
    ]);
    await t.db.rpc('tick', { p_now: new Date().toISOString() });
    expect((await recordOf(auto.id, auto.volunteer)).recordedBy).toBe('系统自动确认');

    const disputed = await completed();
    await t.db.rpc('dispute_order', {
      p_actor: disputed.resident,
      p_order_id: disputed.id,
      p_reason: '时间不对',
      p_key: key(),
    });
    await t.db.rpc('resolve_dispute', {
      p_actor: SEED.staffZhang,
      p_order_id: disputed.id,
      p_outcome: 'uphold',
      p_note: '电话回访，服务属实',
      p_key: key(),
    });
    expect((await recordOf(disputed.id, disputed.volunteer)).recordedBy).toBe(
      '社区工作人员 张红梅（异议核实）',
    );

    const short = await completed({ minutes: 10 });
    await confirm(short);
    expect((await records(short.volunteer)).records).toEqual([]); // held for review: no record yet
    await t.db.rpc('review_service', {
      p_actor: SEED.staffZhang,
      p_order_id: short.id,
      p_outcome: 'approve',
      p_note: '居民说明提前完成',
      p_key: key(),
    });
    expect(await recordOf(short.id, short.volunteer)).toMatchObject({
      minutes: 10,
      recordedBy: '社区工作人员 张红梅（核实）',
    });
  });

  it('can be neither changed nor deleted, even by a superuser', async () => {
    const o = await served();
    const record = await recordOf(o.id, o.volunteer);
    await expect(
      t.admin.query('update public.service_records set minutes = 600 where id = $1', [record.id]),
    ).rejects.toThrow(/illegal_transition/);
    await expect(
      t.admin.query('delete from public.service_records where id = $1', [record.id]),
    ).rejects.toThrow(/illegal_transition/);
    expect((await recordOf(o.id, o.volunteer)).minutes).toBe(60);
  });

  it('is corrected to zero by a new record when staff void a disputed service, and stops counting', async () => {
    const o = await served();
    const original = await recordOf(o.id, o.volunteer);
    await t.db.rpc('dispute_order', {
      p_actor: o.resident,
      p_order_id: o.id,
      p_reason: '没来过',
      p_key: key(),
    });
    await t.db.rpc('resolve_dispute', {
      p_actor: SEED.staffZhang,
      p_order_id: o.id,
      p_outcome: 'void',
      p_note: '回访核实未服务',
      p_key: key(),
    });
    const list = await records(o.volunteer);
    expect(list).toMatchObject({ totalMinutes: 0, count: 0 });
    const correction = list.records.find((r) => r.correctsId === original.id);
    expect(correction).toMatchObject({
      orderId: o.id,
      minutes: 0,
      correctionReason: '异议核实：服务作废',
      recordedBy: '社区工作人员 张红梅',
      effective: true,
    });
    expect(list.records.find((r) => r.id === original.id)).toMatchObject({
      minutes: 60,
      effective: false,
      correctedById: correction?.id,
    });
  });
});

describe('who reads a volunteer’s records', () => {
  it('the volunteer and staff of their community (or its street admin); anyone else is told nothing exists', async () => {
    const o = await served();
    expect((await records(o.volunteer)).count).toBe(1);
    expect((await records(SEED.staffZhang, o.volunteer)).count).toBe(1);
    expect((await records(SEED.adminHuang, o.volunteer)).count).toBe(1);
    for (const stranger of [
      SEED.staffWu,
      OTHER_STREET.adminLin,
      OTHER_STREET.staffHe,
      o.resident,
      SEED.volunteerLi,
    ]) {
      await expectAppError(records(stranger, o.volunteer), 'not_found', /没有找到这位志愿者/);
    }
    await expectAppError(records(o.resident), 'not_found', /您还不是志愿者/);
  });

  it('filters by the day served, inclusive, and refuses a period that ends before it starts', async () => {
    const [volunteer] = (await volunteers(1, '时段')) as [string];
    const [d40, d10, d0] = [await day(-40), await day(-10), await day(0)];
    await served({ volunteer, servedOn: d40, minutes: 30 });
    await served({ volunteer, servedOn: d10, minutes: 45 });
    await served({ volunteer, servedOn: d0, minutes: 60 });
    const all = await records(volunteer);
    expect(all.records.map((r) => r.servedOn)).toEqual([d0, d10, d40]);
    expect(all).toMatchObject({ totalMinutes: 135, count: 3 });
    const some = await records(volunteer, null, d40, d10);
    expect(some.records.map((r) => r.minutes)).toEqual([45, 30]);
    expect(some.totalMinutes).toBe(75);
    expect((await records(volunteer, null, d10, d10)).records.map((r) => r.minutes)).toEqual([45]);
    await expectAppError(records(volunteer, null, d10, d40), 'invalid_input', /开始日期不能晚于结束日期/);
  });
});

describe('correcting a record (staff of its community)', () => {
  it('writes a new record naming the old one; only the newest counts, and the volunteer is told why', async () => {
    const o = await served({ minutes: 60 });
    const original = await recordOf(o.id, o.volunteer);
    expect((await records(SEED.staffZhang, o.volunteer)).records[0]?.actions).toEqual(['correct']);
    const fixed = await correct(SEED.staffZhang, original.id, 45, '签退时间有误，按居民所说更正');
    expect(fixed).toMatchObject({
      orderId: o.id,
      minutes: 45,
      correctsId: original.id,
      correctionReason: '签退时间有误，按居民所说更正',
      recordedBy: '社区工作人员 张红梅',
      effective: true,
      actions: ['correct'],
      servedOn: original.servedOn,
      place: original.place,
    });
    const staffView = await records(SEED.staffZhang, o.volunteer);
    expect(staffView).toMatchObject({ totalMinutes: 45, count: 1 });
    expect(staffView.records.find((r) => r.id === original.id)).toMatchObject({
      effective: false,
      correctedById: fixed.id,
      actions: [],
    });
    // The volunteer sees both, and may correct neither.
    const own = await records(o.volunteer);
    expect(own.records.map((r) => r.actions)).toEqual([[], []]);
    expect(await events(o.volunteer, 'service_record_corrected')).toEqual([
      expect.objectContaining({ body: expect.stringMatching(/60 分钟 → 45 分钟。原因：签退时间有误/) }),
    ]);
    // The newest can be corrected again; the replaced one can't.
    await expectAppError(correct(SEED.staffZhang, original.id, 30), 'conflict', /已经更正过了/);
    const again = await correct(SEED.adminHuang, fixed.id, 0, '核实后作废');
    expect(again.correctsId).toBe(fixed.id);
    expect(await records(o.volunteer)).toMatchObject({ totalMinutes: 0, count: 0 });
  });

  it('is refused to anyone but staff of the record’s community, and for the same or impossible minutes', async () => {
    const o = await served();
    const record = await recordOf(o.id, o.volunteer);
    for (const actor of [SEED.staffWu, OTHER_STREET.adminLin, o.volunteer, o.resident]) {
      await expectAppError(correct(actor, record.id, 30), 'not_found', /没有找到这条服务记录/);
    }
    await expectAppError(correct(SEED.staffZhang, 987654321, 30), 'not_found');
    await expectAppError(correct(SEED.staffZhang, record.id, 60), 'invalid_input', /一样/);
    await expectAppError(correct(SEED.staffZhang, record.id, 721), 'invalid_input', /0 到 720/);
    await expectAppError(correct(SEED.staffZhang, record.id, -1), 'invalid_input', /0 到 720/);
    await expectAppError(correct(SEED.staffZhang, record.id, 30, ' 改 '), 'invalid_input', /原因/);
    const { rows } = await t.admin.query(
      'select count(*)::int as n from public.service_records where order_id = $1',
      [o.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('a resend answers the same and writes one record', async () => {
    const o = await served();
    const record = await recordOf(o.id, o.volunteer);
    const k = key();
    const first = await correct(SEED.staffZhang, record.id, 50, '核对后更正', k);
    expect(await correct(SEED.staffZhang, record.id, 50, '核对后更正', k)).toEqual(first);
    const { rows } = await t.admin.query(
      'select count(*)::int as n from public.service_records where order_id = $1',
      [o.id],
    );
    expect(rows[0].n).toBe(2);
    expect(await events(o.volunteer, 'service_record_corrected')).toHaveLength(1);
  });

  it('two staff correcting one record at once: exactly one correction is written, the other is told it was corrected', async () => {
    for (let round = 0; round < 4; round++) {
      const o = await served();
      const record = await recordOf(o.id, o.volunteer);
      const results = await Promise.allSettled(
        [30, 40, 50, 55, 45, 35].map((minutes, i) =>
          correct(i % 2 ? SEED.adminHuang : SEED.staffZhang, record.id, minutes),
        ),
      );
      const codes = outcomes(results);
      expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
      expect(codes.filter((c) => c === 'conflict')).toHaveLength(5);
      for (const r of results) {
        if (r.status === 'rejected') expect((r.reason as Error).message).toMatch(/已经更正过了/);
      }
      const winner = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<RecordView>;
      const { rows } = await t.admin.query(
        'select id::int, minutes from public.service_records where corrects_id = $1',
        [record.id],
      );
      expect(rows).toEqual([{ id: winner.value.id, minutes: winner.value.minutes }]);
      expect((await records(o.volunteer)).totalMinutes).toBe(winner.value.minutes);
    }
  });
});

describe('志愿服务证明', () => {
  it('the volunteer issues one for a period: serial, code, the records that count, the issuer, and no message to themselves', async () => {
    const [volunteer] = (await volunteers(1, '证明')) as [string];
    const [d30, d5, d0] = [await day(-30), await day(-5), await day(0)];
    await served({ volunteer, servedOn: d30, minutes: 40 });
    const corrected = await served({ volunteer, servedOn: d5, minutes: 60 });
    await served({ volunteer, servedOn: d0, minutes: 90 });
    const voided = await served({ volunteer, servedOn: d5, minutes: 20 });
    await correct(SEED.staffZhang, (await recordOf(corrected.id, volunteer)).id, 50);
    await correct(SEED.staffZhang, (await recordOf(voided.id, volunteer)).id, 0, '重复记录作废');

    const cert = await issue(volunteer, null, d5, d0);
    const year = d0.slice(0, 4);
    expect(cert.serial).toMatch(new RegExp(`^LLB${year}-\\d{6}$`));
    expect(cert.verifyCode).toMatch(/^[0-9A-F]{12}$/);
    expect(cert.volunteerNumber).toMatch(/^LLBV\d{6}$/);
    expect(cert).toMatchObject({
      volunteerId: volunteer,
      volunteerName: '证明1',
      periodStart: d5,
      periodEnd: d0,
      totalMinutes: 140,
      serviceCount: 2,
      handlerName: '本人在线申请，系统出具',
      valid: true,
      issuer: {
        id: SEED.sunshine,
        name: '阳光社区',
        streetName: '幸福街道',
        address: '幸福街道阳光路12号',
        phone: '021-55501234',
      },
    });
    // The correction to 50 counts (not the 60 it replaced); the voided one and the one before the period don't.
    expect(cert.records?.map((r) => [r.servedOn, r.minutes, r.effective])).toEqual([
      [d5, 50, true],
      [d0, 90, true],
    ]);
    expect(await events(volunteer, 'certificate_issued')).toEqual([]);
    const mine = await t.db.rpc<Certificate[]>('list_service_certificates', {
      p_actor: volunteer,
      p_volunteer_id: null,
    });
    expect(mine.map((c) => c.id)).toEqual([cert.id]);
    expect(mine[0]).not.toHaveProperty('records');
  });

  it('staff of the volunteer’s community issue one in their own name and the volunteer is told', async () => {
    const o = await served();
    const today = await day(0);
    const cert = await issue(SEED.staffZhang, o.volunteer, today, today);
    expect(cert).toMatchObject({ handlerName: '张红梅', totalMinutes: 60, serviceCount: 1, valid: true });
    expect(cert.records?.[0]?.actions).toEqual(['correct']); // staff may correct what it lists
    expect(await events(o.volunteer, 'certificate_issued')).toEqual([
      expect.objectContaining({ data: { certificateId: cert.id } }),
    ]);
    expect(
      (
        await t.db.rpc<Certificate>('get_service_certificate', {
          p_actor: o.volunteer,
          p_certificate_id: cert.id,
        })
      ).records?.[0]?.actions,
    ).toEqual([]);
  });

  it('is refused for a period without records, ending after today, or backwards, and to staff of another community', async () => {
    const o = await served();
    const [yesterday, today, tomorrow] = [await day(-1), await day(0), await day(1)];
    await expectAppError(
      issue(o.volunteer, null, await day(-60), await day(-31)),
      'invalid_input',
      /这段时间没有服务记录/,
    );
    await expectAppError(issue(o.volunteer, null, today, tomorrow), 'invalid_input', /不能晚于今天/);
    await expectAppError(issue(o.volunteer, null, today, yesterday), 'invalid_input', /开始不能晚于结束/);
    await expectAppError(issue(SEED.staffWu, o.volunteer, today, today), 'not_found');
    await expectAppError(issue(OTHER_STREET.adminLin, o.volunteer, today, today), 'not_found');
    await expectAppError(issue(o.resident, null, today, today), 'not_found', /您还不是志愿者/);
    const { rows } = await t.admin.query(
      'select count(*)::int as n from public.service_certificates where volunteer_id = $1',
      [o.volunteer],
    );
    expect(rows[0].n).toBe(0);
  });

  it('a resend answers the same certificate; certificates can be neither changed nor deleted', async () => {
    const o = await served();
    const today = await day(0);
    const k = key();
    const first = await issue(o.volunteer, null, today, today, k);
    expect(await issue(o.volunteer, null, today, today, k)).toEqual(first);
    await expectAppError(issue(o.volunteer, null, await day(-1), today, k), 'idempotency_reused');
    const { rows } = await t.admin.query(
      'select count(*)::int as n from public.service_certificates where volunteer_id = $1',
      [o.volunteer],
    );
    expect(rows[0].n).toBe(1);
    await expect(
      t.admin.query('update public.service_certificates set total_minutes = 6000 where id = $1', [first.id]),
    ).rejects.toThrow(/illegal_transition/);
    await expect(
      t.admin.query('delete from public.service_certificates where id = $1', [first.id]),
    ).rejects.toThrow(/illegal_transition/);
  });

  it('gives distinct serials and codes to certificates issued at the same moment', async () => {
    const people = await volunteers(4, '并发证明');
    for (const volunteer of people) await served({ volunteer });
    const today = await day(0);
    // A third issued by staff for the volunteer, the rest by the volunteers themselves.
    const certs = await Promise.all(
      Array.from({ length: 24 }, (_, i) => {
        const volunteer = people[i % 4] as string;
        return i % 3 ? issue(volunteer, null, today, today) : issue(SEED.staffZhang, volunteer, today, today);
      }),
    );
    const numbers = certs.map((c) => Number(c.serial.slice(-6)));
    expect(Math.max(...numbers) - Math.min(...numbers)).toBe(23); // one sequence, no number handed out twice
    expect(new Set(certs.map((c) => c.serial)).size).toBe(24);
    expect(new Set(certs.map((c) => c.verifyCode)).size).toBe(24);
    expect(new Set(certs.map((c) => c.id)).size).toBe(24);
  });

  it('is read by its volunteer and staff of the issuing community only', async () => {
    const o = await served();
    const today = await day(0);
    const cert = await issue(o.volunteer, null, today, today);
    const get = (actor: string) =>
      t.db.rpc<Certificate>('get_service_certificate', { p_actor: actor, p_certificate_id: cert.id });
    expect((await get(o.volunteer)).serial).toBe(cert.serial);
    expect((await get(SEED.staffZhang)).serial).toBe(cert.serial);
    expect((await get(SEED.adminHuang)).serial).toBe(cert.serial);
    for (const stranger of [SEED.staffWu, OTHER_STREET.staffHe, SEED.volunteerLi, o.resident]) {
      await expectAppError(get(stranger), 'not_found', /没有找到这份证明/);
    }
    const staffList = await t.db.rpc<Certificate[]>('list_service_certificates', {
      p_actor: SEED.staffZhang,
      p_volunteer_id: o.volunteer,
    });
    expect(staffList.map((c) => c.id)).toEqual([cert.id]);
    await expectAppError(
      t.db.rpc('list_service_certificates', { p_actor: SEED.staffWu, p_volunteer_id: o.volunteer }),
      'not_found',
    );
  });
});

describe('the public check of a certificate', () => {
  it('shows only the masked name, period, hours, issuer and validity; an unknown code is not found', async () => {
    const o = await served({ volunteer: SEED.volunteerLi, minutes: 80 });
    const today = await day(0);
    const cert = await issue(SEED.volunteerLi, null, today, today);
    const check = await t.db.rpc<Record<string, unknown>>('verify_service_certificate', {
      p_code: cert.verifyCode.toLowerCase(),
    });
    expect(Object.keys(check).sort()).toEqual(
      [
        'issuedAt',
        'issuerName',
        'periodEnd',
        'periodStart',
        'serial',
        'serviceCount',
        'totalMinutes',
        'valid',
        'volunteerNameMasked',
      ].sort(),
    );
    expect(check).toMatchObject({
      serial: cert.serial,
      volunteerNameMasked: '李*',
      periodStart: today,
      periodEnd: today,
      totalMinutes: cert.totalMinutes,
      serviceCount: cert.serviceCount,
      issuerName: '阳光社区',
      valid: true,
    });
    expect(JSON.stringify(check)).not.toContain('李明');
    expect(JSON.stringify(check)).not.toContain(o.volunteer);
    await expectAppError(
      t.db.rpc('verify_service_certificate', { p_code: '000000000000' }),
      'not_found',
      /没有找到这份证明/,
    );
  });

  it('turns invalid once a record it lists is corrected, and stays valid when another record is', async () => {
    const [volunteer] = (await volunteers(1, '失效')) as [string];
    const listed = await served({ volunteer, servedOn: await day(-2) });
    const outside = await served({ volunteer, servedOn: await day(-20) });
    const cert = await issue(volunteer, null, await day(-3), await day(0));
    const valid = async () =>
      (await t.db.rpc<{ valid: boolean }>('verify_service_certificate', { p_code: cert.verifyCode })).valid;
    await correct(SEED.staffZhang, (await recordOf(outside.id, volunteer)).id, 30);
    expect(await valid()).toBe(true);
    await correct(SEED.staffZhang, (await recordOf(listed.id, volunteer)).id, 30);
    expect(await valid()).toBe(false);
    expect(
      (
        await t.db.rpc<Certificate>('get_service_certificate', {
          p_actor: volunteer,
          p_certificate_id: cert.id,
        })
      ).valid,
    ).toBe(false);
    // What it certified stays as issued: the serial, the total.
    const { rows } = await t.admin.query(
      'select total_minutes from public.service_certificates where id = $1',
      [cert.id],
    );
    expect(rows[0].total_minutes).toBe(60);
  });
});

describe('presence confirmed by staff after phoning the resident', () => {
  const staffConfirm = (
    actor: string,
    orderId: string,
    step: string,
    note = '已电话联系居民，确认志愿者已到',
    k = key(),
  ) =>
    t.db.rpc<OrderView>('staff_confirm_presence', {
      p_actor: actor,
      p_order_id: orderId,
      p_step: step,
      p_note: note,
      p_key: k,
    });
  const view = (actor: string, orderId: string) =>
    t.db.rpc<OrderView>('get_order', { p_actor: actor, p_order_id: orderId });
  const overview = async () =>
    (
      await t.db.rpc<{ presence: { code: number; location: number; staff: number } }>(
        'get_community_overview',
        {
          p_actor: SEED.staffZhang,
          p_community_id: SEED.sunshine,
        },
      )
    ).presence;

  it('moves the order like the volunteer’s own check-in and check-out, logs who and why, tells the volunteer, and marks the record', async () => {
    const before = await overview();
    const o = await accepted();
    await moveWindow(t, o.id, 5);
    expect((await view(SEED.staffZhang, o.id)).actions).toContain('staff_check_in');
    expect((await view(SEED.staffZhang, o.id)).actions).not.toContain('staff_check_out');
    const arrived = await staffConfirm(
      SEED.staffZhang,
      o.id,
      'check_in',
      '  已电话联系居民王阿姨，确认志愿者已到  ',
    );
    expect(arrived).toMatchObject({
      status: 'in_service',
      checkInMethod: 'staff',
      checkOutMethod: null,
      viewerKind: 'staff',
    });
    expect(arrived.actions).toContain('staff_check_out');
    expect(arrived.actions).not.toContain('staff_check_in');
    await serviceLasted(t, o.id, 50);
    const done = await staffConfirm(SEED.staffZhang, o.id, 'check_out', '居民来电确认服务已结束');
    expect(done).toMatchObject({ status: 'completed', checkOutMethod: 'staff', serviceMinutes: 50 });
    expect(done.actions).not.toContain('staff_check_out');

    const { rows } = await t.admin.query(
      `select action, actor_id, actor_role, detail from public.order_events
       where order_id = $1 and action in ('check_in', 'check_out') order by id`,
      [o.id],
    );
    expect(rows).toEqual([
      {
        action: 'check_in',
        actor_id: SEED.staffZhang,
        actor_role: 'staff',
        detail: { method: 'staff', note: '已电话联系居民王阿姨，确认志愿者已到' },
      },
      {
        action: 'check_out',
        actor_id: SEED.staffZhang,
        actor_role: 'staff',
        detail: { method: 'staff', note: '居民来电确认服务已结束', serviceMinutes: 50 },
      },
    ]);
    const told = await events(o.volunteer, 'presence_confirmed_by_staff');
    expect(told.map((e) => e.body)).toEqual([
      expect.stringContaining('已电话联系居民王阿姨'),
      expect.stringContaining('居民来电确认服务已结束'),
    ]);
    expect((await view(o.volunteer, o.id)).checkInMethod).toBe('staff');

    await confirm(o);
    expect(await recordOf(o.id, o.volunteer)).toMatchObject({ staffConfirmedPresence: true, minutes: 50 });
    const after = await overview();
    expect(after).toEqual({ code: before.code, location: before.location, staff: before.staff + 2 });
  });

  it('one staff step is enough to mark the record; the code steps are counted as code', async () => {
    const before = await overview();
    const o = await accepted();
    const checkedIn = await checkIn(t, o.id, o.volunteer);
    expect(checkedIn.checkInMethod).toBe('code');
    await serviceLasted(t, o.id, 40);
    await staffConfirm(SEED.adminHuang, o.id, 'check_out', '志愿者手机没电，居民电话确认');
    await confirm(o);
    expect((await recordOf(o.id, o.volunteer)).staffConfirmedPresence).toBe(true);
    const plain = await served();
    expect((await recordOf(plain.id, plain.volunteer)).staffConfirmedPresence).toBe(false);
    expect(await overview()).toEqual({
      code: before.code + 3,
      location: before.location,
      staff: before.staff + 1,
    });
  });

  it('counts only the last 30 days', async () => {
    const o = await accepted();
    await moveWindow(t, o.id, 5);
    await staffConfirm(SEED.staffZhang, o.id, 'check_in');
    const before = await overview();
    await t.admin.query("update public.orders set checked_in_at = now() - interval '31 days' where id = $1", [
      o.id,
    ]);
    expect((await overview()).staff).toBe(before.staff - 1);
  });

  it('is only for staff of the order’s community or its street admin', async () => {
    const o = await accepted();
    await moveWindow(t, o.id, 5);
    for (const actor of [
      o.volunteer,
      o.resident,
      SEED.staffWu,
      OTHER_STREET.staffHe,
      OTHER_STREET.adminLin,
      SEED.volunteerLi,
    ]) {
      await expectAppError(staffConfirm(actor, o.id, 'check_in'), 'forbidden', /本社区的工作人员/);
    }
    expect((await view(o.volunteer, o.id)).actions).not.toContain('staff_check_in');
    expect((await view(o.resident, o.id)).actions).not.toContain('staff_check_in');
    expect((await staffConfirm(SEED.adminHuang, o.id, 'check_in')).status).toBe('in_service');
  });

  it('needs a note of at least 4 characters and a known step', async () => {
    const o = await accepted();
    await moveWindow(t, o.id, 5);
    await expectAppError(
      staffConfirm(SEED.staffZhang, o.id, 'check_in', '  已到  '),
      'invalid_input',
      /核实情况/,
    );
    await expectAppError(staffConfirm(SEED.staffZhang, o.id, 'check_in', ''), 'invalid_input', /核实情况/);
    await expectAppError(
      staffConfirm(SEED.staffZhang, o.id, 'arrive'),
      'invalid_input',
      /确认到场还是确认离开/,
    );
    const { rows } = await t.admin.query('select status, check_in_method from public.orders where id = $1', [
      o.id,
    ]);
    expect(rows[0]).toEqual({ status: 'accepted', check_in_method: null });
  });

  it('follows the state machine and the check-in window: not long before the booked time, nor out of order', async () => {
    const o = await accepted({ startInMinutes: 60 });
    await expectAppError(
      staffConfirm(SEED.staffZhang, o.id, 'check_in'),
      'presence_failed',
      /预约开始前 15 分钟内/,
    );
    await expectAppError(staffConfirm(SEED.staffZhang, o.id, 'check_out'), 'illegal_transition');
    await moveWindow(t, o.id, 14);
    await staffConfirm(SEED.staffZhang, o.id, 'check_in');
    await expectAppError(staffConfirm(SEED.staffZhang, o.id, 'check_in'), 'illegal_transition');

    const open = await placeOrder(t.db, project.id, {
      resident: (await createResidents(t.admin, 1))[0] as string,
    });
    await expectAppError(staffConfirm(SEED.staffZhang, open.id, 'check_in'), 'illegal_transition');
    expect((await view(SEED.staffZhang, open.id)).actions).not.toContain('staff_check_in');
  });

  it('works when the volunteer has locked themselves out with wrong codes', async () => {
    const o = await accepted();
    await moveWindow(t, o.id, 5);
    const right = await presenceCode(t.db, o.id, o.resident);
    const wrong = right === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) await presenceByCode(t.db, 'check_in', o.id, o.volunteer, wrong);
    await expectAppError(presenceByCode(t.db, 'check_in', o.id, o.volunteer, right), 'rate_limited');
    expect((await staffConfirm(SEED.staffZhang, o.id, 'check_in')).status).toBe('in_service');
  });

  it('cannot be claimed by the volunteer through their own check-in or check-out', async () => {
    const o = await accepted();
    await moveWindow(t, o.id, 5);
    const selfClaim = (action: string) =>
      t.db.rpc(action, {
        p_actor: o.volunteer,
        p_order_id: o.id,
        p_proof: { method: 'staff', note: '社区已经电话确认过了' },
        p_key: key(),
      });
    await expectAppError(selfClaim('check_in'), 'invalid_input');
    expect(
      (await t.admin.query('select status from public.orders where id = $1', [o.id])).rows[0].status,
    ).toBe('accepted');
    await checkIn(t, o.id, o.volunteer);
    await expectAppError(selfClaim('check_out'), 'invalid_input');
    const { rows } = await t.admin.query('select status, check_out_method from public.orders where id = $1', [
      o.id,
    ]);
    expect(rows[0]).toEqual({ status: 'in_service', check_out_method: null });
  });

  it('staff confirming while the volunteer checks in by code: exactly one check-in happens', async () => {
    for (let round = 0; round < 5; round++) {
      const o = await accepted();
      await moveWindow(t, o.id, 5);
      const code = await presenceCode(t.db, o.id, o.resident);
      const results = await Promise.allSettled([
        presenceByCode(t.db, 'check_in', o.id, o.volunteer, code),
        staffConfirm(SEED.staffZhang, o.id, 'check_in', '已电话联系居民确认到达'),
      ]);
      const codes = outcomes(results);
      expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
      expect(codes.filter((c) => c === 'illegal_transition')).toHaveLength(1);
      const { rows } = await t.admin.query(
        `select o.status, o.check_in_method, count(e.id)::int as events
         from public.orders o left join public.order_events e on e.order_id = o.id and e.action = 'check_in'
         where o.id = $1 group by o.id`,
        [o.id],
      );
      expect(rows[0]).toMatchObject({ status: 'in_service', events: 1 });
      expect(['code', 'staff']).toContain(rows[0].check_in_method);
    }
  });

  it('a resend answers the same, logs one event and tells the volunteer once', async () => {
    const o = await accepted();
    await moveWindow(t, o.id, 5);
    const k = key();
    const first = await staffConfirm(SEED.staffZhang, o.id, 'check_in', '已电话核实', k);
    expect(await staffConfirm(SEED.staffZhang, o.id, 'check_in', '已电话核实', k)).toEqual(first);
    const { rows } = await t.admin.query(
      "select count(*)::int as n from public.order_events where order_id = $1 and action = 'check_in'",
      [o.id],
    );
    expect(rows[0].n).toBe(1);
    expect(await events(o.volunteer, 'presence_confirmed_by_staff')).toHaveLength(1);
  });
});

describe('注销', () => {
  it('takes the volunteer’s and the staff member’s names out of records and certificates; what was served stays', async () => {
    const { rows } = await t.admin.query<{ id: string }>(
      "insert into public.users (nickname, real_name, phone) values ('钱临时', '钱临时', '13600009999') returning id",
    );
    const staff = rows[0]?.id as string;
    await t.admin.query(
      "insert into public.user_roles (user_id, role, community_id) values ($1, 'staff', $2)",
      [staff, SEED.sunshine],
    );
    const o = await served({ minutes: 60 });
    const { rows: names } = await t.admin.query('select real_name from public.users where id = $1', [
      o.volunteer,
    ]);
    const name = names[0].real_name as string;
    await correct(staff, (await recordOf(o.id, o.volunteer)).id, 50);
    const today = await day(0);
    const cert = await issue(staff, o.volunteer, today, today);
    expect(cert).toMatchObject({ volunteerName: name, handlerName: '钱临时' });

    await t.db.rpc('delete_account', { p_actor: staff, p_key: key() });
    await t.db.rpc('delete_account', { p_actor: o.volunteer, p_key: key() });
    const records = await t.admin.query(
      'select volunteer_name, recorded_by_name, minutes from public.service_records where order_id = $1 order by id',
      [o.id],
    );
    expect(records.rows).toEqual([
      { volunteer_name: '已注销', recorded_by_name: '居民确认', minutes: 60 },
      { volunteer_name: '已注销', recorded_by_name: '社区工作人员', minutes: 50 },
    ]);
    const certs = await t.admin.query(
      'select volunteer_name, id_number_masked, handler_name, total_minutes from public.service_certificates where id = $1',
      [cert.id],
    );
    expect(certs.rows).toEqual([
      { volunteer_name: '已注销', id_number_masked: null, handler_name: '社区工作人员', total_minutes: 50 },
    ]);
    const check = await t.db.rpc<{ volunteerNameMasked: string; totalMinutes: number; valid: boolean }>(
      'verify_service_certificate',
      { p_code: cert.verifyCode },
    );
    expect(check).toMatchObject({ volunteerNameMasked: '已**', totalMinutes: 50, valid: true });
    // Still append-only once the erasure is done.
    await expect(
      t.admin.query("update public.service_records set volunteer_name = 'x' where order_id = $1", [o.id]),
    ).rejects.toThrow(/illegal_transition/);
  });
});
