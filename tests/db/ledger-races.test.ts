import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SEED } from '../support/ids';
import { createVolunteers, grantPoints, HOLDS, key, ledgerInvariants, stockedGoods } from '../support/orders';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const outcomes = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) =>
    r.status === 'fulfilled' ? 'ok' : ((r.reason as { code?: string }).code ?? String(r.reason)),
  );

describe('ledger races on real connections', () => {
  it('lets exactly 10 of 200 racing redemptions have the 10 items in stock', async () => {
    const volunteers = await createVolunteers(t.admin, 200, { prefix: '抢购' });
    for (const v of volunteers) await grantPoints(t.db, v, 10);
    const goods = await stockedGoods(t.db, { price: 10, stock: 10 });
    const results = await Promise.allSettled(
      volunteers.map((v) =>
        t.db.rpc('redeem_goods', { p_actor: v, p_goods_id: goods.id, p_quantity: 1, p_key: key() }),
      ),
    );
    const codes = outcomes(results);
    expect(codes.filter((c) => c === 'ok')).toHaveLength(10);
    expect(codes.filter((c) => c === 'out_of_stock')).toHaveLength(190);
    const { rows } = await t.admin.query(
      `select g.stock, (select count(*)::int from public.redemptions r where r.goods_id = g.id) as redemptions
       from public.goods g where g.id = $1`,
      [goods.id],
    );
    expect(rows[0]).toEqual({ stock: 0, redemptions: 10 });
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  });

  it('answers one key sent from 20 connections at once with one effect and 19 replays', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '同键' })) as [string];
    await grantPoints(t.db, volunteer, 100);
    const goods = await stockedGoods(t.db, { price: 10, stock: 50 });
    const sameKey = key();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        t.db.rpc<{ id: string }>('redeem_goods', {
          p_actor: volunteer,
          p_goods_id: goods.id,
          p_quantity: 1,
          p_key: sameKey,
        }),
      ),
    );
    expect(outcomes(results)).toEqual(Array(20).fill('ok'));
    const ids = new Set(results.map((r) => (r as PromiseFulfilledResult<{ id: string }>).value.id));
    expect(ids.size).toBe(1);
    const { rows } = await t.admin.query(
      `select (select count(*)::int from public.redemptions where volunteer_id = $1) as redemptions,
              (select balance::int from public.point_accounts where user_id = $1) as balance`,
      [volunteer],
    );
    expect(rows[0]).toEqual({ redemptions: 1, balance: 90 });
  });

  it('lets one of a racing cancel and pickup win, never both', async () => {
    const volunteers = await createVolunteers(t.admin, 10, { prefix: '取核' });
    const goods = await stockedGoods(t.db, { price: 5, stock: 10 });
    for (const volunteer of volunteers) {
      await grantPoints(t.db, volunteer, 5);
      const r = await t.db.rpc<{ id: string; pickupCode: string }>('redeem_goods', {
        p_actor: volunteer,
        p_goods_id: goods.id,
        p_quantity: 1,
        p_key: key(),
      });
      const results = await Promise.allSettled([
        t.db.rpc('cancel_redemption', { p_actor: volunteer, p_redemption_id: r.id, p_key: key() }),
        t.db.rpc('pick_up_redemption', {
          p_actor: SEED.staffZhang,
          p_community_id: SEED.sunshine,
          p_code: r.pickupCode,
          p_key: key(),
        }),
      ]);
      const [cancel, pickup] = outcomes(results);
      expect([cancel, pickup].filter((c) => c === 'ok')).toHaveLength(1);
      const { rows } = await t.admin.query(
        `select r.status, (select balance::int from public.point_accounts where user_id = $2) as balance
         from public.redemptions r where r.id = $1`,
        [r.id, volunteer],
      );
      expect(rows[0]).toEqual(
        cancel === 'ok' ? { status: 'cancelled', balance: 5 } : { status: 'picked_up', balance: 0 },
      );
    }
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  });
});
