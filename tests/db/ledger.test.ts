import { type OrderView, servicePoints } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { SEED } from '../support/ids';
import {
  checkIn,
  checkOut,
  createResidents,
  createVolunteers,
  grantPoints,
  HOLDS,
  key,
  ledgerInvariants,
  placeOrder,
  publishProject,
  stockedGoods,
} from '../support/orders';

let t: TestDatabase;
let projectId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await publishProject(t.db, { pointsPerHour: 30 })).id;
});
afterAll(async () => {
  expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  await t.close();
});

interface Wallet {
  balance: number;
  serviceMinutes: number;
  serviceCount: number;
  entries: { kind: string; amount: number; memo: string; transferId: number; reversed: boolean }[];
}
const wallet = (user: string) => t.db.rpc<Wallet>('get_wallet', { p_actor: user });

/** A completed order of `minutes` by a fresh volunteer (or this one), ready to be confirmed. */
async function completed(minutes: number, by?: string) {
  const volunteer = by ?? ((await createVolunteers(t.admin, 1, { prefix: '积分' })) as [string])[0];
  const [resident] = (await createResidents(t.admin, 1)) as [string];
  const order = await placeOrder(t.db, projectId, { resident });
  await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
  await checkIn(t, order.id, volunteer);
  await checkOut(t, order.id, volunteer, { minutes });
  return { id: order.id, volunteer, resident };
}

const confirm = (o: { id: string; resident: string }, rating: number) =>
  t.db.rpc<OrderView & { pointsAwarded: number }>('confirm_order', {
    p_actor: o.resident,
    p_order_id: o.id,
    p_rating: rating,
    p_tags: [],
    p_comment: '',
    p_key: key(),
  });

describe('earning', () => {
  it.each([
    [3, 90, 54],
    [2, 90, 45],
    [1, 90, 36],
  ])(
    'credits rating %i for %i minutes at 30/h at the 好 factor first, %i points once its batch settles',
    async (rating, minutes, points) => {
      const order = await completed(minutes);
      const confirmed = await confirm(order, rating);
      // Blind: what this order shows and what moved now is the same whatever the rating.
      expect(confirmed.pointsAwarded).toBe(45);
      expect(servicePoints({ minutes, pointsPerHour: 30, rating: rating as 1 | 2 | 3 })).toBe(points);
      const w = await wallet(order.volunteer);
      expect(w).toMatchObject({ balance: 45, serviceMinutes: minutes, serviceCount: 1 });
      expect(w.entries[0]).toMatchObject({ kind: 'earn', amount: 45, memo: '服务：手机使用上门教学' });
      // Two more rated 好 by the same volunteer: the third settles the batch, one transfer for all three.
      for (const _ of [1, 2]) {
        const more = await completed(minutes, order.volunteer);
        await confirm(more, 2);
      }
      const settled = await wallet(order.volunteer);
      expect(settled.balance).toBe(points + 90);
      const ratingEntries = settled.entries.filter((e) => e.kind === 'rating');
      expect(ratingEntries.length).toBe(points === 45 ? 0 : 1);
      if (points !== 45)
        expect(ratingEntries[0]).toMatchObject({ amount: points - 45, memo: '评价结算：3 次服务' });
    },
  );

  it('credits an auto-confirmed order as 好, once, even when the tick runs again', async () => {
    const order = await completed(60);
    const later = new Date(Date.now() + 49 * 3_600_000).toISOString();
    await t.db.rpc('tick', { p_now: later });
    await t.db.rpc('tick', { p_now: later });
    expect((await wallet(order.volunteer)).balance).toBe(30);
  });

  it('matches the SQL formula for every rating over many durations and rates', async () => {
    const { rows } = await t.admin.query<{ m: number; r: number; rating: number | null; p: string }>(`
      select m, r, rating, private.service_points(m, r, rating, 0) as p
      from generate_series(1, 600, 7) m, (values (1), (7), (13), (30), (999)) rates(r),
           (values (1), (2), (3), (null)) ratings(rating)`);
    const mismatches = rows.filter(
      (row) =>
        Number(row.p) !==
        servicePoints({ minutes: row.m, pointsPerHour: row.r, rating: row.rating as 1 | 2 | 3 | null }),
    );
    expect(rows.length).toBeGreaterThan(1000);
    expect(mismatches).toEqual([]);
  });
});

describe('disputes after confirmation', () => {
  it('take the points back and void the hours when staff find the service did not happen', async () => {
    const order = await completed(60);
    await confirm(order, 2);
    await t.db.rpc('dispute_order', {
      p_actor: order.resident,
      p_order_id: order.id,
      p_reason: '没来过',
      p_key: key(),
    });
    const voided = await t.db.rpc<OrderView & { pointsReversed: number }>('resolve_dispute', {
      p_actor: SEED.staffZhang,
      p_order_id: order.id,
      p_outcome: 'void',
      p_note: '回访核实未服务',
      p_key: key(),
    });
    expect(voided).toMatchObject({ status: 'voided', pointsReversed: 30 });
    const w = await wallet(order.volunteer);
    expect(w).toMatchObject({ balance: 0, serviceMinutes: 0, serviceCount: 0 });
    expect(w.entries.map((e) => [e.kind, e.amount])).toEqual([
      ['reversal', -30],
      ['earn', 30],
    ]);
  });

  it('take back only what is left when the points were already spent, and say how much is missing', async () => {
    const order = await completed(60);
    await confirm(order, 2);
    const goods = await stockedGoods(t.db, { price: 20 });
    await t.db.rpc('redeem_goods', {
      p_actor: order.volunteer,
      p_goods_id: goods.id,
      p_quantity: 1,
      p_key: key(),
    });
    await t.db.rpc('dispute_order', {
      p_actor: order.resident,
      p_order_id: order.id,
      p_reason: '没来过',
      p_key: key(),
    });
    await t.db.rpc('resolve_dispute', {
      p_actor: SEED.staffZhang,
      p_order_id: order.id,
      p_outcome: 'void',
      p_note: '核实',
      p_key: key(),
    });
    expect((await wallet(order.volunteer)).balance).toBe(0);
    const { rows } = await t.admin.query(
      "select detail from public.order_events where order_id = $1 and action = 'void'",
      [order.id],
    );
    expect(rows[0].detail).toMatchObject({ pointsReversed: 10, unrecovered: 20 });
  });
});

describe('the store', () => {
  it('redeems: points move, stock is reserved, a code is issued; staff hand it over once', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '兑换' })) as [string];
    await grantPoints(t.db, volunteer, 50);
    const goods = await stockedGoods(t.db, { price: 20, stock: 3 });
    const redemption = await t.db.rpc<{ id: string; pickupCode: string; status: string }>('redeem_goods', {
      p_actor: volunteer,
      p_goods_id: goods.id,
      p_quantity: 2,
      p_key: key(),
    });
    expect(redemption.pickupCode).toMatch(/^\d{6}$/);
    expect((await wallet(volunteer)).balance).toBe(10);
    const stock = async () =>
      (await t.admin.query('select stock from public.goods where id = $1', [goods.id])).rows[0].stock;
    expect(await stock()).toBe(1);

    const pickUp = () =>
      t.db.rpc('pick_up_redemption', {
        p_actor: SEED.staffZhang,
        p_community_id: SEED.sunshine,
        p_code: redemption.pickupCode,
        p_key: key(),
      });
    await expectAppError(
      t.db.rpc('pick_up_redemption', {
        p_actor: SEED.staffWu,
        p_community_id: SEED.sunshine,
        p_code: redemption.pickupCode,
        p_key: key(),
      }),
      'forbidden',
    );
    expect(await pickUp()).toMatchObject({ status: 'picked_up' });
    await expectAppError(pickUp(), 'illegal_transition', /已经核销过了/);
    await expectAppError(
      t.db.rpc('cancel_redemption', { p_actor: volunteer, p_redemption_id: redemption.id, p_key: key() }),
      'illegal_transition',
    );
    expect(await stock()).toBe(1);
  });

  it('refunds points and stock on cancel, and when the tick expires an unclaimed item', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '退回' })) as [string];
    await grantPoints(t.db, volunteer, 40);
    const goods = await stockedGoods(t.db, { price: 20, stock: 2 });
    const redeem = () =>
      t.db.rpc<{ id: string }>('redeem_goods', {
        p_actor: volunteer,
        p_goods_id: goods.id,
        p_quantity: 1,
        p_key: key(),
      });
    const first = await redeem();
    const second = await redeem();
    expect((await wallet(volunteer)).balance).toBe(0);

    await t.db.rpc('cancel_redemption', { p_actor: volunteer, p_redemption_id: first.id, p_key: key() });
    expect((await wallet(volunteer)).balance).toBe(20);
    await t.db.rpc('tick', { p_now: new Date(Date.now() + 8 * 86_400_000).toISOString() });
    expect((await wallet(volunteer)).balance).toBe(40);
    const { rows } = await t.admin.query('select status from public.redemptions where id = $1', [second.id]);
    expect(rows[0].status).toBe('expired');
    expect(
      (await t.admin.query('select stock from public.goods where id = $1', [goods.id])).rows[0].stock,
    ).toBe(2);
  });

  it('refuses without enough points, beyond stock, and beyond the monthly limit, changing nothing', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '限制' })) as [string];
    await grantPoints(t.db, volunteer, 100);
    const redeem = (goodsId: string, quantity: number) =>
      t.db.rpc('redeem_goods', {
        p_actor: volunteer,
        p_goods_id: goodsId,
        p_quantity: quantity,
        p_key: key(),
      });
    const dear = await stockedGoods(t.db, { price: 30, stock: 5 });
    await expectAppError(redeem(dear.id, 4), 'insufficient_points', /还差 20 分/);
    const limited = await stockedGoods(t.db, { price: 1, stock: 5, monthlyLimit: 2 });
    await redeem(limited.id, 2);
    await expectAppError(redeem(limited.id, 1), 'limit_reached', /每月限兑 2 件/);
    const scarce = await stockedGoods(t.db, { price: 1, stock: 1 });
    await expectAppError(redeem(scarce.id, 2), 'out_of_stock', /还剩 1 件/);
    expect((await wallet(volunteer)).balance).toBe(98);
  });
});

describe('corrections', () => {
  it('lets staff adjust with a reason, reverse a transfer once, and never go below zero', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '调整' })) as [string];
    await expectAppError(
      t.db.rpc('adjust_points', {
        p_actor: SEED.staffZhang,
        p_user_id: volunteer,
        p_amount: 5,
        p_reason: '',
        p_key: key(),
      }),
      'invalid_input',
      /原因/,
    );
    await grantPoints(t.db, volunteer, 25);
    await expectAppError(grantPoints(t.db, volunteer, -30), 'insufficient_points');
    await expectAppError(grantPoints(t.db, volunteer, 5, SEED.staffWu), 'forbidden');
    const [grant] = (await wallet(volunteer)).entries;
    const reverse = () =>
      t.db.rpc('reverse_transfer', {
        p_actor: SEED.staffZhang,
        p_transfer_id: grant?.transferId,
        p_reason: '发错人了',
        p_key: key(),
      });
    await reverse();
    await expectAppError(reverse(), 'conflict', /已经撤销过了/);
    const w = await wallet(volunteer);
    expect(w.balance).toBe(0);
    expect(w.entries.map((e) => [e.kind, e.amount, e.reversed])).toEqual([
      ['reversal', -25, false],
      ['adjust', 25, true],
    ]);
  });

  it('keeps entries, transfers and stock movements append-only', async () => {
    for (const table of ['point_entries', 'point_transfers', 'stock_movements']) {
      const appendOnly = expect.objectContaining({ detail: expect.stringContaining('只能追加') });
      await expect(t.admin.query(`update public.${table} set created_at = now()`)).rejects.toEqual(
        appendOnly,
      );
      await expect(t.admin.query(`delete from public.${table}`)).rejects.toEqual(appendOnly);
    }
  });
});
