// What the outside attack suite broke (issue 10), each as the rule it now keeps.
import type { OrderView, Project, Redemption, Wallet } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTick } from '../../functions/src/use-cases/run-tick';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { MORE, SEED } from '../support/ids';
import {
  checkIn,
  checkOut,
  createVolunteers,
  grantPoints,
  key,
  placeOrder,
  publishProject,
  stockedGoods,
} from '../support/orders';

let t: TestDatabase;
let project: Project;
beforeAll(async () => {
  t = await createTestDatabase();
  project = await publishProject(t.db);
});
afterAll(() => t.close());

const RESIDENT_PHONE = '13812341234';
const RESIDENT_ADDRESS = '阳光小区3栋2单元501';
const volunteerPhone = async (id: string) =>
  (
    await t.admin.query<{ phone: string }>('select phone from public.volunteer_profiles where user_id = $1', [
      id,
    ])
  ).rows[0]?.phone as string;
const accessLog = async (orderId: string) =>
  (
    await t.admin.query<{ viewer_id: string; subject_id: string; fields: string[] }>(
      'select viewer_id, subject_id, fields from public.personal_data_access_log where order_id = $1 order by id',
      [orderId],
    )
  ).rows;

describe('a resend never outlives the right to see', () => {
  it('replays an accept after check-out with the contact masked, as a fresh read shows it', async () => {
    const order = await placeOrder(t.db, project.id);
    const acceptKey = key();
    const accepted = await t.db.rpc<OrderView>('accept_order', {
      p_actor: SEED.volunteerLi,
      p_order_id: order.id,
      p_key: acceptKey,
    });
    expect(accepted).toMatchObject({ contactVisible: true, contactPhone: RESIDENT_PHONE });
    await checkIn(t, order.id, SEED.volunteerLi);
    await checkOut(t, order.id, SEED.volunteerLi);

    const replay = await t.db.rpc<OrderView>('accept_order', {
      p_actor: SEED.volunteerLi,
      p_order_id: order.id,
      p_key: acceptKey,
    });
    expect(replay).toMatchObject({ id: order.id, status: 'completed', contactVisible: false });
    expect(JSON.stringify(replay)).not.toContain(RESIDENT_PHONE);
    expect(JSON.stringify(replay)).not.toContain(RESIDENT_ADDRESS);
  });

  it('replays to someone no longer on the order with everything masked and no actions', async () => {
    const order = await placeOrder(t.db, project.id);
    const acceptKey = key();
    await t.db.rpc('accept_order', { p_actor: SEED.volunteerLi, p_order_id: order.id, p_key: acceptKey });
    await t.db.rpc('release_order', {
      p_actor: SEED.volunteerLi,
      p_order_id: order.id,
      p_reason: '临时有事',
      p_key: key(),
    });
    await t.db.rpc('cancel_order', {
      p_actor: SEED.residentWang,
      p_order_id: order.id,
      p_reason: '',
      p_key: key(),
    });
    const replay = await t.db.rpc<OrderView>('accept_order', {
      p_actor: SEED.volunteerLi,
      p_order_id: order.id,
      p_key: acceptKey,
    });
    expect(replay).toMatchObject({ contactVisible: false, actions: [] });
    expect(JSON.stringify(replay)).not.toContain(RESIDENT_PHONE);
  });

  it('forgets keys after idempotency_key_hours: the tick deletes them', async () => {
    await placeOrder(t.db, project.id);
    const before = await t.admin.query('select count(*)::int as n from public.idempotency_keys');
    const result = await runTick(t.db, new Date(Date.now() + 73 * 3_600_000));
    expect(result.expiredKeys).toBeGreaterThanOrEqual(before.rows[0].n);
    const after = await t.admin.query('select count(*)::int as n from public.idempotency_keys');
    expect(after.rows[0].n).toBe(0);
  });
});

describe('staff see full contact only where it is logged', () => {
  it('masks the resident and the volunteer in every staff answer but the order read, which logs both', async () => {
    const order = await placeOrder(t.db, project.id);
    await t.db.rpc('assign_order', {
      p_actor: SEED.staffZhang,
      p_order_id: order.id,
      p_volunteer_id: SEED.volunteerLi,
      p_key: key(),
    });
    const phone = await volunteerPhone(SEED.volunteerLi);
    const list = await t.db.rpc<OrderView[]>('list_community_orders', {
      p_actor: SEED.staffZhang,
      p_community_id: SEED.sunshine,
    });
    const listed = JSON.stringify(list.find((o) => o.id === order.id));
    for (const secret of [RESIDENT_PHONE, RESIDENT_ADDRESS, phone]) expect(listed).not.toContain(secret);

    const cancelled = await t.db.rpc<OrderView>('cancel_order', {
      p_actor: SEED.staffZhang,
      p_order_id: order.id,
      p_reason: '居民来电取消',
      p_key: key(),
    });
    for (const secret of [RESIDENT_PHONE, RESIDENT_ADDRESS, phone]) {
      expect(JSON.stringify(cancelled)).not.toContain(secret);
    }
    expect(await accessLog(order.id)).toEqual([]);

    const read = await t.db.rpc<OrderView>('get_order', { p_actor: SEED.staffZhang, p_order_id: order.id });
    expect(read).toMatchObject({
      contactPhone: RESIDENT_PHONE,
      address: RESIDENT_ADDRESS,
      volunteerPhone: phone,
    });
    expect(await accessLog(order.id)).toEqual([
      { viewer_id: SEED.staffZhang, subject_id: SEED.residentWang, fields: ['address', 'contact_phone'] },
      { viewer_id: SEED.staffZhang, subject_id: SEED.volunteerLi, fields: ['phone'] },
    ]);
  });

  it('masks a 代下单 order to the staff member who placed it, in the answer and in their own list', async () => {
    const order = await placeOrder(t.db, project.id, { actor: SEED.staffZhang, resident: MORE.residentChen });
    expect(order.contactVisible).toBe(false);
    const mine = await t.db.rpc<OrderView[]>('list_my_orders', { p_actor: SEED.staffZhang });
    const listed = mine.find((o) => o.id === order.id);
    expect(listed?.contactVisible).toBe(false);
    const { rows } = await t.admin.query<{ phone: string }>('select phone from public.users where id = $1', [
      MORE.residentChen,
    ]);
    expect(JSON.stringify(listed)).not.toContain(rows[0]?.phone as string);
    // The served resident sees their own order in full.
    const theirs = await t.db.rpc<OrderView[]>('list_my_orders', { p_actor: MORE.residentChen });
    expect(theirs.find((o) => o.id === order.id)?.contactVisible).toBe(true);
  });

  it('shows the resident the volunteer’s number only while the volunteer is coming or there', async () => {
    const order = await placeOrder(t.db, project.id);
    await t.db.rpc('accept_order', { p_actor: SEED.volunteerLi, p_order_id: order.id, p_key: key() });
    const phone = await volunteerPhone(SEED.volunteerLi);
    const read = () => t.db.rpc<OrderView>('get_order', { p_actor: SEED.residentWang, p_order_id: order.id });
    expect((await read()).volunteerPhone).toBe(phone);
    await checkIn(t, order.id, SEED.volunteerLi);
    expect((await read()).volunteerPhone).toBe(phone);
    await checkOut(t, order.id, SEED.volunteerLi);
    expect((await read()).volunteerPhone).not.toBe(phone);
    expect((await read()).volunteerPhone).toMatch(/\*{4}/);
  });
});

describe('a new volunteer’s wallet', () => {
  it('is empty, not null, on the first read, and for staff reading it too', async () => {
    const [fresh] = (await createVolunteers(t.admin, 1, { prefix: '新人' })) as [string];
    const wallet = await t.db.rpc<Wallet>('get_wallet', { p_actor: fresh });
    expect(wallet).toMatchObject({
      userId: fresh,
      balance: 0,
      serviceMinutes: 0,
      serviceCount: 0,
      entries: [],
    });
    const ledger = await t.db.rpc<Wallet>('get_person_ledger', {
      p_actor: SEED.staffZhang,
      p_user_id: fresh,
    });
    expect(ledger).toMatchObject({ balance: 0, entries: [] });
  });
});

describe('pickup codes', () => {
  const pickUp = (code: string, staff: string = SEED.staffZhang) =>
    t.db.rpc<Redemption | { error: { code: string; message: string } }>('pick_up_redemption', {
      p_actor: staff,
      p_community_id: SEED.sunshine,
      p_code: code,
      p_key: key(),
    });

  it('lock guessing out after five wrong codes in parallel, even for the right code, per staff member', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '兑换' })) as [string];
    await grantPoints(t.db, volunteer, 100);
    const goods = await stockedGoods(t.db, { stock: 5, price: 10 });
    const redemption = await t.db.rpc<Redemption>('redeem_goods', {
      p_actor: volunteer,
      p_goods_id: goods.id,
      p_quantity: 1,
      p_key: key(),
    });
    const right = redemption.pickupCode as string;
    const wrong = Array.from({ length: 40 }, (_, i) =>
      String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'),
    );
    const answers = await Promise.allSettled(wrong.map((code) => pickUp(code)));
    const refused = answers.filter((a) => a.status === 'rejected').length;
    const counted = answers.filter((a) => a.status === 'fulfilled' && 'error' in a.value).length;
    expect(counted).toBe(5);
    expect(refused).toBe(35);
    await expectAppError(pickUp(right), 'rate_limited', /分钟后再试/);
    // Another staff member of the community is not locked out by the first one's guesses.
    const handed = await pickUp(right, SEED.adminHuang);
    expect(handed).toMatchObject({ id: redemption.id, status: 'picked_up' });
  });
});

describe('pairs', () => {
  it('refuses pairing a resident with a volunteer of another community', async () => {
    await expectAppError(
      t.db.rpc('pair_volunteer', {
        p_actor: SEED.staffZhang,
        p_resident_id: SEED.residentWang,
        p_volunteer_id: MORE.volunteerSun,
        p_key: key(),
      }),
      'invalid_input',
      /本社区/,
    );
    const { rows } = await t.admin.query('select * from public.resident_pairs where volunteer_id = $1', [
      MORE.volunteerSun,
    ]);
    expect(rows).toEqual([]);
  });
});
