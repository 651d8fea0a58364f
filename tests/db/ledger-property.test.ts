import { randomUUID } from 'node:crypto';
import { type AppError, ratingShare, servicePoints } from '@llb/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { HOLDS, ledgerInvariants } from '../support/orders';

// Random command sequences against the real database and a TypeScript model of
// the same rules. After every command the ledger's invariants must hold and the
// database must agree with the model. LEDGER_SEQUENCES sets how many (CI: 1000).
const SEQUENCES = Number(process.env.LEDGER_SEQUENCES ?? 1000);
const PRICE = 15;

let t: TestDatabase;
let projectId: string;
let residentId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  const { rows } = await t.admin.query('select id from public.projects limit 1');
  projectId = rows[0]?.id ?? (await seedProject());
  residentId = 'e0000000-0000-4000-8000-000000000001';
});
afterAll(() => t.close());

async function seedProject(): Promise<string> {
  const { rows } = await t.admin.query(
    `insert into public.projects (community_id, title, category, points_per_hour, expected_minutes, max_minutes,
       response_hours, created_by, status)
     values ('c0000000-0000-4000-8000-000000000001', '属性测试', 'other', 10, 15, 720, 24,
       'e0000000-0000-4000-8000-000000000008', 'published') returning id`,
  );
  return rows[0].id;
}

type Command =
  | { kind: 'earn'; volunteer: number; minutes: number; rating: 1 | 2 | 3 }
  | { kind: 'redeem'; volunteer: number; quantity: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'pickUp'; pick: number }
  | { kind: 'expire' }
  | { kind: 'adjust'; volunteer: number; amount: number }
  | { kind: 'reverse'; pick: number }
  | { kind: 'replay' };

const volunteerIndex = fc.integer({ min: 0, max: 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('earn' as const),
    volunteer: volunteerIndex,
    minutes: fc.integer({ min: 1, max: 240 }),
    rating: fc.constantFrom(1 as const, 2 as const, 3 as const),
  }),
  fc.record({
    kind: fc.constant('redeem' as const),
    volunteer: volunteerIndex,
    quantity: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('pickUp' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('expire' as const) }),
  fc.record({
    kind: fc.constant('adjust' as const),
    volunteer: volunteerIndex,
    amount: fc.integer({ min: -40, max: 40 }).filter((n) => n !== 0),
  }),
  fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replay' as const) }),
);

interface Model {
  balances: number[];
  stock: number;
  redemptions: { id: string; volunteer: number; quantity: number; status: string; code: string }[];
  adjustments: { transferId: number; volunteer: number; amount: number; reversed: boolean }[];
  /** Rating parts of each volunteer's rated services not yet settled (blind ratings: batches of 3). */
  unsettled: number[][];
}

/** Rated services settle together once there are this many (policy rating_batch_size). */
const RATING_BATCH = 3;

/** One sequence's world: its own community, staff, two volunteers and one item, so checks stay local. */
async function newWorld(stock: number) {
  const { rows } = await t.admin.query(
    `with c as (insert into public.communities (street_id, name)
                values ('a0000000-0000-4000-8000-000000000001', 'prop-' || $1) returning id),
          u as (insert into public.users (nickname) select 'p' || n from generate_series(1, 3) n returning id),
          ids as (select array_agg(id) as users from u)
     select c.id as community, ids.users from c, ids`,
    [randomUUID()],
  );
  const community: string = rows[0].community;
  const [staff, ...volunteers] = rows[0].users as string[];
  await t.admin.query(
    `insert into public.user_roles (user_id, role, community_id) values ($1, 'staff', $2)`,
    [staff, community],
  );
  await t.admin.query(
    `insert into public.volunteer_profiles (user_id, community_id, real_name, phone, status, reviewed_by, reviewed_at)
     select v, $2, '志愿者', '13500000000', 'approved', $3, now() from unnest($1::uuid[]) v`,
    [volunteers, community, staff],
  );
  const goods = await t.db.rpc<{ id: string }>('save_goods', {
    p_actor: staff,
    p_key: randomUUID(),
    p_input: { communityId: community, name: '物品', pricePoints: PRICE, monthlyLimit: 100 },
  });
  await t.db.rpc('add_stock', {
    p_actor: staff,
    p_goods_id: goods.id,
    p_quantity: stock,
    p_note: '',
    p_key: randomUUID(),
  });
  return { community, staff: staff as string, volunteers: volunteers as string[], goodsId: goods.id };
}

type World = Awaited<ReturnType<typeof newWorld>>;

/** A completed order of the volunteer's, inserted as it would stand after check-out. */
async function completedOrder(world: World, volunteer: string, minutes: number): Promise<string> {
  const { rows } = await t.admin.query(
    `insert into public.orders (project_id, community_id, resident_id, ordered_by, status, window_start, window_end,
       address, contact_phone, points_per_hour, max_minutes, respond_by, volunteer_id, accepted_at, checked_in_at,
       checked_out_at, service_minutes, completed_at)
     values ($1, $2, $3, $3, 'completed', now(), now() + interval '4 hours', '测试地址', '13800000000', 10, 720,
       now(), $4, now(), now(), now(), $5, now())
     returning id`,
    [projectId, world.community, residentId, volunteer, minutes],
  );
  return rows[0].id;
}

async function expectCode(promise: Promise<unknown>, code: string | null): Promise<unknown> {
  const result = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: AppError) => ({ ok: false as const, code: error.code }),
  );
  expect(result.ok ? null : result.code).toBe(code);
  return result.ok ? result.value : null;
}

async function checkAgainst(world: World, model: Model): Promise<void> {
  const { rows } = await t.admin.query(
    `select
       array(select coalesce((select balance from public.point_accounts a where a.user_id = v and a.kind = 'wallet'), 0)::int
             from unnest($1::uuid[]) with ordinality as u(v, i) order by i) as balances,
       (select stock from public.goods where id = $2) as stock,
       array(select status::text from public.redemptions r where r.goods_id = $2 order by r.created_at, r.id) as statuses`,
    [world.volunteers, world.goodsId],
  );
  expect(rows[0]).toEqual({
    balances: model.balances,
    stock: model.stock,
    statuses: model.redemptions.map((r) => r.status),
  });
}

async function runSequence(commands: Command[]): Promise<void> {
  const initialStock = 6;
  const world = await newWorld(initialStock);
  const model: Model = {
    balances: [0, 0],
    stock: initialStock,
    redemptions: [],
    adjustments: [],
    unsettled: [[], []],
  };
  let last: { fn: string; args: Record<string, unknown>; reply: unknown } | null = null;
  const call = async (fn: string, args: Record<string, unknown>, expected: string | null) => {
    const reply = await expectCode(t.db.rpc(fn, args), expected);
    if (expected === null) last = { fn, args, reply };
    return reply;
  };

  for (const c of commands) {
    if (c.kind === 'earn') {
      const volunteer = world.volunteers[c.volunteer] as string;
      const orderId = await completedOrder(world, volunteer, c.minutes);
      await call(
        'confirm_order',
        {
          p_actor: residentId,
          p_order_id: orderId,
          p_rating: c.rating,
          p_tags: [],
          p_comment: '',
          p_key: randomUUID(),
        },
        null,
      );
      // Credited at 好 at once; the rating part waits for its batch, then moves in one transfer
      // (a negative sum takes no more than the wallet holds).
      let balance =
        (model.balances[c.volunteer] ?? 0) +
        servicePoints({ minutes: c.minutes, pointsPerHour: 10, rating: 2 });
      const waiting = model.unsettled[c.volunteer] as number[];
      waiting.push(ratingShare({ minutes: c.minutes, pointsPerHour: 10, rating: c.rating }));
      if (waiting.length >= RATING_BATCH) {
        const sum = waiting.reduce((a, b) => a + b, 0);
        balance += sum >= 0 ? sum : -Math.min(-sum, balance);
        waiting.length = 0;
      }
      model.balances[c.volunteer] = balance;
    } else if (c.kind === 'redeem') {
      const cost = PRICE * c.quantity;
      const expected =
        model.stock < c.quantity
          ? 'out_of_stock'
          : (model.balances[c.volunteer] ?? 0) < cost
            ? 'insufficient_points'
            : null;
      const reply = (await call(
        'redeem_goods',
        {
          p_actor: world.volunteers[c.volunteer],
          p_goods_id: world.goodsId,
          p_quantity: c.quantity,
          p_key: randomUUID(),
        },
        expected,
      )) as { id: string; pickupCode: string } | null;
      if (reply) {
        model.stock -= c.quantity;
        model.balances[c.volunteer] = (model.balances[c.volunteer] ?? 0) - cost;
        model.redemptions.push({
          id: reply.id,
          volunteer: c.volunteer,
          quantity: c.quantity,
          status: 'reserved',
          code: reply.pickupCode,
        });
      }
    } else if (c.kind === 'cancel' || c.kind === 'pickUp') {
      const r = model.redemptions[c.pick % Math.max(model.redemptions.length, 1)];
      if (!r) continue;
      const expected = r.status === 'reserved' ? null : 'illegal_transition';
      if (c.kind === 'cancel') {
        await call(
          'cancel_redemption',
          { p_actor: world.volunteers[r.volunteer], p_redemption_id: r.id, p_key: randomUUID() },
          expected,
        );
      } else {
        await call(
          'pick_up_redemption',
          { p_actor: world.staff, p_community_id: world.community, p_code: r.code, p_key: randomUUID() },
          // A code reused by a later open reservation of the same community picks that one up instead.
          expected === null || model.redemptions.some((o) => o.code === r.code && o.status === 'reserved')
            ? null
            : expected,
        );
        const target = model.redemptions.find((o) => o.code === r.code && o.status === 'reserved');
        if (target) target.status = 'picked_up';
        continue;
      }
      if (expected === null) {
        r.status = 'cancelled';
        model.stock += r.quantity;
        model.balances[r.volunteer] = (model.balances[r.volunteer] ?? 0) + PRICE * r.quantity;
      }
    } else if (c.kind === 'expire') {
      await call('tick', { p_now: new Date(Date.now() + 8 * 86_400_000).toISOString() }, null);
      for (const r of model.redemptions.filter((o) => o.status === 'reserved')) {
        r.status = 'expired';
        model.stock += r.quantity;
        model.balances[r.volunteer] = (model.balances[r.volunteer] ?? 0) + PRICE * r.quantity;
      }
    } else if (c.kind === 'adjust') {
      const expected =
        c.amount < 0 && (model.balances[c.volunteer] ?? 0) < -c.amount ? 'insufficient_points' : null;
      const reply = (await call(
        'adjust_points',
        {
          p_actor: world.staff,
          p_user_id: world.volunteers[c.volunteer],
          p_amount: c.amount,
          p_reason: '属性测试',
          p_key: randomUUID(),
        },
        expected,
      )) as { transferId: number } | null;
      if (reply) {
        model.balances[c.volunteer] = (model.balances[c.volunteer] ?? 0) + c.amount;
        model.adjustments.push({
          transferId: reply.transferId,
          volunteer: c.volunteer,
          amount: c.amount,
          reversed: false,
        });
      }
    } else if (c.kind === 'reverse') {
      const a = model.adjustments[c.pick % Math.max(model.adjustments.length, 1)];
      if (!a) continue;
      const expected = a.reversed
        ? 'conflict'
        : a.amount > 0 && (model.balances[a.volunteer] ?? 0) < a.amount
          ? 'insufficient_points'
          : null;
      await call(
        'reverse_transfer',
        { p_actor: world.staff, p_transfer_id: a.transferId, p_reason: '属性测试撤销', p_key: randomUUID() },
        expected,
      );
      if (expected === null) {
        a.reversed = true;
        model.balances[a.volunteer] = (model.balances[a.volunteer] ?? 0) - a.amount;
      }
    } else if (c.kind === 'replay' && last) {
      const previous: { fn: string; args: Record<string, unknown>; reply: unknown } = last;
      // tick has no key: running it again is a new run, not a replay.
      if (previous.fn !== 'tick') expect(await t.db.rpc(previous.fn, previous.args)).toEqual(previous.reply);
    }
    await checkAgainst(world, model);
    expect(await ledgerInvariants(t.admin)).toEqual(HOLDS);
  }
}

describe('the ledger under random command sequences', () => {
  it(`keeps every invariant and agrees with the model over ${SEQUENCES} sequences`, async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 10 }), runSequence), {
      numRuns: SEQUENCES,
    });
  }, 600_000);
});
