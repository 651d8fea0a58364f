import type { OrderView } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SEED } from '../support/ids';
import { checkIn, checkOut, createVolunteers, key, placeOrder, publishProject } from '../support/orders';

// Real connections racing on real Postgres: the pool of the test database has 25.
let t: TestDatabase;
let projectId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await publishProject(t.db)).id;
});
afterAll(() => t.close());

const settle = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);
const codes = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) => (r.status === 'fulfilled' ? 'ok' : ((r.reason as { code?: string }).code ?? 'error')));

describe('racing', () => {
  it('gives an order to exactly one of 20 volunteers accepting at once', async () => {
    const volunteers = await createVolunteers(t.admin, 20, { prefix: '抢单' });
    const order = await placeOrder(t.db, projectId, { startInMinutes: 300 });
    const results = await settle(
      volunteers.map((v) =>
        t.db.rpc<OrderView>('accept_order', { p_actor: v, p_order_id: order.id, p_key: key() }),
      ),
    );
    const outcome = codes(results);
    expect(outcome.filter((c) => c === 'ok')).toHaveLength(1);
    expect(outcome.filter((c) => c === 'order_taken')).toHaveLength(19);
    const winner = volunteers[outcome.indexOf('ok')];
    const { rows } = await t.admin.query('select volunteer_id, status from public.orders where id = $1', [
      order.id,
    ]);
    expect(rows[0]).toEqual({ volunteer_id: winner, status: 'accepted' });
    const events = await t.admin.query(
      "select count(*)::int as n from public.order_events where order_id = $1 and action = 'accept'",
      [order.id],
    );
    expect(events.rows[0].n).toBe(1);
  });

  it('answers one accept resent 10 times at once with the first result, acting once', async () => {
    const [volunteer] = await createVolunteers(t.admin, 1, { prefix: '重发' });
    const order = await placeOrder(t.db, projectId, { startInMinutes: 600 });
    const sameKey = key();
    const results = await settle(
      Array.from({ length: 10 }, () =>
        t.db.rpc<OrderView>('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: sameKey }),
      ),
    );
    expect(codes(results)).toEqual(Array(10).fill('ok'));
    const bodies = results.map((r) => (r as PromiseFulfilledResult<OrderView>).value);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    const events = await t.admin.query(
      'select count(*)::int as n from public.order_events where order_id = $1',
      [order.id],
    );
    expect(events.rows[0].n).toBe(2); // create + one accept
  });

  it('never lets one volunteer take two overlapping orders by accepting both at once', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '重叠' })) as [string];
    const first = await placeOrder(t.db, projectId, { startInMinutes: 900 });
    const second = await placeOrder(t.db, projectId, { startInMinutes: 930 });
    const results = await settle(
      [first, second].map((o) =>
        t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: o.id, p_key: key() }),
      ),
    );
    expect(codes(results).sort()).toEqual(['ok', 'schedule_conflict']);
  });

  it('confirms a due order once when two ticks run at the same moment', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '定时' })) as [string];
    const order = await placeOrder(t.db, projectId, { startInMinutes: 40 });
    await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
    await checkIn(t, order.id, volunteer);
    await checkOut(t, order.id, volunteer);
    const later = new Date(Date.now() + 49 * 3_600_000).toISOString();
    const ticks = await Promise.all(
      [1, 2, 3].map(() => t.db.rpc<{ autoConfirmed: number }>('tick', { p_now: later })),
    );
    expect(ticks.reduce((sum, r) => sum + r.autoConfirmed, 0)).toBeGreaterThanOrEqual(1);
    const events = await t.admin.query(
      "select count(*)::int as n from public.order_events where order_id = $1 and action = 'auto_confirm'",
      [order.id],
    );
    expect(events.rows[0].n).toBe(1);
  });

  it('keeps the timeline true to the order when a cancel and an accept race', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '取消' })) as [string];
    const order = await placeOrder(t.db, projectId, { startInMinutes: 1200 });
    const results = await settle([
      t.db.rpc('cancel_order', {
        p_actor: SEED.residentWang,
        p_order_id: order.id,
        p_reason: '',
        p_key: key(),
      }),
      t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() }),
    ]);
    const succeeded = codes(results).filter((c) => c === 'ok').length;
    const { rows } = await t.admin.query('select status from public.orders where id = $1', [order.id]);
    const events = await t.admin.query<{ to_status: string }>(
      'select to_status from public.order_events where order_id = $1 order by id',
      [order.id],
    );
    expect(rows[0].status).toBe('cancelled'); // cancel wins either way: before the accept, or after it
    expect(events.rows).toHaveLength(1 + succeeded);
    expect(events.rows.at(-1)?.to_status).toBe(rows[0].status);
  });
});
