// A race for every limit, stock, seat or "exactly one" rule, on real connections
// (the test database's pool has 25). Each asserts the invariant and that every
// loser was told why with a specific error code. Covered elsewhere, not repeated:
// - tests/db/concurrency.test.ts: 20 volunteers accepting one order (one wins,
//   order_taken); one accept resent 10 times; one volunteer accepting two
//   overlapping orders at once (schedule_conflict); two ticks auto-confirming;
//   cancel vs accept (timeline stays true, cancel wins).
// - tests/db/ledger-races.test.ts: 200 redemptions for 10 items (out_of_stock);
//   one redeem key from 20 connections; cancel vs pickup of one redemption.
// - tests/db/policies.test.ts: the open-order limit per resident under 8 and 20
//   parallel orders (open_orders_per_resident).
import type { OrderView } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SEED } from '../support/ids';
import {
  createVolunteers,
  grantPoints,
  HOLDS,
  key,
  ledgerInvariants,
  moveWindow,
  placeOrder,
  presenceByCode,
  presenceCode,
  publishProject,
  stockedGoods,
} from '../support/orders';

let t: TestDatabase;
let projectId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await publishProject(t.db)).id;
  // Room for the orders these races place (Wang orders all of them).
  await t.admin.query("update public.policies set value = 1000 where key = 'open_orders_per_resident'");
});
afterAll(() => t.close());

/** 'ok', or the error code a loser was given ('presence_failed' etc. when answered as a value). */
const outcomes = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) => {
    if (r.status === 'rejected') return (r.reason as { code?: string }).code ?? String(r.reason);
    const value = r.value as { error?: { code: string } } | null;
    return value && typeof value === 'object' && 'error' in value && value.error ? value.error.code : 'ok';
  });
const count = (codes: string[], code: string) => codes.filter((c) => c === code).length;

const policy = async (name: string) =>
  (await t.admin.query<{ value: number }>('select value from public.policies where key = $1', [name])).rows[0]
    ?.value as number;

describe('races on limits and seats', () => {
  it('monthly limit per person: 12 parallel redemptions of an item limited to 3 a month give exactly 3', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '限兑' })) as [string];
    await grantPoints(t.db, volunteer, 500);
    const goods = await stockedGoods(t.db, { price: 10, stock: 100, monthlyLimit: 3 });
    const codes = outcomes(
      await Promise.allSettled(
        Array.from({ length: 12 }, () =>
          t.db.rpc('redeem_goods', { p_actor: volunteer, p_goods_id: goods.id, p_quantity: 1, p_key: key() }),
        ),
      ),
    );
    expect(count(codes, 'ok')).toBe(3);
    expect(count(codes, 'limit_reached')).toBe(9);
    const { rows } = await t.admin.query(
      `select (select count(*)::int from public.redemptions where volunteer_id = $1 and goods_id = $2) as redemptions,
              (select stock from public.goods where id = $2) as stock,
              (select balance::int from public.point_accounts where user_id = $1) as balance`,
      [volunteer, goods.id],
    );
    expect(rows[0]).toEqual({ redemptions: 3, stock: 97, balance: 470 });
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  });

  it('daily cap 1: parallel accepts of 4 orders on one day by one volunteer give exactly one task', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '日限' })) as [string];
    await t.admin.query('update public.volunteer_profiles set daily_cap = 1 where user_id = $1', [volunteer]);
    // Then moved to one day (Shanghai), 08:00, 10:10, 12:20 and 14:30: no overlaps, one day.
    const orders: OrderView[] = [];
    for (let i = 0; i < 4; i++) {
      orders.push(await placeOrder(t.db, projectId, { startInMinutes: 24 * 60 * 3 + 130 * i }));
    }
    await t.admin.query(
      `update public.orders o set window_start = d.day + (interval '130 minutes' * d.n),
         window_end = d.day + (interval '130 minutes' * d.n) + interval '120 minutes'
       from (select id, row_number() over (order by window_start) - 1 as n,
                    (date_trunc('day', now() at time zone 'Asia/Shanghai') + interval '3 days 8 hours')
                      at time zone 'Asia/Shanghai' as day
             from public.orders where id = any($1::uuid[])) d
       where o.id = d.id`,
      [orders.map((o) => o.id)],
    );
    const results = await Promise.allSettled(
      orders.map((o) => t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: o.id, p_key: key() })),
    );
    const codes = outcomes(results);
    expect(count(codes, 'ok')).toBe(1);
    expect(count(codes, 'not_qualified')).toBe(3);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as Error).message).toMatch(/每日上限/);
    }
    const { rows } = await t.admin.query(
      'select count(*)::int as n from public.orders where volunteer_id = $1',
      [volunteer],
    );
    expect(rows[0].n).toBe(1);
  });

  it('overlap across doors: a volunteer accepting one order while staff assign them an overlapping one gets one', async () => {
    for (let round = 0; round < 5; round++) {
      const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: `交叠${round}` })) as [string];
      const first = await placeOrder(t.db, projectId, { startInMinutes: 2000 + round * 400 });
      const second = await placeOrder(t.db, projectId, { startInMinutes: 2030 + round * 400 });
      const codes = outcomes(
        await Promise.allSettled([
          t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: first.id, p_key: key() }),
          t.db.rpc('assign_order', {
            p_actor: SEED.staffZhang,
            p_order_id: second.id,
            p_volunteer_id: volunteer,
            p_key: key(),
          }),
        ]),
      );
      expect(codes.sort()).toEqual(['ok', 'schedule_conflict']);
      const { rows } = await t.admin.query(
        'select count(*)::int as n from public.orders where volunteer_id = $1',
        [volunteer],
      );
      expect(rows[0].n).toBe(1);
    }
  });

  it('two staff assigning one order to different volunteers at once: exactly one assignment', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = (await createVolunteers(t.admin, 2, { prefix: `双派${round}` })) as [string, string];
      const order = await placeOrder(t.db, projectId, { startInMinutes: 4500 + round * 200 });
      const codes = outcomes(
        await Promise.allSettled([
          t.db.rpc('assign_order', {
            p_actor: SEED.staffZhang,
            p_order_id: order.id,
            p_volunteer_id: a,
            p_key: key(),
          }),
          t.db.rpc('assign_order', {
            p_actor: SEED.adminHuang,
            p_order_id: order.id,
            p_volunteer_id: b,
            p_key: key(),
          }),
        ]),
      );
      expect(count(codes, 'ok')).toBe(1);
      const winner = codes[0] === 'ok' ? a : b;
      expect(codes.filter((c) => c !== 'ok')).toEqual([
        expect.stringMatching(/^(order_taken|illegal_transition)$/),
      ]);
      const { rows } = await t.admin.query('select volunteer_id, status from public.orders where id = $1', [
        order.id,
      ]);
      expect(rows[0]).toEqual({ volunteer_id: winner, status: 'accepted' });
      const events = await t.admin.query(
        "select count(*)::int as n from public.order_events where order_id = $1 and action in ('assign', 'accept')",
        [order.id],
      );
      expect(events.rows[0].n).toBe(1);
    }
  });

  it('accept vs assign of one order at once: exactly one volunteer holds it', async () => {
    for (let round = 0; round < 5; round++) {
      const [taker, assignee] = (await createVolunteers(t.admin, 2, { prefix: `抢派${round}` })) as [
        string,
        string,
      ];
      const order = await placeOrder(t.db, projectId, { startInMinutes: 6000 + round * 200 });
      const codes = outcomes(
        await Promise.allSettled([
          t.db.rpc('accept_order', { p_actor: taker, p_order_id: order.id, p_key: key() }),
          t.db.rpc('assign_order', {
            p_actor: SEED.staffZhang,
            p_order_id: order.id,
            p_volunteer_id: assignee,
            p_key: key(),
          }),
        ]),
      );
      expect(count(codes, 'ok')).toBe(1);
      expect(codes.filter((c) => c !== 'ok')).toEqual([
        expect.stringMatching(/^(order_taken|illegal_transition)$/),
      ]);
      const { rows } = await t.admin.query('select volunteer_id from public.orders where id = $1', [
        order.id,
      ]);
      expect(rows[0].volunteer_id).toBe(codes[0] === 'ok' ? taker : assignee);
    }
  });

  it('staff cancel vs staff assign at once: the order ends cancelled or assigned, and its timeline says which', async () => {
    for (let round = 0; round < 5; round++) {
      const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: `撤派${round}` })) as [string];
      const order = await placeOrder(t.db, projectId, { startInMinutes: 7500 + round * 200 });
      const results = await Promise.allSettled([
        t.db.rpc('cancel_order', {
          p_actor: SEED.staffZhang,
          p_order_id: order.id,
          p_reason: '',
          p_key: key(),
        }),
        t.db.rpc('assign_order', {
          p_actor: SEED.adminHuang,
          p_order_id: order.id,
          p_volunteer_id: volunteer,
          p_key: key(),
        }),
      ]);
      const [cancel, assign] = outcomes(results);
      for (const c of [cancel, assign]) expect(c).toMatch(/^(ok|order_taken|illegal_transition)$/);
      const { rows } = await t.admin.query('select status, volunteer_id from public.orders where id = $1', [
        order.id,
      ]);
      const events = await t.admin.query<{ to_status: string }>(
        'select to_status from public.order_events where order_id = $1 order by id',
        [order.id],
      );
      expect(events.rows).toHaveLength(1 + count([cancel, assign] as string[], 'ok'));
      expect(events.rows.at(-1)?.to_status).toBe(rows[0].status);
      if (cancel === 'ok') expect(rows[0].status).toBe('cancelled');
      else expect(rows[0]).toEqual({ status: 'accepted', volunteer_id: volunteer });
    }
  });

  it('pickup once: the same code handed over by two staff at once is picked up once', async () => {
    const volunteers = await createVolunteers(t.admin, 5, { prefix: '双核' });
    const goods = await stockedGoods(t.db, { price: 5, stock: 10 });
    for (const volunteer of volunteers) {
      await grantPoints(t.db, volunteer, 5);
      const r = await t.db.rpc<{ id: string; pickupCode: string }>('redeem_goods', {
        p_actor: volunteer,
        p_goods_id: goods.id,
        p_quantity: 1,
        p_key: key(),
      });
      const codes = outcomes(
        await Promise.allSettled(
          [SEED.staffZhang, SEED.adminHuang].map((staff) =>
            t.db.rpc('pick_up_redemption', {
              p_actor: staff,
              p_community_id: SEED.sunshine,
              p_code: r.pickupCode,
              p_key: key(),
            }),
          ),
        ),
      );
      expect(codes.sort()).toEqual(['illegal_transition', 'ok']);
      const { rows } = await t.admin.query('select status from public.redemptions where id = $1', [r.id]);
      expect(rows[0].status).toBe('picked_up');
    }
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  });
});

describe('races on guess lockouts', () => {
  it('presence codes: 15 parallel wrong codes count exactly the policy’s maximum, then lock (even the right code)', async () => {
    const max = await policy('presence_max_failures');
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '猜码' })) as [string];
    const order = await placeOrder(t.db, projectId, { startInMinutes: 9000 });
    await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
    await moveWindow(t, order.id, 5);
    const right = await presenceCode(t.db, order.id);
    const wrong = right === '000000' ? '111111' : '000000';
    const codes = outcomes(
      await Promise.allSettled(
        Array.from({ length: 15 }, () => presenceByCode(t.db, 'check_in', order.id, volunteer, wrong)),
      ),
    );
    expect(count(codes, 'presence_failed')).toBe(max);
    expect(count(codes, 'rate_limited')).toBe(15 - max);
    const { rows } = await t.admin.query(
      'select presence_failures, status from public.orders where id = $1',
      [order.id],
    );
    expect(rows[0]).toEqual({ presence_failures: max, status: 'accepted' });
    const after = outcomes(
      await Promise.allSettled([presenceByCode(t.db, 'check_in', order.id, volunteer, right)]),
    );
    expect(after).toEqual(['rate_limited']);
  });

  it('location check-ins: 15 parallel tries from afar count the same way, then lock', async () => {
    const max = await policy('presence_max_failures');
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '猜位' })) as [string];
    const order = await placeOrder(t.db, projectId, {
      startInMinutes: 9500,
      input: { latitude: 31.2304, longitude: 121.4737 },
    });
    await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
    await moveWindow(t, order.id, 5);
    const codes = outcomes(
      await Promise.allSettled(
        Array.from({ length: 15 }, (_, i) =>
          t.db.rpc('check_in', {
            p_actor: volunteer,
            p_order_id: order.id,
            p_proof: { method: 'location', latitude: 31.3 + i * 0.001, longitude: 121.5 },
            p_key: key(),
          }),
        ),
      ),
    );
    expect(count(codes, 'presence_failed')).toBe(max);
    expect(count(codes, 'rate_limited')).toBe(15 - max);
    // Locked: even standing at the door is refused now.
    const atDoor = outcomes(
      await Promise.allSettled([
        t.db.rpc('check_in', {
          p_actor: volunteer,
          p_order_id: order.id,
          p_proof: { method: 'location', latitude: 31.2304, longitude: 121.4737 },
          p_key: key(),
        }),
      ]),
    );
    expect(atDoor).toEqual(['rate_limited']);
  });

  it('pickup codes: 15 parallel wrong codes by one staff member count exactly the maximum, then lock', async () => {
    const max = await policy('pickup_max_failures');
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '猜取' })) as [string];
    await grantPoints(t.db, volunteer, 10);
    const goods = await stockedGoods(t.db, { price: 10, stock: 5 });
    const r = await t.db.rpc<{ id: string; pickupCode: string }>('redeem_goods', {
      p_actor: volunteer,
      p_goods_id: goods.id,
      p_quantity: 1,
      p_key: key(),
    });
    const wrongCodes = Array.from({ length: 15 }, (_, i) =>
      String((Number(r.pickupCode) + 1 + i) % 1_000_000).padStart(6, '0'),
    );
    const { rows: taken } = await t.admin.query(
      'select pickup_code from public.redemptions where community_id = $1 and pickup_code = any($2::text[])',
      [SEED.sunshine, wrongCodes],
    );
    const guesses = wrongCodes.filter((c) => !taken.some((row) => row.pickup_code === c));
    const codes = outcomes(
      await Promise.allSettled(
        guesses.map((code) =>
          t.db.rpc('pick_up_redemption', {
            p_actor: SEED.adminHuang,
            p_community_id: SEED.sunshine,
            p_code: code,
            p_key: key(),
          }),
        ),
      ),
    );
    expect(count(codes, 'not_found')).toBe(max);
    expect(count(codes, 'rate_limited')).toBe(guesses.length - max);
    const right = outcomes(
      await Promise.allSettled([
        t.db.rpc('pick_up_redemption', {
          p_actor: SEED.adminHuang,
          p_community_id: SEED.sunshine,
          p_code: r.pickupCode,
          p_key: key(),
        }),
      ]),
    );
    expect(right).toEqual(['rate_limited']);
    const { rows } = await t.admin.query('select status from public.redemptions where id = $1', [r.id]);
    expect(rows[0].status).toBe('reserved');
  });
});
