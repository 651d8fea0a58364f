import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, demoToken, sendAs } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SEED } from '../support/ids';

let t: TestDatabase;
let api: ReturnType<typeof buildTestApp>;
const tokens: Record<string, string> = {};
const BAG = 'f0000000-0000-4000-8000-000000000001'; // 环保购物袋, 10 points, seeded

let send: ReturnType<typeof sendAs>;

beforeAll(async () => {
  t = await createTestDatabase();
  api = buildTestApp(t.db);
  for (const who of ['volunteer', 'staff', 'resident']) tokens[who] = await demoToken(api.call, who);
  send = sendAs(api.app, tokens);
});
afterAll(() => t.close());

describe('wallet and store over HTTP', () => {
  it('redeems the seeded bag, staff hand it over by code, balances and stock follow', async () => {
    const before = (await send('volunteer', 'GET', '/api/wallet')).body;
    expect(before.balance).toBe(120); // the seeded opening balance
    const redeemed = await send('volunteer', 'POST', `/api/goods/${BAG}/redeem`, { quantity: 1 });
    expect(redeemed.status).toBe(201);
    expect(redeemed.body.pickupCode).toMatch(/^\d{6}$/);

    const pickup = await send('staff', 'POST', `/api/staff/communities/${SEED.sunshine}/pickups`, {
      code: `LLBG:${redeemed.body.pickupCode}`,
    });
    expect(pickup.body.status).toBe('picked_up');
    const again = await send('staff', 'POST', `/api/staff/communities/${SEED.sunshine}/pickups`, {
      code: redeemed.body.pickupCode,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('这个取货码已经核销过了');

    expect((await send('volunteer', 'GET', '/api/wallet')).body.balance).toBe(110);
    const goods = (await send('staff', 'GET', `/api/staff/communities/${SEED.sunshine}/goods`)).body;
    expect(goods.find((g: { id: string }) => g.id === BAG).stock).toBe(29);
  });

  it('lets staff adjust with a reason and read the person’s ledger; residents may not', async () => {
    const adjusted = await send('staff', 'POST', `/api/staff/people/${SEED.volunteerLi}/adjustments`, {
      amount: 5,
      reason: '协助社区活动',
    });
    expect(adjusted.status).toBe(200);
    const ledger = (await send('staff', 'GET', `/api/staff/people/${SEED.volunteerLi}/ledger`)).body;
    expect(ledger.entries[0]).toMatchObject({ kind: 'adjust', amount: 5, memo: '协助社区活动' });
    const refused = await send('resident', 'POST', `/api/staff/people/${SEED.volunteerLi}/adjustments`, {
      amount: 5,
      reason: '想要积分',
    });
    expect(refused.status).toBe(403);
  });
});

async function counts() {
  const { rows } = await t.admin.query(`select
    (select count(*) from public.point_transfers)::int as transfers,
    (select count(*) from public.redemptions)::int as redemptions,
    (select count(*) from public.goods)::int as goods,
    (select count(*) from public.stock_movements)::int as movements,
    (select count(*) from public.idempotency_keys)::int as keys`);
  return rows[0];
}

describe('bad input on every store route', () => {
  const goodsBody = { communityId: SEED.sunshine, name: '毛巾', pricePoints: 20, monthlyLimit: 2 };
  const cases: [string, string, string, unknown][] = [
    ['volunteer', 'POST', `/api/goods/${BAG}/redeem`, { quantity: 0 }],
    ['volunteer', 'POST', `/api/goods/${BAG}/redeem`, { quantity: 'two' }],
    ['volunteer', 'POST', '/api/goods/nope/redeem', { quantity: 1 }],
    ['volunteer', 'POST', '/api/redemptions/nope/cancel', {}],
    ['staff', 'POST', '/api/goods', { ...goodsBody, pricePoints: -1 }],
    ['staff', 'POST', '/api/goods', { ...goodsBody, name: '' }],
    ['staff', 'POST', '/api/goods', { ...goodsBody, photoUrl: 'javascript:alert(1)' }],
    ['staff', 'PUT', `/api/goods/${BAG}`, { ...goodsBody, monthlyLimit: 0 }],
    ['staff', 'POST', `/api/goods/${BAG}/stock`, { quantity: 0 }],
    ['staff', 'POST', `/api/staff/communities/${SEED.sunshine}/pickups`, { code: '12ab56' }],
    ['staff', 'POST', `/api/staff/communities/${SEED.sunshine}/pickups`, '{"code":'],
    ['staff', 'POST', `/api/staff/people/${SEED.volunteerLi}/adjustments`, { amount: 0, reason: '没有原因' }],
    ['staff', 'POST', `/api/staff/people/${SEED.volunteerLi}/adjustments`, { amount: 5, reason: '' }],
    ['staff', 'POST', `/api/staff/people/${SEED.volunteerLi}/adjustments`, { amount: 5.5, reason: '小数' }],
    ['staff', 'POST', '/api/transfers/abc/reverse', { reason: '发错了' }],
    ['staff', 'POST', '/api/transfers/1/reverse', { reason: '' }],
    ['staff', 'GET', `/api/staff/communities/${SEED.sunshine}/redemptions?status=lost`, undefined],
  ];

  it.each(cases)('%s %s %s answers 4xx in Chinese and changes nothing', async (who, method, path, body) => {
    const before = await counts();
    const { status, body: reply } = await send(who, method, path, body);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(reply.error.message).toMatch(/[一-龥]/);
    expect(await counts()).toEqual(before);
  });
});
