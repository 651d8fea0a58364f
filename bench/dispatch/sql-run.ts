// The week driven through the real SQL: the seeded street loaded into an embedded
// Postgres, orders inserted at their created time, and every dispatch decision made
// by the functions production runs — tick and tick_dispatch (expiry, escalation),
// dispatch_candidates + rankCandidates + make_offers (runTick's steps), and
// accept_order / decline_offer called as the volunteer at the simulated time
// (private.clock reads the session's llb.clock). An accept the database refuses is
// counted, with its reason. Metrics are read back from the database's final state.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, type DispatchFactsRow, type DispatchWeights } from '@llb/shared';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../functions/src/db/embedded';
import { mapDbError } from '../../functions/src/db/map-db-error';
import { migrate, seed } from '../../functions/src/db/migrate';
import type { Db } from '../../functions/src/db/port';
import { buildRpcSql } from '../../functions/src/db/postgres-adapter';
import { offerOrder } from '../../functions/src/use-cases/run-tick';
import { freePort } from '../../tests/support/free-port';
import { startBenchDatabase } from '../support';
import { type Backend, drive, type Offer, type Served, type SimulationResult } from './drive';
import { type Order, type Policies, SKILLS, SLOT_HOURS, toLatLng, type World } from './world';

const STAFF = 'e0000000-0000-4000-8000-000000000008';
const POLICY_KEYS: Record<Exclude<keyof Policies, 'escalationScarceCandidates'>, string> = {
  offerWindowMinutes: 'offer_window_minutes',
  escalationStepMinutes: 'escalation_step_minutes',
  escalationBonusPoints: 'escalation_bonus_points',
  escalationMaxSteps: 'escalation_max_steps',
  escalationWidenAtStep: 'escalation_widen_at_step',
};

/** Ids that sort as the world's indices do, so ranking ties break the same way in both runs. */
const uuid = (kind: number, n: number) => `a${kind}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export interface SqlRunOptions {
  weights: DispatchWeights;
  topK: number;
  policies: Policies;
  /** Migrations from another folder (e.g. a checkout before a fix); default: this tree's. */
  migrationsDir?: string;
}

export interface SqlRunResult extends SimulationResult {
  seconds: number;
  notes: string[];
  /** Orders the bench's own bookkeeping and the database disagree on (should be 0). */
  disagreements: number;
}

async function startDatabase(migrationsDir: string | undefined) {
  if (!migrationsDir) return startBenchDatabase(1);
  const dataDir = join(tmpdir(), `llb-bench-sql-${process.pid}`);
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await migrate(admin, migrationsDir);
  await seed(admin);
  await admin.end();
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Monday 00:00 in Shanghai, at least two days ahead (before private.clock existed, accept judged by now()). */
function weekStart(): number {
  const shanghai = new Date(Date.now() + 8 * 3_600_000);
  const midnight = Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate());
  const dow = (shanghai.getUTCDay() + 6) % 7; // 0 = Monday
  const ahead = 7 - dow < 2 ? 14 - dow : 7 - dow;
  return midnight + ahead * 86_400_000 - 8 * 3_600_000;
}

export async function sqlRun(world: World, options: SqlRunOptions): Promise<SqlRunResult> {
  const started = performance.now();
  const bench = await startDatabase(options.migrationsDir);
  const admin = new pg.Client({ connectionString: bench.url });
  // The volunteers' and the tick's connection: service_role, as the API runs.
  const actor = new pg.Client({ connectionString: bench.url, options: '-c role=service_role' });
  await admin.connect();
  await actor.connect();
  const notes: string[] = [];
  const base = weekStart();
  const iso = (minute: number) => new Date(base + minute * 60_000).toISOString();
  const minuteOf = (d: Date) => (d.getTime() - base) / 60_000;
  const rpc = async <T>(fn: string, args: Record<string, unknown>): Promise<T> => {
    const { text, values } = buildRpcSql(fn, args);
    try {
      return (await actor.query(text, values)).rows[0]?.result as T;
    } catch (error) {
      throw mapDbError(error as never);
    }
  };
  try {
    const features = (
      await admin.query<{ clock: boolean; policies: boolean; make_offers: string }>(
        `select to_regprocedure('private.clock()') is not null as clock,
                to_regclass('public.policies') is not null as policies,
                (select pg_get_function_identity_arguments(p.oid) from pg_proc p
                 where p.proname = 'make_offers' and p.pronamespace = 'public'::regnamespace) as make_offers`,
      )
    ).rows[0] as { clock: boolean; policies: boolean; make_offers: string };
    const windowArgument = features.make_offers.includes('p_window_minutes');
    if (!features.clock) notes.push('no private.clock: accepted_at set to the simulated time by the bench');
    if (features.policies) {
      for (const [name, key] of Object.entries(POLICY_KEYS)) {
        const { rowCount } = await admin.query('update public.policies set value = $2 where key = $1', [
          key,
          options.policies[name as keyof Policies],
        ]);
        if (!rowCount) notes.push(`policy ${key} is not in public.policies`);
      }
    } else {
      notes.push('no public.policies: the SQL escalation constants apply');
    }
    await load(admin, world, base);
    const hasJump = (
      await admin.query<{ present: boolean }>(
        `select to_regprocedure('public.escalate_scarce_order(uuid, timestamptz)') is not null as present`,
      )
    ).rows[0]?.present;
    if (hasJump) {
      await admin.query('update public.policies set value = $1 where key = $2', [
        options.policies.escalationScarceCandidates,
        'escalation_scarce_candidates',
      ]);
    } else if (options.policies.escalationScarceCandidates > 0) {
      notes.push('this tree has no scarce jump (escalate_scarce_order): orders escalate step by step only');
    }

    const orderIds = world.orders.map((o) => uuid(3, o.index));
    const indexOfOrder = new Map(orderIds.map((id, i) => [id, i]));
    const indexOfVolunteer = new Map(world.volunteers.map((v) => [uuid(1, v.index), v.index]));
    const offerIds = new Map<string, string>(); // `${order}:${volunteer}` → dispatch_offers.id
    const emptyWhen = new Map<string, boolean>(); // order → widened when it last had nobody to offer
    const decisions: number[] = [];
    let compat = false;
    let offerMs = 0;
    let jumps = 0;
    // runTick's port onto the actor's connection.
    const db: Db = {
      async rpc<T>(fn: string, args: Record<string, unknown> = {}): Promise<T> {
        const t0 = performance.now();
        const result = await rpc<T>(
          fn,
          fn === 'make_offers' && windowArgument
            ? { ...args, p_window_minutes: options.policies.offerWindowMinutes }
            : args,
        );
        if (fn === 'make_offers') offerMs += performance.now() - t0;
        if (fn !== 'dispatch_candidates' || !result) return result;
        const row = result as unknown as DispatchFactsRow;
        if (row.candidates[0] && row.candidates[0].length === 16) {
          compat = true;
          row.candidates = fromOldLayout(row.candidates);
        }
        return row as unknown as T;
      },
      close: async () => {},
    };
    let clock = '';
    const setClock = async (at: number) => {
      if (clock === iso(at)) return;
      clock = iso(at);
      await actor.query(`select set_config('llb.clock', $1, false)`, [clock]);
    };

    const backend: Backend = {
      async open(orders: Order[]) {
        await admin.query(
          `insert into public.orders (id, project_id, community_id, resident_id, ordered_by, window_start, window_end,
             address, contact_phone, latitude, longitude, points_per_hour, max_minutes, respond_by, created_at)
           select o.id, o.project, o.community, o.resident, o.resident, o.ws, o.we, '模拟地址', '13800000000',
             o.lat, o.lng, 10, 120, o.ws, o.created
           from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::timestamptz[],
                       $7::float8[], $8::float8[], $9::timestamptz[])
             as o(id, project, community, resident, ws, we, lat, lng, created)`,
          [
            orders.map((o) => uuid(3, o.index)),
            orders.map((o) => uuid(4, SKILLS.indexOf(o.skill))),
            orders.map((o) => uuid(5, o.community)),
            orders.map((o) => uuid(2, o.resident)),
            orders.map((o) => iso(o.start)),
            orders.map((o) => iso(o.end)),
            orders.map((o) => o.lat),
            orders.map((o) => o.lng),
            orders.map((o) => iso(o.created)),
          ],
        );
      },
      async tick(at) {
        await setClock(at);
        const now = iso(at);
        await rpc('tick', { p_now: now });
        const dispatch = await rpc<{ needOffers: string[] }>('tick_dispatch', { p_now: now });
        if (dispatch.needOffers.length === 0) return [];
        const { rows } = await admin.query<{ id: string; widened: boolean }>(
          'select id, widened from public.orders where id = any($1::uuid[])',
          [dispatch.needOffers],
        );
        const widenedBefore = new Map(rows.map((r) => [r.id, r.widened]));
        const offered: string[] = [];
        const ranked = new Map<string, string[]>();
        for (const orderId of dispatch.needOffers) {
          const widened = widenedBefore.get(orderId) ?? false;
          // Nobody could be offered it, and nothing that could change that has (in this
          // week nobody releases or cancels, so only widening adds candidates): skip.
          if (emptyWhen.get(orderId) === widened) continue;
          // runTick's own step for one order (dispatch_candidates, the scarce jump, rank,
          // make_offers); the decision time leaves make_offers' insert out, as before.
          offerMs = 0;
          const t0 = performance.now();
          const { chosen, jumped } = await offerOrder(db, orderId, now, {
            weights: options.weights,
            topK: options.topK,
          });
          decisions.push(performance.now() - t0 - offerMs);
          if (jumped) jumps++;
          if (chosen.length === 0) {
            emptyWhen.set(orderId, jumped || widened);
            continue;
          }
          offered.push(orderId);
          ranked.set(
            orderId,
            chosen.map((c) => c.volunteerId),
          );
        }
        // Bonus as the offers carry it: after any jump.
        const after = await admin.query<{ id: string; bonus_points: number }>(
          'select id, bonus_points from public.orders where id = any($1::uuid[])',
          [offered],
        );
        const state = new Map(after.rows.map((r) => [r.id, r]));
        if (offered.length === 0) return [];
        const made = await admin.query<{
          id: string;
          order_id: string;
          volunteer_id: string;
          expires_at: Date;
        }>(
          `select id, order_id, volunteer_id, expires_at from public.dispatch_offers
           where order_id = any($1::uuid[]) and offered_at = $2 and status = 'pending'`,
          [offered, now],
        );
        // In the order the tick made them (orders by age, each order's volunteers best first),
        // so simultaneous answers are handled in the same order as in memory.
        const rank = new Map(offered.map((id, i) => [id, i]));
        made.rows.sort(
          (a, b) =>
            (rank.get(a.order_id) ?? 0) - (rank.get(b.order_id) ?? 0) ||
            (ranked.get(a.order_id) ?? []).indexOf(a.volunteer_id) -
              (ranked.get(b.order_id) ?? []).indexOf(b.volunteer_id),
        );
        return made.rows.map((f): Offer => {
          const order = indexOfOrder.get(f.order_id) as number;
          const volunteer = indexOfVolunteer.get(f.volunteer_id) as number;
          offerIds.set(`${order}:${volunteer}`, f.id);
          return {
            order,
            volunteer,
            bonusPoints: state.get(f.order_id)?.bonus_points ?? 0,
            expiresAt: minuteOf(f.expires_at),
          };
        });
      },
      async accept(volunteer, order, at) {
        await setClock(at);
        try {
          await rpc('accept_order', {
            p_actor: uuid(1, volunteer),
            p_order_id: uuid(3, order),
            p_key: randomUUID(),
          });
        } catch (error) {
          if (error instanceof AppError) return `${error.code}: ${error.message}`;
          throw error;
        }
        if (!features.clock)
          await admin.query('update public.orders set accepted_at = $2 where id = $1', [
            uuid(3, order),
            iso(at),
          ]);
        return null;
      },
      async decline(volunteer, order, at) {
        const offerId = offerIds.get(`${order}:${volunteer}`);
        if (!offerId) return;
        await setClock(at);
        await rpc('decline_offer', {
          p_actor: uuid(1, volunteer),
          p_offer_id: offerId,
          p_reason: '这个时间没空',
          p_key: randomUUID(),
        });
      },
      async serve(served: Served[], at) {
        // Served and rated as the world says. Check-in codes and points are not what this
        // bench measures, so the order moves along its state machine directly.
        const ids = served.map((s) => uuid(3, s.order));
        await admin.query(
          `update public.orders set status = 'in_service', checked_in_at = window_start where id = any($1::uuid[])`,
          [ids],
        );
        await admin.query(
          `update public.orders set status = 'completed', checked_out_at = window_end, service_minutes = 120,
             completed_at = window_end where id = any($1::uuid[])`,
          [ids],
        );
        await admin.query(
          `update public.orders o set status = 'confirmed', confirmed_at = $3, rating = s.rating
           from unnest($1::uuid[], $2::int[]) as s(id, rating) where o.id = s.id`,
          [ids, served.map((s) => s.rating), iso(at)],
        );
      },
      decisionMs: () => decisions,
    };

    const result = await drive(world, backend);
    if (jumps) notes.push(`${jumps} orders jumped to the last escalation step (few candidates)`);
    if (compat)
      notes.push(
        'dispatch_candidates sent the old 16-fact layout: radius, daily cap and availability filtered by the bench',
      );

    // The outcome as the database records it.
    const { rows } = await admin.query<{
      id: string;
      volunteer_id: string | null;
      accepted_at: Date | null;
      bonus_points: number;
    }>(
      `select id, volunteer_id, accepted_at, bonus_points from public.orders where id = any($1::uuid[])
         and status in ('accepted', 'in_service', 'completed', 'confirmed')`,
      [orderIds],
    );
    const recorded = new Map(rows.map((r) => [indexOfOrder.get(r.id) as number, r]));
    let disagreements = 0;
    const outcomes = world.orders.map((order) => {
      const r = recorded.get(order.index);
      const mine = result.outcomes[order.index];
      const volunteer = r?.volunteer_id ? (indexOfVolunteer.get(r.volunteer_id) ?? null) : null;
      if ((mine?.volunteer ?? null) !== volunteer) disagreements++;
      return {
        order,
        volunteer,
        acceptedAt: r?.accepted_at ? minuteOf(r.accepted_at) : null,
        ...(r ? { bonusPoints: r.bonus_points } : {}),
      };
    });
    return {
      ...result,
      outcomes,
      disagreements,
      notes,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await actor.end();
    await admin.end();
    await bench.stop();
  }
}

/** Before private.may_take: 16 facts, with the daily cap (7) and availability (15) for the bench to apply. */
function fromOldLayout(candidates: unknown[][]): unknown[][] {
  return candidates
    .filter((c) => {
      const distance = c[1] as number | null;
      return (
        (distance === null || distance <= (c[2] as number)) &&
        (c[6] as number) < (c[7] as number) &&
        c[15] === true
      );
    })
    .map((c) => [...c.slice(0, 7), ...c.slice(8, 15)]);
}

/** The street, its volunteers (skills, weekly slots, caps), residents, pairs and one project per skill. */
async function load(admin: pg.Client, world: World, base: number): Promise<void> {
  const street = uuid(6, 0);
  await admin.query(`insert into public.streets (id, name) values ($1, '模拟街道')`, [street]);
  await admin.query(
    `insert into public.communities (id, street_id, name, latitude, longitude)
     select id, $2, '模拟社区' || n, lat, lng
     from unnest($1::uuid[], $3::float8[], $4::float8[]) with ordinality as c(id, lat, lng, n)`,
    [
      world.communities.map((_, i) => uuid(5, i)),
      street,
      world.communities.map((c) => toLatLng(c.x, c.y).lat),
      world.communities.map((c) => toLatLng(c.x, c.y).lng),
    ],
  );
  const vs = world.volunteers;
  const vIds = vs.map((v) => uuid(1, v.index));
  const residents = Array.from({ length: 5000 }, (_, i) => uuid(2, i));
  await admin.query(`insert into public.users (id, nickname) select id, '模拟' from unnest($1::uuid[]) id`, [
    [...vIds, ...residents],
  ]);
  await admin.query(
    `insert into public.volunteer_profiles (user_id, community_id, real_name, phone, status, reviewed_by, reviewed_at,
       latitude, longitude, service_radius_m, daily_cap)
     select id, community, '志愿者', '13500000000', 'approved', $2, now(), lat, lng, radius, cap
     from unnest($1::uuid[], $3::uuid[], $4::float8[], $5::float8[], $6::int[], $7::int[])
       as v(id, community, lat, lng, radius, cap)`,
    [
      vIds,
      STAFF,
      vs.map((v) => uuid(5, v.community)),
      vs.map((v) => v.lat),
      vs.map((v) => v.lng),
      vs.map((v) => v.radius),
      vs.map((v) => v.dailyCap),
    ],
  );
  await admin.query(
    `insert into public.user_roles (user_id, role, community_id)
     select id, 'volunteer', community from unnest($1::uuid[], $2::uuid[]) as v(id, community)`,
    [vIds, vs.map((v) => uuid(5, v.community))],
  );
  const skillRows = vs.flatMap((v) => v.skills.map((s) => [uuid(1, v.index), s] as const));
  await admin.query(
    `insert into public.volunteer_skills (user_id, skill_code) select * from unnest($1::uuid[], $2::text[])`,
    [skillRows.map((r) => r[0]), skillRows.map((r) => r[1])],
  );
  // Weekly slots: world day d is the (d+1)th weekday of the week that starts on Monday `base`.
  const slotRows = vs.flatMap((v) =>
    [...v.available].map((key) => {
      const [day, slot] = key.split(':').map(Number) as [number, number];
      const weekday = new Date(base + 8 * 3_600_000 + day * 86_400_000).getUTCDay() || 7;
      const hour = SLOT_HOURS[slot] as number;
      return [uuid(1, v.index), weekday, `${hour}:00`, `${hour + 2}:00`] as const;
    }),
  );
  await admin.query(
    `insert into public.volunteer_availability (user_id, weekday, starts_at, ends_at)
     select * from unnest($1::uuid[], $2::int[], $3::time[], $4::time[])`,
    [
      slotRows.map((r) => r[0]),
      slotRows.map((r) => r[1]),
      slotRows.map((r) => r[2]),
      slotRows.map((r) => r[3]),
    ],
  );
  await admin.query(
    `insert into public.projects (id, community_id, title, category, points_per_hour, expected_minutes, max_minutes,
       response_hours, status, created_by, published_at)
     select id, $2, '模拟' || skill, 'other', 10, 60, 120, 24, 'published', $3, now()
     from unnest($1::uuid[], $4::text[]) as p(id, skill)`,
    [SKILLS.map((_, i) => uuid(4, i)), uuid(5, 0), STAFF, SKILLS],
  );
  await admin.query(
    `insert into public.project_skills (project_id, skill_code) select * from unnest($1::uuid[], $2::text[])`,
    [SKILLS.map((_, i) => uuid(4, i)), SKILLS],
  );
  const pairs = [...world.pairs];
  await admin.query(
    `insert into public.resident_pairs (resident_id, volunteer_id, community_id, created_by)
     select r, v, c, $4 from unnest($1::uuid[], $2::uuid[], $3::uuid[]) as p(r, v, c)`,
    [
      pairs.map(([r]) => uuid(2, r)),
      pairs.map(([, v]) => uuid(1, v)),
      pairs.map(([, v]) => uuid(5, (world.volunteers[v] as { community: number }).community)),
      STAFF,
    ],
  );
  await admin.query('analyze');
}
