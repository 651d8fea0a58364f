import type { OrderView, Project, VolunteerSummary } from '@llb/shared';
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
  placeOrder,
  publishProject,
} from '../support/orders';

let t: TestDatabase;
let project: Project;
beforeAll(async () => {
  t = await createTestDatabase();
  project = await publishProject(t.db);
});
afterAll(() => t.close());

async function completedOrder(volunteer?: string) {
  const v = volunteer ?? ((await createVolunteers(t.admin, 1, { prefix: '评价' }))[0] as string);
  const [resident] = (await createResidents(t.admin, 1)) as [string];
  const order = await placeOrder(t.db, project.id, { resident });
  await t.db.rpc('accept_order', { p_actor: v, p_order_id: order.id, p_key: key() });
  await checkIn(t, order.id, v);
  await checkOut(t, order.id, v);
  return { id: order.id, volunteer: v, resident };
}

const rate = (actor: string, orderId: string, rating: number, tags: string[] = []) =>
  t.db.rpc<OrderView>('confirm_order', {
    p_actor: actor,
    p_order_id: orderId,
    p_rating: rating,
    p_tags: tags,
    p_comment: '',
    p_key: key(),
  });

describe('一事一评', () => {
  it('only the served resident rates, and volunteers see totals, never who rated what', async () => {
    const [volunteer] = (await createVolunteers(t.admin, 1, { prefix: '汇总' })) as [string];
    const a = await completedOrder(volunteer);
    const b = await completedOrder(volunteer);
    const c = await completedOrder(volunteer);
    // Someone with no business with the order is not told it exists; its volunteer is told who rates.
    await expectAppError(rate(SEED.residentWang, a.id, 3), 'not_found', /没有找到这个订单/);
    await expectAppError(rate(volunteer, a.id, 3), 'forbidden', /只有被服务的居民可以评价/);
    await expectAppError(rate(a.resident, a.id, 5), 'invalid_input');
    await rate(a.resident, a.id, 3, ['耐心']);
    await rate(b.resident, b.id, 1, ['耐心', '准时']);
    const summary = () => t.db.rpc<VolunteerSummary>('get_volunteer_summary', { p_actor: volunteer });
    // Two ratings: nothing of them shows yet, not even as totals.
    expect(await summary()).toMatchObject({ completedOrders: 2, ratings: null });
    await rate(c.resident, c.id, 2, ['准时']);
    expect(await summary()).toMatchObject({
      completedOrders: 3,
      ratings: {
        rated: 3,
        averageRating: 2,
        veryGood: 1,
        good: 1,
        fair: 1,
        tags: [
          { tag: '准时', count: 2 },
          { tag: '耐心', count: 2 },
        ],
      },
    });
    const tasks = await t.db.rpc<OrderView[]>('list_my_tasks', { p_actor: volunteer });
    expect(tasks.map((o) => o.rating)).toEqual([null, null, null]);
    const timeline = (await t.db.rpc<OrderView>('get_order', { p_actor: volunteer, p_order_id: b.id }))
      .timeline;
    expect(JSON.stringify(timeline)).not.toMatch(/"rating"|准时/);
  });
});

describe('auto-confirmation after 48 hours', () => {
  it('confirms a completed order once 48 h have passed, and not before', async () => {
    const order = await completedOrder();
    const { rows } = await t.admin.query('select completed_at from public.orders where id = $1', [order.id]);
    const completedAt = (rows[0].completed_at as Date).getTime();
    await t.db.rpc('tick', { p_now: new Date(completedAt + 47 * 3_600_000).toISOString() });
    expect(
      (await t.admin.query('select status from public.orders where id = $1', [order.id])).rows[0].status,
    ).toBe('completed');
    await t.db.rpc('tick', { p_now: new Date(completedAt + 48 * 3_600_000 + 1000).toISOString() });
    const after = await t.admin.query(
      'select status, auto_confirmed, rating from public.orders where id = $1',
      [order.id],
    );
    expect(after.rows[0]).toEqual({ status: 'confirmed', auto_confirmed: true, rating: null });
  });
});

describe('disputes', () => {
  it('the resident disputes, staff of the community decide, the volunteer never reads the reason', async () => {
    const order = await completedOrder();
    await t.db.rpc('dispute_order', {
      p_actor: order.resident,
      p_order_id: order.id,
      p_reason: '志愿者没有来，只是签了到',
      p_key: key(),
    });
    const resolve = (actor: string, outcome: string) =>
      t.db.rpc<OrderView>('resolve_dispute', {
        p_actor: actor,
        p_order_id: order.id,
        p_outcome: outcome,
        p_note: '电话回访核实',
        p_key: key(),
      });
    await expectAppError(resolve(order.resident, 'void'), 'forbidden');
    await expectAppError(resolve(SEED.staffWu, 'void'), 'forbidden');
    const voided = await resolve(SEED.staffZhang, 'void');
    expect(voided.status).toBe('voided');

    const seen = await t.db.rpc<OrderView>('get_order', { p_actor: order.volunteer, p_order_id: order.id });
    expect(seen.disputeReason).toBeNull();
    expect(JSON.stringify(seen.timeline)).not.toContain('只是签了到');
    expect(seen.timeline?.map((e) => e.action).slice(-2)).toEqual(['dispute', 'void']);
  });

  it('upholding a dispute confirms the order', async () => {
    const order = await completedOrder();
    await t.db.rpc('dispute_order', {
      p_actor: order.resident,
      p_order_id: order.id,
      p_reason: '时间不对',
      p_key: key(),
    });
    const upheld = await t.db.rpc<OrderView>('resolve_dispute', {
      p_actor: SEED.adminHuang,
      p_order_id: order.id,
      p_outcome: 'uphold',
      p_note: '核实服务属实',
      p_key: key(),
    });
    expect(upheld).toMatchObject({ status: 'confirmed', resolutionNote: '核实服务属实' });
  });
});
