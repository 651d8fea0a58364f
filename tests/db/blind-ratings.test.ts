// Blind ratings: every confirmed service is credited at the 好 factor at once; the
// rating part (很好 +20%, 一般 −20%) waits and is settled per volunteer and community
// in batches of policy rating_batch_size (3), one transfer per batch, or at the year's
// end; the volunteer's rating totals come only from settled batches, from 3 up.
import { type OrderView, type Project, ratingShare, servicePoints, type VolunteerSummary } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
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
} from '../support/orders';

let t: TestDatabase;
let project: Project;
beforeAll(async () => {
  t = await createTestDatabase();
  project = await publishProject(t.db, { pointsPerHour: 30 });
});
afterAll(async () => {
  expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  await t.close();
});

type Rating = 1 | 2 | 3;
interface Served {
  id: string;
  volunteer: string;
  resident: string;
  minutes: number;
}

/** The rating part of a service at this file's rate, as shared/ computes it. */
const share = (minutes: number, rating: Rating) => ratingShare({ minutes, pointsPerHour: 30, rating });
const base = (minutes: number) => servicePoints({ minutes, pointsPerHour: 30, rating: 2 });

/** Approved volunteers (smartphone) who may take up to 10 tasks a day. */
async function volunteers(count: number, prefix = '盲评'): Promise<string[]> {
  const ids = await createVolunteers(t.admin, count, { prefix });
  await t.admin.query('update public.volunteer_profiles set daily_cap = 10 where user_id = any($1::uuid[])', [
    ids,
  ]);
  return ids;
}

/** A completed service of `minutes` by `volunteer` for a fresh resident, ready to be confirmed. */
async function completed(
  volunteer: string,
  minutes = 60,
  projectId = project.id,
  community: string = SEED.sunshine,
): Promise<Served> {
  const [resident] = (await createResidents(t.admin, 1, community)) as [string];
  const order = await placeOrder(t.db, projectId, { resident });
  if (community !== SEED.sunshine) {
    await t.admin.query('update public.orders set widened = true where id = $1', [order.id]);
  }
  await t.db.rpc('accept_order', { p_actor: volunteer, p_order_id: order.id, p_key: key() });
  await checkIn(t, order.id, volunteer);
  await checkOut(t, order.id, volunteer, { minutes });
  return { id: order.id, volunteer, resident, minutes };
}

const confirm = (o: Served, rating: Rating, tags: string[] = [], k = key()) =>
  t.db.rpc<OrderView>('confirm_order', {
    p_actor: o.resident,
    p_order_id: o.id,
    p_rating: rating,
    p_tags: tags,
    p_comment: '',
    p_key: k,
  });

const balance = async (volunteer: string) =>
  Number(
    (await t.admin.query('select balance from public.point_accounts where user_id = $1', [volunteer])).rows[0]
      ?.balance ?? 0,
  );

interface Batch {
  id: number;
  community_id: string;
  orders: number;
  amount: number;
  moved: number;
  transfer_id: number | null;
  year_end: boolean;
}
const batches = async (volunteer: string) =>
  (
    await t.admin.query<Batch>(
      `select id::int, community_id, orders, amount::int, moved::int, transfer_id::int, year_end
       from public.rating_batches where volunteer_id = $1 order by id`,
      [volunteer],
    )
  ).rows;

/** Every 'rating' transfer touching the volunteer's wallet: + into it, − out of it. */
const ratingTransfers = async (volunteer: string) =>
  (
    await t.admin.query(
      `select t.id::int, t.reference_type, t.reference_id, t.idempotency_key,
              case when w.id = t.to_account then t.amount else -t.amount end::int as amount,
              case when w.id = t.to_account then t.from_account else t.to_account end as other
       from public.point_transfers t
       join public.point_accounts w on w.user_id = $1 and w.kind = 'wallet' and w.id in (t.from_account, t.to_account)
       where t.kind = 'rating' order by t.id`,
      [volunteer],
    )
  ).rows;

const issuance = async (community: string) =>
  (
    await t.admin.query(
      "select id from public.point_accounts where kind = 'issuance' and community_id = $1",
      [community],
    )
  ).rows[0]?.id as string;

const batchOf = async (orderIds: string[]) =>
  (
    await t.admin.query<{ id: string; rating_batch_id: number | null }>(
      'select id, rating_batch_id::int from public.orders where id = any($1::uuid[]) order by id',
      [orderIds],
    )
  ).rows;

const summary = (volunteer: string) =>
  t.db.rpc<VolunteerSummary>('get_volunteer_summary', { p_actor: volunteer });

describe('the rating part waits for a batch', () => {
  it('the first and second rated services earn only the base; the third settles all three in one transfer', async () => {
    const [v] = (await volunteers(1)) as [string];
    const [a, b, c] = [await completed(v), await completed(v), await completed(v)];

    const first = await confirm(a, 3);
    expect(first.pointsAwarded).toBe(30);
    expect(await balance(v)).toBe(30);
    const second = await confirm(b, 3);
    expect(second.pointsAwarded).toBe(30);
    expect(await balance(v)).toBe(60);
    expect(await ratingTransfers(v)).toEqual([]);
    expect(await batches(v)).toEqual([]);

    const third = await confirm(c, 1);
    expect(third.pointsAwarded).toBe(30);
    const sum = share(60, 3) + share(60, 3) + share(60, 1);
    expect(sum).toBe(6);
    expect(await balance(v)).toBe(90 + sum);
    const [batch] = (await batches(v)) as [Batch];
    expect(batch).toMatchObject({
      community_id: SEED.sunshine,
      orders: 3,
      amount: 6,
      moved: 6,
      year_end: false,
    });
    expect(await ratingTransfers(v)).toEqual([
      {
        id: batch.transfer_id,
        reference_type: 'rating_batch',
        reference_id: String(batch.id),
        idempotency_key: `rating:${batch.id}`,
        amount: 6,
        other: await issuance(SEED.sunshine),
      },
    ]);
    expect((await batchOf([a.id, b.id, c.id])).map((o) => o.rating_batch_id)).toEqual([
      batch.id,
      batch.id,
      batch.id,
    ]);
    const told = await t.admin.query(
      "select count(*)::int as n from public.notifications where recipient_id = $1 and event = 'rating_settled'",
      [v],
    );
    expect(told.rows[0].n).toBe(1);
    const wallet = await t.db.rpc<{ entries: { kind: string; amount: number; memo: string }[] }>(
      'get_wallet',
      {
        p_actor: v,
      },
    );
    expect(wallet.entries[0]).toMatchObject({ kind: 'rating', amount: 6, memo: '评价结算：3 次服务' });
  });

  it('no order shows its rating part: the volunteer sees the base whatever the rating, and never the rating', async () => {
    const [v] = (await volunteers(1)) as [string];
    const [good, fair] = [await completed(v, 90), await completed(v, 90)];
    await confirm(good, 3, ['耐心']);
    await confirm(fair, 1, ['迟到']);
    for (const o of [good, fair]) {
      const seen = await t.db.rpc<OrderView>('get_order', { p_actor: v, p_order_id: o.id });
      expect(seen).toMatchObject({ pointsAwarded: base(90), rating: null, ratingTags: null });
    }
    const tasks = await t.db.rpc<OrderView[]>('list_my_tasks', { p_actor: v });
    expect(tasks.filter((o) => [good.id, fair.id].includes(o.id)).map((o) => o.pointsAwarded)).toEqual([
      45, 45,
    ]);
    expect(JSON.stringify(tasks)).not.toMatch(/迟到|耐心/);
  });

  it('the bonus is credited with the base, and is no part of the rating share', async () => {
    const [v] = (await volunteers(1)) as [string];
    const orders = [await completed(v), await completed(v), await completed(v)];
    await t.admin.query('update public.orders set bonus_points = 15 where id = any($1::uuid[])', [
      orders.map((o) => o.id),
    ]);
    for (const o of orders) expect((await confirm(o, 3)).pointsAwarded).toBe(45);
    expect((await batches(v))[0]).toMatchObject({ amount: 18, moved: 18 });
    expect(await balance(v)).toBe(3 * 45 + 18);
  });

  it('a negative sum takes no more than the wallet holds', async () => {
    const [v] = (await volunteers(1)) as [string];
    const [a, b, c] = [await completed(v, 120), await completed(v, 120), await completed(v, 15)];
    await confirm(a, 1);
    await confirm(b, 1);
    expect(await balance(v)).toBe(2 * base(120));
    await grantPoints(t.db, v, -2 * base(120)); // spent, say, in the store
    await confirm(c, 1);
    const sum = 2 * share(120, 1) + share(15, 1);
    expect(sum).toBe(-26);
    expect(base(15)).toBe(8);
    expect((await batches(v))[0]).toMatchObject({ orders: 3, amount: sum, moved: -8 });
    expect((await ratingTransfers(v)).map((x) => x.amount)).toEqual([-8]);
    expect(await balance(v)).toBe(0);
  });

  it('a zero sum settles the batch and moves nothing', async () => {
    const [v] = (await volunteers(1)) as [string];
    const orders = [await completed(v), await completed(v), await completed(v)];
    await confirm(orders[0] as Served, 3);
    await confirm(orders[1] as Served, 1);
    await confirm(orders[2] as Served, 2);
    expect(await batches(v)).toEqual([
      expect.objectContaining({ orders: 3, amount: 0, moved: 0, transfer_id: null }),
    ]);
    expect(await ratingTransfers(v)).toEqual([]);
    expect(await balance(v)).toBe(90);
    // Settled: they don't count toward the next batch.
    const more = [await completed(v), await completed(v)];
    for (const o of more) await confirm(o, 3);
    expect(await batches(v)).toHaveLength(1);
  });

  it('auto-confirmed services have no rating and count toward no batch', async () => {
    const [v] = (await volunteers(1)) as [string];
    const [a, b, auto, c] = [await completed(v), await completed(v), await completed(v), await completed(v)];
    await confirm(a, 3);
    await confirm(b, 3);
    await t.admin.query("update public.orders set completed_at = now() - interval '49 hours' where id = $1", [
      auto.id,
    ]);
    await t.db.rpc('tick', { p_now: new Date().toISOString() });
    const { rows } = await t.admin.query(
      'select status, rating, points_awarded::int from public.orders where id = $1',
      [auto.id],
    );
    expect(rows[0]).toEqual({ status: 'confirmed', rating: null, points_awarded: 30 });
    expect(await batches(v)).toEqual([]);
    await confirm(c, 3);
    expect(await batches(v)).toEqual([expect.objectContaining({ orders: 3, amount: 18 })]);
    expect((await batchOf([auto.id]))[0]?.rating_batch_id).toBeNull();
    expect(await balance(v)).toBe(4 * 30 + 18);
  });

  it('is settled per community: each community’s batch from its own services and its own issuance account', async () => {
    const draft = await t.db.rpc<Project>('save_project', {
      p_actor: SEED.staffWu,
      p_key: key(),
      p_input: {
        communityId: SEED.peace,
        title: '和平社区手机教学',
        category: 'smart_elderly',
        description: '教老人用手机',
        requiredSkills: ['smartphone'],
        pointsPerHour: 30,
        expectedMinutes: 60,
        maxMinutes: 120,
        serviceCommunityIds: [SEED.peace],
        responseHours: 24,
        locationNote: '上门服务',
      },
    });
    await t.db.rpc('change_project_status', {
      p_actor: SEED.staffWu,
      p_project_id: draft.id,
      p_action: 'publish',
      p_key: key(),
    });
    const [v] = (await volunteers(1)) as [string];
    const home = [await completed(v), await completed(v)];
    const away = await completed(v, 60, draft.id, SEED.peace);
    await confirm(home[0] as Served, 3);
    await confirm(away, 3);
    await confirm(home[1] as Served, 3);
    expect(await batches(v)).toEqual([]);
    const third = await completed(v);
    await confirm(third, 3);
    expect(await batches(v)).toEqual([
      expect.objectContaining({ community_id: SEED.sunshine, orders: 3, amount: 18 }),
    ]);
    expect((await batchOf([away.id]))[0]?.rating_batch_id).toBeNull();
    const aways = [
      await completed(v, 60, draft.id, SEED.peace),
      await completed(v, 60, draft.id, SEED.peace),
    ];
    await confirm(aways[0] as Served, 1);
    await confirm(aways[1] as Served, 1);
    const settled = await batches(v);
    expect(settled[1]).toMatchObject({ community_id: SEED.peace, orders: 3, amount: 6 - 12, moved: -6 });
    expect((await ratingTransfers(v)).map((x) => [x.amount, x.other])).toEqual([
      [18, await issuance(SEED.sunshine)],
      [-6, await issuance(SEED.peace)],
    ]);
  });

  it('a resend of the confirmation that completed a batch settles nothing twice', async () => {
    const [v] = (await volunteers(1)) as [string];
    const orders = [await completed(v), await completed(v), await completed(v)];
    await confirm(orders[0] as Served, 3);
    await confirm(orders[1] as Served, 3);
    const k = key();
    const first = await confirm(orders[2] as Served, 3, [], k);
    expect(await confirm(orders[2] as Served, 3, [], k)).toEqual(first);
    expect(await batches(v)).toHaveLength(1);
    expect(await balance(v)).toBe(90 + 18);
  });
});

describe('voiding a service after its rating part was settled', () => {
  const voidOrder = async (o: Served) => {
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
  };

  it('gives back a 很好 share, so the wallet holds what the services that stand earned', async () => {
    const [v] = (await volunteers(1)) as [string];
    const orders = [await completed(v), await completed(v), await completed(v)];
    for (const o of orders) await confirm(o, 3);
    expect(await balance(v)).toBe(3 * 36);
    await voidOrder(orders[0] as Served);
    const back = (await ratingTransfers(v)).filter(
      (x) => x.idempotency_key === `rating-void:${orders[0]?.id}`,
    );
    expect(back).toEqual([
      expect.objectContaining({ amount: -6, reference_type: 'order', reference_id: orders[0]?.id }),
    ]);
    expect(await balance(v)).toBe(2 * 36);
  });

  it('returns a 一般 deduction', async () => {
    const [v] = (await volunteers(1)) as [string];
    const orders = [await completed(v), await completed(v), await completed(v)];
    await confirm(orders[0] as Served, 1);
    await confirm(orders[1] as Served, 3);
    await confirm(orders[2] as Served, 3);
    expect(await balance(v)).toBe(24 + 36 + 36);
    await voidOrder(orders[0] as Served);
    const back = (await ratingTransfers(v)).filter(
      (x) => x.idempotency_key === `rating-void:${orders[0]?.id}`,
    );
    expect(back.map((x) => x.amount)).toEqual([6]);
    expect(await balance(v)).toBe(2 * 36);
  });

  it('a service voided before its batch never counts toward one', async () => {
    const [v] = (await volunteers(1)) as [string];
    const orders = [await completed(v), await completed(v), await completed(v), await completed(v)];
    await confirm(orders[0] as Served, 3);
    await confirm(orders[1] as Served, 3);
    await voidOrder(orders[0] as Served);
    await confirm(orders[2] as Served, 3);
    expect(await batches(v)).toEqual([]);
    await confirm(orders[3] as Served, 3);
    expect(await batches(v)).toEqual([expect.objectContaining({ orders: 3, amount: 18 })]);
    expect((await batchOf([orders[0]?.id as string]))[0]?.rating_batch_id).toBeNull();
    expect(
      (await ratingTransfers(v)).filter((x) => String(x.idempotency_key).startsWith('rating-void')),
    ).toEqual([]);
    expect(await balance(v)).toBe(3 * 36);
  });
});

describe('what the volunteer sees of their ratings', () => {
  it('nothing until three are settled, then totals of settled ones only: a fourth shows when its batch settles', async () => {
    const [v] = (await volunteers(1)) as [string];
    const orders: Served[] = [];
    for (let i = 0; i < 6; i++) orders.push(await completed(v));
    await confirm(orders[0] as Served, 3, ['耐心']);
    await confirm(orders[1] as Served, 2, ['准时']);
    expect((await summary(v)).ratings).toBeNull();
    await confirm(orders[2] as Served, 1, ['耐心']);
    const three = await summary(v);
    expect(three.ratings).toEqual({
      rated: 3,
      averageRating: 2,
      veryGood: 1,
      good: 1,
      fair: 1,
      tags: [
        { tag: '耐心', count: 2 },
        { tag: '准时', count: 1 },
      ],
    });
    await confirm(orders[3] as Served, 3, ['细心']);
    expect((await summary(v)).ratings).toEqual(three.ratings);
    await confirm(orders[4] as Served, 3);
    expect((await summary(v)).ratings).toEqual(three.ratings);
    await confirm(orders[5] as Served, 3);
    const six = await summary(v);
    expect(six.ratings).toMatchObject({ rated: 6, averageRating: 2.5, veryGood: 4, good: 1, fair: 1 });
    expect(six.ratings?.tags).toContainEqual({ tag: '细心', count: 1 });
    expect(six).toMatchObject({ completedOrders: 6, serviceMinutes: 360, points: await balance(v) });
  });
});

describe('confirmations at the same moment', () => {
  const outcome = async (vs: string[], ratings: Rating[][]) => {
    const orders = await Promise.all(
      vs.map(async (v, i) => {
        const list: Served[] = [];
        for (let n = 0; n < (ratings[i] as Rating[]).length; n++) list.push(await completed(v));
        return list;
      }),
    );
    await Promise.all(
      orders.flatMap((list, i) => list.map((o, n) => confirm(o, (ratings[i] as Rating[])[n] as Rating))),
    );
    return orders;
  };

  it('three of one volunteer at once make exactly one batch of three with the right sum (four volunteers in parallel)', async () => {
    for (let round = 0; round < 3; round++) {
      const vs = await volunteers(4, `并发${round}`);
      const ratings: Rating[][] = [
        [3, 3, 3],
        [1, 1, 1],
        [3, 1, 2],
        [3, 2, 2],
      ];
      const orders = await outcome(vs, ratings);
      for (const [i, v] of vs.entries()) {
        const sum = (ratings[i] as Rating[]).reduce((s, r) => s + share(60, r), 0);
        const found = await batches(v);
        expect(found).toEqual([expect.objectContaining({ orders: 3, amount: sum, moved: sum })]);
        const ids = (orders[i] as Served[]).map((o) => o.id);
        expect(new Set((await batchOf(ids)).map((o) => o.rating_batch_id))).toEqual(new Set([found[0]?.id]));
        expect(await balance(v)).toBe(90 + sum);
      }
    }
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  });

  it('six of one volunteer at once make exactly two batches of three, every order in one', async () => {
    const [v] = (await volunteers(1)) as [string];
    const ratings: Rating[] = [3, 3, 1, 3, 2, 3];
    const [orders] = (await outcome([v], [ratings])) as [Served[]];
    const found = await batches(v);
    expect(found.map((b) => b.orders)).toEqual([3, 3]);
    const sum = ratings.reduce((s, r) => s + share(60, r), 0);
    expect(found.reduce((s, b) => s + b.amount, 0)).toBe(sum);
    const byBatch = await batchOf(orders.map((o) => o.id));
    expect(byBatch.every((o) => o.rating_batch_id !== null)).toBe(true);
    expect(await balance(v)).toBe(6 * 30 + sum);
    expect(await ratingTransfers(v)).toHaveLength(found.filter((b) => b.amount !== 0).length);
  });
});

describe('the formula', () => {
  it('shared ratingShare and servicePoints agree with SQL over many durations, rates and ratings', async () => {
    const { rows } = await t.admin.query<{
      m: number;
      r: number;
      rating: Rating;
      share: string;
      base: string;
    }>(`
      select m, r, rating, private.rating_share(m, r, rating) as share, private.service_points(m, r, 2, 5) as base
      from generate_series(1, 720, 7) m, (values (1), (7), (13), (30), (999)) rates(r), (values (1), (2), (3)) ratings(rating)`);
    expect(rows.length).toBeGreaterThan(1500);
    const mismatches = rows.filter(
      (row) =>
        Number(row.share) !== ratingShare({ minutes: row.m, pointsPerHour: row.r, rating: row.rating }) ||
        Number(row.base) !== servicePoints({ minutes: row.m, pointsPerHour: row.r, rating: 2, bonus: 5 }),
    );
    expect(mismatches).toEqual([]);
    // 好 is the credited factor: its share is always zero; 很好 never takes, 一般 never gives.
    expect(rows.filter((row) => row.rating === 2 && Number(row.share) !== 0)).toEqual([]);
    expect(
      rows.filter((row) =>
        row.rating === 3 ? Number(row.share) < 0 : row.rating === 1 && Number(row.share) > 0,
      ),
    ).toEqual([]);
  });
});

// Last: a tick in next year settles every volunteer's leftovers in this database.
describe('the year’s end', () => {
  it('settles the one or two rated services left over from before the new year, and nothing later', async () => {
    const [v, w] = (await volunteers(2, '年底')) as [string, string];
    const a = await completed(v, 60);
    const b = await completed(v, 90);
    await confirm(a, 3);
    await confirm(b, 1);
    const { rows } = await t.admin.query(
      `select (date_trunc('year', now() at time zone 'Asia/Shanghai') + interval '1 year') at time zone 'Asia/Shanghai' as next`,
    );
    const nextYear = (rows[0].next as Date).getTime();
    await t.db.rpc('tick', { p_now: new Date(Date.now() + 60_000).toISOString() });
    expect(await batches(v)).toEqual([]);

    // w: one confirmed this year, one (as if) in the first hour of the next.
    const early = await completed(w);
    const late = await completed(w);
    await confirm(early, 3);
    await confirm(late, 3);
    await t.admin.query(
      "update public.orders set confirmed_at = $2::timestamptz + interval '1 hour' where id = $1",
      [late.id, new Date(nextYear).toISOString()],
    );

    const balanceBefore = await balance(v);
    await t.db.rpc('tick', { p_now: new Date(nextYear + 2 * 3_600_000).toISOString() });
    const sum = share(60, 3) + share(90, 1);
    expect(sum).toBe(-3);
    expect(await batches(v)).toEqual([
      expect.objectContaining({ orders: 2, amount: sum, moved: sum, year_end: true }),
    ]);
    expect(await balance(v)).toBe(balanceBefore + sum);
    expect(await batches(w)).toEqual([expect.objectContaining({ orders: 1, amount: 6, year_end: true })]);
    expect((await batchOf([late.id]))[0]?.rating_batch_id).toBeNull();

    await t.db.rpc('tick', { p_now: new Date(nextYear + 3 * 3_600_000).toISOString() });
    expect(await batches(v)).toHaveLength(1);
    expect(await batches(w)).toHaveLength(1);
  });
});
