import type { OrderView } from '@llb/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
} from '../support/orders';

// Policy numbers live in public.policies: changing a row changes what the SQL
// functions do and what the app is told (get_me.policy), with no other copy.

let t: TestDatabase;
let projectId: string;
let defaults: { key: string; value: number }[];
beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await publishProject(t.db)).id;
  defaults = (await t.admin.query('select key, value from public.policies')).rows;
});
afterEach(async () => {
  for (const p of defaults) {
    await t.admin.query('update public.policies set value = $2 where key = $1', [p.key, p.value]);
  }
});
afterAll(() => t.close());

const setPolicy = (name: string, value: number) =>
  t.admin
    .query('update public.policies set value = $2 where key = $1 returning key', [name, value])
    .then((r) => {
      expect(r.rowCount, name).toBe(1);
    });
const me = (actor: string) =>
  t.db.rpc<{ policy: Record<string, number>; staffCommunities: { id: string; name: string }[] }>('get_me', {
    p_actor: actor,
  });

async function acceptedOrder(startInMinutes: number) {
  const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '规则' })) as [string];
  const [resident] = (await createResidents(t.admin, 1)) as [string];
  const order = await placeOrder(t.db, projectId, { resident, startInMinutes });
  await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
  return { order, volunteer, resident };
}

describe('policies', () => {
  it('reach the app through get_me, every one in camelCase', async () => {
    const { policy } = await me(SEED.residentWang);
    expect(Object.keys(policy).sort()).toEqual(
      defaults.map((p) => p.key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())).sort(),
    );
    expect(policy).toMatchObject({
      checkInLeadMinutes: 15,
      autoConfirmHours: 48,
      disputeDays: 7,
      pickupDays: 7,
      openOrdersPerResident: 10,
      checkInRadiusM: 200,
      escalationWidenAtStep: 2,
    });
    expect((await me(SEED.staffZhang)).staffCommunities.map((c) => c.id)).toEqual([SEED.sunshine]);
    expect((await me(SEED.adminHuang)).staffCommunities.map((c) => c.name).sort()).toEqual(
      ['和平社区', '阳光社区'].sort(),
    );
    expect((await me(SEED.residentWang)).staffCommunities).toEqual([]);
  });

  it('check_in_lead_minutes: 60 opens check-in an hour ahead, and says so', async () => {
    const o = await acceptedOrder(300);
    await moveWindow(t, o.order.id, 50);
    const code = () => presenceCode(t.db, o.order.id, o.resident);
    await expectAppError(
      presenceByCode(t.db, 'check_in', o.order.id, o.volunteer, await code()),
      'presence_failed',
      /15 分钟/,
    );
    await setPolicy('check_in_lead_minutes', 60);
    expect((await me(o.volunteer)).policy.checkInLeadMinutes).toBe(60);
    const view = await t.db.rpc<OrderView>('get_order', { p_actor: o.volunteer, p_order_id: o.order.id });
    expect(Date.parse(view.windowStart) - Date.parse(view.checkInOpensAt as string)).toBe(60 * 60_000);
    const done = await presenceByCode(t.db, 'check_in', o.order.id, o.volunteer, await code());
    expect((done as OrderView).status).toBe('in_service');

    const early = await acceptedOrder(300);
    await moveWindow(t, early.order.id, 61);
    await expectAppError(
      presenceByCode(
        t.db,
        'check_in',
        early.order.id,
        early.volunteer,
        await presenceCode(t.db, early.order.id, early.resident),
      ),
      'presence_failed',
      /60 分钟/,
    );
  });

  it('auto_confirm_hours: 24 confirms a day after completion instead of two', async () => {
    const o = await acceptedOrder(300);
    await checkIn(t, o.order.id, o.volunteer);
    await checkOut(t, o.order.id, o.volunteer);
    const in25Hours = new Date(Date.now() + 25 * 3_600_000).toISOString();
    expect(await t.db.rpc('tick', { p_now: in25Hours })).toMatchObject({ autoConfirmed: 0 });
    await setPolicy('auto_confirm_hours', 24);
    expect((await me(SEED.residentWang)).policy.autoConfirmHours).toBe(24);
    expect(await t.db.rpc('tick', { p_now: in25Hours })).toMatchObject({ autoConfirmed: 1 });
    const { rows } = await t.admin.query('select status, auto_confirmed from public.orders where id = $1', [
      o.order.id,
    ]);
    expect(rows[0]).toEqual({ status: 'confirmed', auto_confirmed: true });
  });

  it('presence_max_failures and presence_lockout_minutes set the guessing lockout', async () => {
    await setPolicy('presence_max_failures', 2);
    await setPolicy('presence_lockout_minutes', 3);
    const o = await acceptedOrder(300);
    await moveWindow(t, o.order.id, 5);
    const right = await presenceCode(t.db, o.order.id, o.resident);
    const wrong = right === '000000' ? '000001' : '000000';
    for (let i = 0; i < 2; i++) {
      expect(await presenceByCode(t.db, 'check_in', o.order.id, o.volunteer, wrong)).toMatchObject({
        error: { code: 'presence_failed' },
      });
    }
    await expectAppError(
      presenceByCode(t.db, 'check_in', o.order.id, o.volunteer, right),
      'rate_limited',
      /3 分钟后再试/,
    );
  });

  it('open_orders_per_resident: 3 refuses the fourth open order', async () => {
    await setPolicy('open_orders_per_resident', 3);
    const [resident] = (await createResidents(t.admin, 1)) as [string];
    for (let i = 0; i < 3; i++)
      await placeOrder(t.db, projectId, { resident, startInMinutes: 100 + i * 200 });
    await expectAppError(
      placeOrder(t.db, projectId, { resident, startInMinutes: 900 }),
      'conflict',
      /进行中的订单太多/,
    );
  });

  const placeAtOnce = async (resident: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        placeOrder(t.db, projectId, { resident, startInMinutes: 60 + i * 150 }).then(
          () => 'ok',
          (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
        ),
      ),
    );
  const openOrders = async (resident: string) =>
    (
      await t.admin.query(
        "select count(*)::int as n from public.orders where resident_id = $1 and status = 'open'",
        [resident],
      )
    ).rows[0].n;

  it('open_orders_per_resident is never exceeded when 20 orders of one resident arrive at once', async () => {
    const [resident] = (await createResidents(t.admin, 1)) as [string];
    const results = await placeAtOnce(resident, 20);
    const placed = results.filter((r) => r === 'ok').length;
    expect(placed).toBeGreaterThan(0);
    expect(placed).toBeLessThanOrEqual(10);
    expect(await openOrders(resident)).toBe(placed);
    for (const r of results.filter((x) => x !== 'ok')) expect(r).toMatch(/^conflict: /);
  });

  // Two requests of one resident at once must queue, not deadlock: no order under the limit is refused.
  it('open_orders_per_resident 3: of 8 orders at once exactly 3 are placed, the rest told why', async () => {
    await setPolicy('open_orders_per_resident', 3);
    const [resident] = (await createResidents(t.admin, 1)) as [string];
    const results = await placeAtOnce(resident, 8);
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    expect(results.filter((r) => r !== 'ok')).toEqual(
      Array(5).fill('conflict: 进行中的订单太多了，请先完成或取消一些'),
    );
    expect(await openOrders(resident)).toBe(3);
  });
});
