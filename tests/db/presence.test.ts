import type { OrderView, Project } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { SEED } from '../support/ids';
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
  project = await publishProject(t.db, { maxMinutes: 90, pointsPerHour: 30 });
});
afterAll(() => t.close());

// 阳光小区 3 栋, and points about 110 m and 330 m north of it.
const HOME = { latitude: 31.2304, longitude: 121.4737 };
const NEAR = { latitude: 31.2314, longitude: 121.4737 };
const FAR = { latitude: 31.2334, longitude: 121.4737 };

/** An order of a fresh resident accepted by a fresh volunteer, booked `startInMinutes` ahead (default 40). */
async function acceptedOrder(options: { startInMinutes?: number; located?: boolean } = {}) {
  const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '签到' })) as [string];
  const [resident] = (await createResidents(t.admin, 1)) as [string];
  const order = await placeOrder(t.db, project.id, {
    resident,
    startInMinutes: options.startInMinutes ?? 40,
    input: options.located ? HOME : {},
  });
  await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
  return { order, volunteer, resident };
}

const code = (o: { order: { id: string }; resident: string }) => presenceCode(t.db, o.order.id, o.resident);
const checkInWith = (o: { order: { id: string }; volunteer: string }, c: string) =>
  presenceByCode(t.db, 'check_in', o.order.id, o.volunteer, c);
const checkOutWith = (o: { order: { id: string }; volunteer: string }, c: string) =>
  presenceByCode(t.db, 'check_out', o.order.id, o.volunteer, c);

const byLocation = (orderId: string, volunteer: string, at: { latitude: number; longitude: number }) =>
  t.db.rpc<OrderView | { error: { code: string; message: string } }>('check_in', {
    p_actor: volunteer,
    p_order_id: orderId,
    p_proof: { method: 'location', ...at },
    p_key: key(),
  });

/** Waits until at least 5 s remain of the current 2-minute code, so two calls see the same code. */
async function awayFromCodeTurn() {
  const left = 120_000 - (Date.now() % 120_000);
  if (left < 5_000) await new Promise((r) => setTimeout(r, left + 200));
}

describe('check-in proves presence', () => {
  it('accepts the code on the resident’s phone, and the one just before it', async () => {
    const o = await acceptedOrder();
    await moveWindow(t, o.order.id, 5);
    const { rows } = await t.admin.query(
      `select private.presence_code(presence_secret, private.presence_step(now()) - 1) as code
       from public.orders where id = $1`,
      [o.order.id],
    );
    const result = (await checkInWith(o, rows[0].code)) as OrderView;
    expect(result.status).toBe('in_service');
  });

  it('refuses a wrong code without moving the order, and locks guessing out after five', async () => {
    const o = await acceptedOrder();
    await moveWindow(t, o.order.id, 5);
    const right = await code(o);
    const wrong = right === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) {
      expect(await checkInWith(o, wrong)).toEqual({
        error: { code: 'presence_failed', message: '验证码不对或已过期，请让居民刷新后再读一遍' },
      });
    }
    await expectAppError(checkInWith(o, right), 'rate_limited', /10 分钟/);
    const { rows } = await t.admin.query(
      'select status, presence_failures from public.orders where id = $1',
      [o.order.id],
    );
    expect(rows[0]).toEqual({ status: 'accepted', presence_failures: 5 });
  });

  it('accepts a location within 200 m, and says only that it is too far when farther', async () => {
    const o = await acceptedOrder({ located: true });
    await moveWindow(t, o.order.id, 5);
    // Not how far: three tries from afar would locate the resident's home.
    expect(await byLocation(o.order.id, o.volunteer, FAR)).toEqual({
      error: {
        code: 'presence_failed',
        message: '您不在服务地址附近（要在 200 米以内），请用居民手机上的验证码',
      },
    });
    expect(((await byLocation(o.order.id, o.volunteer, NEAR)) as OrderView).status).toBe('in_service');
    const { rows } = await t.admin.query(
      "select latitude, detail from public.order_events where order_id = $1 and action = 'check_in'",
      [o.order.id],
    );
    expect(rows[0]).toEqual({ latitude: NEAR.latitude, detail: { method: 'location' } });
  });

  it('needs the code when the order has no location', async () => {
    const o = await acceptedOrder();
    await moveWindow(t, o.order.id, 5);
    expect(await byLocation(o.order.id, o.volunteer, HOME)).toMatchObject({
      error: { message: '这个订单没有登记位置，请用居民手机上的验证码' },
    });
  });

  it('is not possible long before the booked time', async () => {
    const o = await acceptedOrder({ startInMinutes: 180 });
    await expectAppError(checkInWith(o, await code(o)), 'presence_failed', /预约开始前 15 分钟内才能签到/);
  });

  it('opens 15 minutes before the window: refused at 16, accepted at 14', async () => {
    const o = await acceptedOrder();
    await moveWindow(t, o.order.id, 16);
    await expectAppError(checkInWith(o, await code(o)), 'presence_failed', /预约开始前 15 分钟内才能签到/);
    expect(
      (await t.admin.query('select status from public.orders where id = $1', [o.order.id])).rows[0],
    ).toEqual({ status: 'accepted' });
    await moveWindow(t, o.order.id, 14);
    expect(((await checkInWith(o, await code(o))) as OrderView).status).toBe('in_service');
  });

  it('is only for the volunteer of the order', async () => {
    const o = await acceptedOrder();
    await moveWindow(t, o.order.id, 5);
    await expectAppError(
      presenceByCode(t.db, 'check_in', o.order.id, SEED.volunteerLi, await code(o)),
      'forbidden',
      /不是您接的订单/,
    );
  });
});

describe('check-out', () => {
  it('counts the minutes between check-in and check-out, capped by the project’s maximum', async () => {
    const o = await acceptedOrder();
    await checkIn(t, o.order.id, o.volunteer);
    await t.admin.query("update public.orders set checked_in_at = now() - interval '3 hours' where id = $1", [
      o.order.id,
    ]);
    const done = (await checkOutWith(o, await code(o))) as OrderView;
    expect(done).toMatchObject({ status: 'completed', serviceMinutes: 90 });
  });

  it('counts real minutes under the cap', async () => {
    const o = await acceptedOrder();
    await checkIn(t, o.order.id, o.volunteer);
    await t.admin.query(
      "update public.orders set checked_in_at = now() - interval '47 minutes 30 seconds' where id = $1",
      [o.order.id],
    );
    const done = (await checkOutWith(o, await code(o))) as OrderView;
    expect(done.serviceMinutes).toBe(48);
  });

  it('refuses the code the check-in used, and asks for a new one', async () => {
    const o = await acceptedOrder();
    await moveWindow(t, o.order.id, 5);
    await awayFromCodeTurn();
    const first = await code(o);
    expect(((await checkInWith(o, first)) as OrderView).status).toBe('in_service');
    expect(await checkOutWith(o, first)).toEqual({
      error: { code: 'presence_failed', message: '签退要用签到之后的新验证码，请让居民稍等一会儿再刷新' },
    });
    const { rows } = await t.admin.query('select status from public.orders where id = $1', [o.order.id]);
    expect(rows[0].status).toBe('in_service');
  });

  it('refuses the check-in’s code once it is the previous one, and accepts a code issued after the check-in', async () => {
    const o = await acceptedOrder();
    await moveWindow(t, o.order.id, 5);
    await awayFromCodeTurn();
    expect(((await checkInWith(o, await code(o))) as OrderView).status).toBe('in_service');
    // The check-in happened during the step before the current one: its code (the "previous"
    // code the phone showed) proves nothing more; only the current one, issued after, does.
    await t.admin.query(
      `update public.orders set checked_in_at = to_timestamp((private.presence_step(now()) - 1) * 120 + 1)
       where id = $1`,
      [o.order.id],
    );
    const { rows } = await t.admin.query(
      `select private.presence_code(presence_secret, private.presence_step(now()) - 1) as previous
       from public.orders where id = $1`,
      [o.order.id],
    );
    expect(await checkOutWith(o, rows[0].previous)).toMatchObject({ error: { code: 'presence_failed' } });
    const done = (await checkOutWith(o, await code(o))) as OrderView;
    expect(done.status).toBe('completed');
  });

  it('accepts the previous code when it was issued after the check-in', async () => {
    const o = await acceptedOrder();
    await checkIn(t, o.order.id, o.volunteer);
    await serviceLasted(t, o.order.id, 30);
    const { rows } = await t.admin.query(
      `select private.presence_code(presence_secret, private.presence_step(now()) - 1) as previous
       from public.orders where id = $1`,
      [o.order.id],
    );
    expect(((await checkOutWith(o, rows[0].previous)) as OrderView).status).toBe('completed');
  });
});

describe('a service shorter than the project’s minimum', () => {
  const staffView = (id: string) =>
    t.db.rpc<OrderView>('get_order', { p_actor: SEED.staffZhang, p_order_id: id });
  const review = (actor: string, id: string, outcome: string, note: string | null, k = key()) =>
    t.db.rpc<OrderView>('review_service', {
      p_actor: actor,
      p_order_id: id,
      p_outcome: outcome,
      p_note: note,
      p_key: k,
    });
  const confirm = (o: { order: { id: string }; resident: string }) =>
    t.db.rpc<OrderView>('confirm_order', {
      p_actor: o.resident,
      p_order_id: o.order.id,
      p_rating: 2,
      p_tags: [],
      p_comment: '',
      p_key: key(),
    });
  const earned = async (orderId: string) =>
    (
      await t.admin.query(
        `select (select count(*)::int from public.point_transfers
                 where kind = 'earn' and reference_type = 'order' and reference_id = $1::text) as transfers,
                (select count(*)::int from public.service_records where order_id = $1::uuid) as records,
                (select points_awarded::int from public.orders where id = $1::uuid) as points`,
        [orderId],
      )
    ).rows[0];

  /** A 5-minute service of the project (minimum 15 by default), completed. */
  async function shortService() {
    const o = await acceptedOrder();
    await checkIn(t, o.order.id, o.volunteer);
    const done = await checkOut(t, o.order.id, o.volunteer, { minutes: 5 });
    return { ...o, done };
  }

  it('is held for review: the volunteer and staff see why, confirming credits nothing', async () => {
    expect(project.minServiceMinutes).toBe(15);
    const o = await shortService();
    expect(o.done).toMatchObject({
      status: 'completed',
      serviceMinutes: 5,
      reviewStatus: 'pending',
      pointsNote: '服务只有 5 分钟，不到 15 分钟，核实后再计积分',
    });
    expect(await staffView(o.order.id)).toMatchObject({
      reviewStatus: 'pending',
      pointsNote: '服务只有 5 分钟，不到 15 分钟，核实后再计积分',
      actions: expect.arrayContaining(['review_service']),
    });
    const asResident = await t.db.rpc<OrderView>('get_order', {
      p_actor: o.resident,
      p_order_id: o.order.id,
    });
    expect(asResident).toMatchObject({ reviewStatus: null, pointsNote: null });

    await confirm(o);
    expect(await earned(o.order.id)).toEqual({ transfers: 0, records: 0, points: 0 });
    // No wallet yet, or an empty one.
    const w = await t.db.rpc<{ balance: number } | null>('get_wallet', { p_actor: o.volunteer });
    expect(w?.balance ?? 0).toBe(0);
  });

  it('earns once when staff approve it, and a resent approval replays', async () => {
    const o = await shortService();
    await confirm(o);
    const k = key();
    const approved = await review(SEED.staffZhang, o.order.id, 'approve', null, k);
    // 5 minutes at 30/h rated 好: floor((5 × 30 × 10 + 300) / 600) = 3.
    expect(approved).toMatchObject({ status: 'confirmed', reviewStatus: 'approved', pointsAwarded: 3 });
    expect(approved.actions).not.toContain('review_service');
    expect(await review(SEED.staffZhang, o.order.id, 'approve', null, k)).toEqual(approved);
    expect(await earned(o.order.id)).toEqual({ transfers: 1, records: 1, points: 3 });
    const w = await t.db.rpc<{ balance: number }>('get_wallet', { p_actor: o.volunteer });
    expect(w.balance).toBe(3);
    await expectAppError(review(SEED.staffZhang, o.order.id, 'approve', null), 'illegal_transition');
    expect(await earned(o.order.id)).toEqual({ transfers: 1, records: 1, points: 3 });
  });

  it('approved before the resident confirms, earns at confirmation', async () => {
    const o = await shortService();
    expect(await review(SEED.staffZhang, o.order.id, 'approve', '居民说确实来过')).toMatchObject({
      status: 'completed',
      reviewStatus: 'approved',
    });
    expect(await earned(o.order.id)).toEqual({ transfers: 0, records: 0, points: 0 });
    await confirm(o);
    expect(await earned(o.order.id)).toEqual({ transfers: 1, records: 1, points: 3 });
  });

  it('rejected needs a reason, and then earns nothing, saying so', async () => {
    const o = await shortService();
    await expectAppError(review(SEED.staffZhang, o.order.id, 'reject', null), 'invalid_input', /原因/);
    await expectAppError(review(SEED.staffZhang, o.order.id, 'reject', ' '), 'invalid_input', /原因/);
    await expectAppError(review(SEED.staffZhang, o.order.id, 'maybe', '看看'), 'invalid_input');
    const rejected = await review(SEED.staffZhang, o.order.id, 'reject', '居民说没有来');
    expect(rejected).toMatchObject({ reviewStatus: 'rejected', pointsNote: '社区核实后，这次服务不计积分' });
    await confirm(o);
    expect(await earned(o.order.id)).toEqual({ transfers: 0, records: 0, points: 0 });
    const asVolunteer = await t.db.rpc<OrderView>('get_order', {
      p_actor: o.volunteer,
      p_order_id: o.order.id,
    });
    expect(asVolunteer).toMatchObject({
      reviewStatus: 'rejected',
      pointsNote: '社区核实后，这次服务不计积分',
    });
  });

  it('is decided only by staff of the order’s community, and only while pending', async () => {
    const o = await shortService();
    await expectAppError(review(SEED.staffWu, o.order.id, 'approve', null), 'forbidden');
    await expectAppError(review(o.volunteer, o.order.id, 'approve', null), 'forbidden');
    expect((await staffView(o.order.id)).reviewStatus).toBe('pending');

    const long = await acceptedOrder();
    await checkIn(t, long.order.id, long.volunteer);
    const done = await checkOut(t, long.order.id, long.volunteer, { minutes: 15 });
    expect(done).toMatchObject({ serviceMinutes: 15, reviewStatus: null, pointsNote: null });
    await expectAppError(review(SEED.staffZhang, long.order.id, 'approve', null), 'illegal_transition');
    expect((await staffView(long.order.id)).actions).not.toContain('review_service');
  });
});
