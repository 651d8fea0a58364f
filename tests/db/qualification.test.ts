import { randomUUID } from 'node:crypto';
import { type AppError, type DispatchFactsRow, decodeFacts, type OrderView } from '@llb/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTick } from '../../functions/src/use-cases/run-tick';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectAppError } from '../support/expect-app-error';
import { SEED } from '../support/ids';
import { createResidents, createVolunteers, key, placeOrder, publishProject } from '../support/orders';

// One rule decides who may take an order (private.may_take); the task hall,
// staff assignment, accepting and dispatch offers must all agree with it.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  // These streets are small: without this every order would jump straight to the last
  // escalation step (escalation_scarce_candidates, tested on its own in dispatch.test.ts).
  await t.admin.query("update public.policies set value = 0 where key = 'escalation_scarce_candidates'");
});
afterAll(() => t.close());

const minutes = (m: number, from = Date.now()) => new Date(from + m * 60_000);
const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();

/** A new street (or a community of the seeded one) with a community staffed by 张红梅. */
async function community(street: string = SEED.street): Promise<string> {
  const { rows } = await t.admin.query(
    `insert into public.communities (street_id, name, latitude, longitude)
     values ($1, '资格' || gen_random_uuid(), 31.23, 121.47) returning id`,
    [street],
  );
  await t.admin.query(
    "insert into public.user_roles (user_id, role, community_id) values ($1, 'staff', $2)",
    [SEED.staffZhang, rows[0].id],
  );
  return rows[0].id;
}

async function street(): Promise<string> {
  const { rows } = await t.admin.query(
    "insert into public.streets (name) values ('街道' || gen_random_uuid()) returning id",
  );
  return rows[0].id;
}

const hall = (volunteer: string) => t.db.rpc<OrderView[]>('list_task_hall', { p_actor: volunteer });
const assignable = (orderId: string) =>
  t.db.rpc<{ id: string }[]>('list_assignable_volunteers', { p_actor: SEED.staffZhang, p_order_id: orderId });
const accept = (volunteer: string, orderId: string) =>
  t.db.rpc<OrderView>('accept_order', { p_actor: volunteer, p_order_id: orderId, p_key: key() });

/** An open order of community `home` for a project only volunteers with 法律咨询 may take. */
async function legalOrder(home: string, startInMinutes: number) {
  const [resident] = (await createResidents(t.admin, 1, home)) as [string];
  const project = await publishProject(t.db, {
    communityId: home,
    serviceCommunityIds: [home],
    title: '法律咨询上门',
    category: 'other',
    requiredSkills: ['legal'],
  });
  return placeOrder(t.db, project.id, { resident, startInMinutes });
}

describe('widened orders reach the whole street', () => {
  it('are offered by the tick to a volunteer of another community of the street, who accepts', async () => {
    const home = await community();
    const neighbour = await community();
    const [volunteer] = (await createVolunteers(t.admin, 1, {
      community: neighbour,
      skills: ['legal'],
      prefix: '邻社区',
    })) as [string];
    const order = await legalOrder(home, 600);
    const { rows } = await t.admin.query('select created_at from public.orders where id = $1', [order.id]);
    const created = (rows[0].created_at as Date).getTime();
    const offers = async () =>
      (
        await t.admin.query<{ volunteer_id: string; status: string }>(
          'select volunteer_id, status from public.dispatch_offers where order_id = $1',
          [order.id],
        )
      ).rows;

    await runTick(t.db, minutes(31, created));
    expect(await offers()).toEqual([]);
    await expectAppError(accept(volunteer, order.id), 'not_qualified', /服务社区/);

    await runTick(t.db, minutes(61, created));
    expect(await offers()).toEqual([{ volunteer_id: volunteer, status: 'pending' }]);
    const offered = await t.db.rpc<OrderView[]>('list_my_offers', { p_actor: volunteer });
    expect(offered.map((o) => [o.id, o.widened, o.actions])).toEqual([[order.id, true, ['accept']]]);

    const accepted = await accept(volunteer, order.id);
    expect(accepted).toMatchObject({ status: 'accepted', volunteerId: volunteer, viewerKind: 'volunteer' });
    expect(await offers()).toEqual([{ volunteer_id: volunteer, status: 'accepted' }]);
  });

  it('show in the hall of the street’s other communities once widened, not before, never in another street', async () => {
    // A street of its own: the demo street's seeded lawyer (罗志远, 和平社区) would be a candidate too.
    const ours = await street();
    const home = await community(ours);
    const neighbour = await community(ours);
    const far = await community(await street());
    const [near] = (await createVolunteers(t.admin, 1, { community: neighbour, skills: ['legal'] })) as [
      string,
    ];
    const [away] = (await createVolunteers(t.admin, 1, { community: far, skills: ['legal'] })) as [string];
    // Weekly slots on no day of this order: dispatch won't push it to `near`, but the hall still shows it.
    await t.admin.query(
      `insert into public.volunteer_availability (user_id, weekday, starts_at, ends_at)
       select $1, d, '00:00', '00:01' from generate_series(1, 7) d`,
      [near],
    );
    const order = await legalOrder(home, 600);

    expect(ids(await hall(near))).not.toContain(order.id);
    expect(ids(await hall(away))).not.toContain(order.id);
    expect(ids(await assignable(order.id))).toEqual([]);

    const { rows } = await t.admin.query('select created_at from public.orders where id = $1', [order.id]);
    const created = (rows[0].created_at as Date).getTime();
    await runTick(t.db, minutes(31, created));
    await runTick(t.db, minutes(61, created));
    const widened = await t.admin.query(
      'select widened, (select count(*)::int from public.dispatch_offers where order_id = $1) as offers from public.orders where id = $1',
      [order.id],
    );
    expect(widened.rows[0]).toEqual({ widened: true, offers: 0 });

    const seen = (await hall(near)).find((o) => o.id === order.id);
    expect(seen).toMatchObject({
      widened: true,
      viewerKind: 'candidate',
      actions: ['accept'],
      contactVisible: false,
    });
    expect(ids(await hall(away))).not.toContain(order.id);
    expect(ids(await assignable(order.id))).toEqual([near]);
    await expectAppError(accept(away, order.id), 'not_qualified', /服务社区/);
    await expectAppError(t.db.rpc('get_order', { p_actor: away, p_order_id: order.id }), 'not_found');
    expect(await accept(near, order.id)).toMatchObject({ status: 'accepted', volunteerId: near });
  });
});

// ---------------------------------------------------------------------------
// A generated street: the hall, assignment, dispatch candidates and accepting
// agree with private.may_take (and wants_offer / offers) for every pair.

const RUNS = Number(process.env.QUALIFICATION_RUNS ?? 20);
const SKILLS = ['smartphone', 'repair', 'cleaning'] as const;
const REASONS = [
  'not_volunteer',
  'other_community',
  'missing_skill',
  'window_passed',
  'own_order',
  'overlap',
  'daily_cap',
] as const;

// Communities 0 and 1 share a street; 2 is in another street. Most orders are of community 0.
const weighted = (...weights: number[]) =>
  fc.oneof(...weights.map((weight, i) => ({ arbitrary: fc.constant(i), weight })));
const hour = fc.integer({ min: 8, max: 18 });

type Slot = { day: number; from: number; length: number };
const volunteerArb = fc.record({
  community: weighted(5, 3, 2),
  status: fc.constantFrom(
    'approved',
    'approved',
    'approved',
    'approved',
    'approved',
    'approved',
    'pending',
    'suspended',
  ),
  skills: fc.subarray([...SKILLS]),
  radius: fc.integer({ min: 100, max: 5000 }),
  north: fc.option(fc.integer({ min: -5000, max: 5000 }), { nil: null, freq: 2 }),
  // Slot days: 0–2 are the orders' days, 3 a day without orders.
  slots: fc.oneof(
    fc.constant([] as Slot[]),
    fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 3 }),
        from: fc.integer({ min: 6, max: 14 }),
        length: fc.integer({ min: 2, max: 14 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  ),
  cap: fc.integer({ min: 1, max: 3 }),
  tasks: fc.array(
    fc.record({
      day: fc.constantFrom(0, 1, 1, 1, 2),
      start: hour,
      hours: fc.integer({ min: 1, max: 3 }),
      status: fc.constantFrom('accepted', 'accepted', 'in_service', 'completed', 'confirmed', 'cancelled'),
    }),
    { maxLength: 4 },
  ),
});

const orderArb = fc.record({
  community: weighted(7, 2, 1),
  widened: fc.boolean(),
  project: fc.integer({ min: 0, max: 2 }),
  day: fc.constantFrom(-3, 0, 1, 1, 2),
  start: hour,
  hours: fc.integer({ min: 1, max: 3 }),
  north: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
  // Ordered by a volunteer of the street (own order) sometimes.
  byVolunteer: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.nat(), weight: 1 }),
  acceptFrom: fc.nat(),
});

const offerArb = fc.record({
  order: fc.nat(),
  volunteer: fc.nat(),
  kind: fc.constantFrom('live', 'live', 'stale', 'declined', 'expired'),
});

const worldArb = fc.record({
  volunteers: fc.array(volunteerArb, { minLength: 4, maxLength: 24 }),
  orders: fc.array(orderArb, { minLength: 1, maxLength: 4 }),
  offers: fc.array(offerArb, { maxLength: 6 }),
});
type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

// Windows are on Shanghai days counted from the day after tomorrow (Shanghai has no DST).
const shanghaiToday = new Date(Date.now() + 8 * 3_600_000);
const at = (day: number, h: number) =>
  new Date(
    Date.UTC(
      shanghaiToday.getUTCFullYear(),
      shanghaiToday.getUTCMonth(),
      shanghaiToday.getUTCDate() + 2 + day,
      h - 8,
    ),
  );
const isoWeekday = (day: number) => ((at(day, 12).getUTCDay() + 6) % 7) + 1;
const lat = (north: number | null) => (north === null ? null : 31.23 + north / 111_000);

interface Oracle {
  volunteer: string;
  order: string;
  reason: (typeof REASONS)[number] | null;
  wants: boolean;
  /** Someone else holds a live offer of the order, and this volunteer doesn't (from the generated offers). */
  elsewhere: boolean;
  /** Ever offered this order, whatever became of the offer (from the generated offers). */
  offeredBefore: boolean;
}

type Offer = { order: string; volunteer: string; kind: string };

/** The rule (may_take, wants_offer) as SQL answers it now, with the offers as generated. */
async function oracle(volunteers: string[], orders: string[], offers: Offer[]): Promise<Oracle[]> {
  const { rows } = await t.admin.query<Omit<Oracle, 'elsewhere' | 'offeredBefore'>>(
    `select v.id as volunteer, o.id as "order", private.may_take(v.id, o, now()) as reason,
       private.wants_offer(v.id, o) as wants
     from unnest($1::uuid[]) v(id), public.orders o where o.id = any($2::uuid[])`,
    [volunteers, orders],
  );
  const live = (f: Offer) => f.kind === 'live';
  return rows.map((r) => ({
    ...r,
    elsewhere:
      offers.some((f) => live(f) && f.order === r.order && f.volunteer !== r.volunteer) &&
      !offers.some((f) => live(f) && f.order === r.order && f.volunteer === r.volunteer),
    offeredBefore: offers.some((f) => f.order === r.order && f.volunteer === r.volunteer),
  }));
}

let projects: string[] = [];
let residents: string[] = [];
const seenReasons = new Set<string | null>();
const seen = { wantsNot: 0, elsewhere: 0, offeredBefore: 0, accepted: 0, acceptedAcross: 0 };

async function build(world: World) {
  const s1 = await street();
  const communities = [await community(s1), await community(s1), await community(await street())];
  const volunteers = world.volunteers.map(() => randomUUID());
  await t.admin.query(
    `insert into public.users (id, nickname, real_name, phone)
     select id, '资格' || n, '资格' || n, '13500001234' from unnest($1::uuid[]) with ordinality u(id, n)`,
    [volunteers],
  );
  await t.admin.query(
    `insert into public.volunteer_profiles (user_id, community_id, real_name, phone, status, reviewed_by, reviewed_at,
       service_radius_m, latitude, longitude, daily_cap)
     select x.id, x.community, '资格', '13500001234', x.status::public.verification_status,
       case when x.status <> 'pending' then $2::uuid end, case when x.status <> 'pending' then now() end,
       x.radius, x.lat, case when x.lat is not null then 121.47 end, x.cap
     from jsonb_to_recordset($1::jsonb) x(id uuid, community uuid, status text, radius int, lat float8, cap int)`,
    [
      JSON.stringify(
        world.volunteers.map((v, i) => ({
          id: volunteers[i],
          community: communities[v.community],
          status: v.status,
          radius: v.radius,
          lat: lat(v.north),
          cap: v.cap,
        })),
      ),
      SEED.staffZhang,
    ],
  );
  await t.admin.query(
    `insert into public.volunteer_skills (user_id, skill_code)
     select x.id, x.skill from jsonb_to_recordset($1::jsonb) x(id uuid, skill text)`,
    [
      JSON.stringify(
        world.volunteers.flatMap((v, i) => v.skills.map((skill) => ({ id: volunteers[i], skill }))),
      ),
    ],
  );
  await t.admin.query(
    `insert into public.volunteer_availability (user_id, weekday, starts_at, ends_at)
     select x.id, x.weekday, make_time(x.starts, 0, 0), make_time(x.ends, 0, 0)
     from jsonb_to_recordset($1::jsonb) x(id uuid, weekday int, starts int, ends int)`,
    [
      JSON.stringify(
        world.volunteers.flatMap((v, i) =>
          v.slots.map((s) => ({
            id: volunteers[i],
            weekday: isoWeekday(s.day === 3 ? 4 : s.day),
            starts: s.from,
            ends: Math.min(23, s.from + s.length),
          })),
        ),
      ),
    ],
  );

  const row = (o: {
    id: string;
    community: string;
    project: string;
    resident: string;
    start: Date;
    end: Date;
    lat: number | null;
    widened: boolean;
    status: string;
    volunteer: string | null;
  }) => o;
  const open = world.orders.map((o) =>
    row({
      id: randomUUID(),
      community: communities[o.community] as string,
      project: projects[o.project] as string,
      resident:
        o.byVolunteer === null
          ? (residents[0] as string)
          : (volunteers[o.byVolunteer % volunteers.length] as string),
      start: at(o.day, o.start),
      end: at(o.day, o.start + o.hours),
      lat: lat(o.north),
      widened: o.widened,
      status: 'open',
      volunteer: null,
    }),
  );
  const tasks = world.volunteers.flatMap((v, i) =>
    v.tasks.map((task) =>
      row({
        id: randomUUID(),
        community: communities[v.community] as string,
        project: projects[0] as string,
        resident: residents[1] as string,
        start: at(task.day, task.start),
        end: at(task.day, task.start + task.hours),
        lat: null,
        widened: false,
        status: task.status,
        volunteer: volunteers[i] as string,
      }),
    ),
  );
  await t.admin.query(
    `insert into public.orders (id, project_id, community_id, resident_id, ordered_by, status, window_start, window_end,
       address, contact_phone, latitude, longitude, points_per_hour, max_minutes, respond_by, widened,
       volunteer_id, accepted_at, rating)
     select x.id, x.project, x.community, x.resident, x.resident, x.status::public.order_status, x.start, x."end",
       '测试小区1栋101', '13800001234', x.lat, case when x.lat is not null then 121.47 end, 10, 120,
       now() + interval '1 day', x.widened, x.volunteer, case when x.volunteer is not null then now() end,
       case when x.status = 'confirmed' then 2 end
     from jsonb_to_recordset($1::jsonb)
       x(id uuid, project uuid, community uuid, resident uuid, status text, start timestamptz, "end" timestamptz,
         lat float8, widened boolean, volunteer uuid)`,
    [JSON.stringify([...open, ...tasks])],
  );
  const orders = open.map((o) => o.id);

  const offers = new Map<string, { order: string; volunteer: string; kind: string }>();
  for (const f of world.offers) {
    const order = orders[f.order % orders.length] as string;
    const volunteer = volunteers[f.volunteer % volunteers.length] as string;
    offers.set(`${order}/${volunteer}`, { order, volunteer, kind: f.kind });
  }
  await t.admin.query(
    `insert into public.dispatch_offers (order_id, volunteer_id, status, score, offered_at, expires_at, responded_at)
     select x.order, x.volunteer,
       case when x.kind in ('live', 'stale') then 'pending' else x.kind end::public.offer_status, 0.5,
       now() - interval '30 minutes',
       case when x.kind = 'stale' then now() - interval '15 minutes' else now() + interval '10 minutes' end,
       case when x.kind in ('declined', 'expired') then now() - interval '20 minutes' end
     from jsonb_to_recordset($1::jsonb) x("order" uuid, volunteer uuid, kind text)`,
    [JSON.stringify([...offers.values()])],
  );
  return { communities, volunteers, orders, offers: [...offers.values()] };
}

const codeOf = (e: unknown) => (e as AppError).code ?? String(e);

async function checkWorld(world: World) {
  const { volunteers, orders, offers } = await build(world);
  const facts = await oracle(volunteers, orders, offers);
  const pair = (v: string, o: string) => facts.find((f) => f.volunteer === v && f.order === o) as Oracle;
  for (const f of facts) {
    seenReasons.add(f.reason);
    if (f.reason === null && !f.wants) seen.wantsNot++;
    if (f.reason === null && f.elsewhere) seen.elsewhere++;
    if (f.reason === null && f.offeredBefore) seen.offeredBefore++;
  }

  // The hall of every volunteer: open orders they may take and nobody else holds an offer for.
  await Promise.all(
    world.volunteers.map(async (v, i) => {
      const volunteer = volunteers[i] as string;
      if (v.status !== 'approved') {
        await expectAppError(hall(volunteer), 'forbidden');
        return;
      }
      const shown = await hall(volunteer);
      const expected = orders.filter((o) => {
        const f = pair(volunteer, o);
        return f.reason === null && !f.elsewhere;
      });
      expect(ids(shown), `hall of volunteer ${i}`).toEqual([...expected].sort());
      for (const o of shown) expect(o.actions).toEqual(['accept']);
    }),
  );

  for (const [j, order] of orders.entries()) {
    // Staff assignment: everyone who may take it (offers don't bind staff).
    const canTake = volunteers.filter((v) => pair(v, order).reason === null).sort();
    expect(ids(await assignable(order)), `assignable for order ${j}`).toEqual(canTake);

    // Dispatch: may take, wants the offer, and was never offered it.
    const row = await t.db.rpc<DispatchFactsRow | null>('dispatch_candidates', {
      p_order_id: order,
      p_now: new Date().toISOString(),
    });
    const candidates = decodeFacts(row as DispatchFactsRow)
      .candidates.map((c) => c.volunteerId)
      .sort();
    const offerable = volunteers
      .filter((v) => {
        const f = pair(v, order);
        return f.reason === null && f.wants && !f.offeredBefore;
      })
      .sort();
    expect(candidates, `dispatch candidates for order ${j}`).toEqual(offerable);
  }

  // Accepting, last: each acceptance changes the volunteer's schedule, so the rule is asked
  // again before each order. Refusals change nothing and run at once; then the first who may.
  for (const [j, order] of orders.entries()) {
    const now = await oracle(volunteers, [order], offers);
    const rotate = (world.orders[j]?.acceptFrom ?? 0) % volunteers.length;
    const line = [...now.slice(rotate), ...now.slice(0, rotate)];
    const may = line.filter((f) => f.reason === null && !f.elsewhere);
    const mayNot = line.filter((f) => !(f.reason === null && !f.elsewhere));
    const refusals = await Promise.all(
      mayNot.map((f) =>
        accept(f.volunteer, order).then(
          () => 'accepted',
          (e: unknown) => codeOf(e),
        ),
      ),
    );
    expect(refusals, `refused accepts of order ${j}`).toEqual(
      mayNot.map((f) =>
        f.elsewhere ? 'order_taken' : f.reason === 'overlap' ? 'schedule_conflict' : 'not_qualified',
      ),
    );
    const [first, second] = may;
    if (!first) continue;
    const done = await accept(first.volunteer, order);
    expect(done).toMatchObject({ status: 'accepted', volunteerId: first.volunteer });
    seen.accepted++;
    if (done.communityId !== (await volunteerCommunity(first.volunteer))) seen.acceptedAcross++;
    if (second) await expectAppError(accept(second.volunteer, order), 'order_taken');
  }
}

async function volunteerCommunity(volunteer: string): Promise<string> {
  const { rows } = await t.admin.query(
    'select community_id from public.volunteer_profiles where user_id = $1',
    [volunteer],
  );
  return rows[0].community_id;
}

describe('on a generated street, hall, assignment, offers and accepting agree with may_take', () => {
  beforeAll(async () => {
    residents = await createResidents(t.admin, 2);
    const skillSets = [[], ['smartphone'], ['smartphone', 'repair']];
    const { rows } = await t.admin.query<{ id: string }>(
      `insert into public.projects (community_id, title, category, points_per_hour, expected_minutes, max_minutes,
         response_hours, created_by, status, published_at)
       select $1, '资格项目' || n, 'other', 10, 60, 120, 24, $2, 'published', now() from generate_series(1, 3) n
       returning id`,
      [SEED.sunshine, SEED.staffZhang],
    );
    projects = rows.map((r) => r.id);
    for (const [i, skills] of skillSets.entries()) {
      for (const skill of skills) {
        await t.admin.query('insert into public.project_skills (project_id, skill_code) values ($1, $2)', [
          projects[i],
          skill,
        ]);
      }
    }
  });

  it(`for every volunteer and order (${RUNS} streets)`, { timeout: 120_000 }, async () => {
    // A fixed seed (QUALIFICATION_SEED to explore others): the coverage checks below must not
    // depend on luck, and a failure must replay.
    await fc.assert(fc.asyncProperty(worldArb, checkWorld), {
      numRuns: RUNS,
      seed: Number(process.env.QUALIFICATION_SEED ?? 20261125),
    });
    // The generator reaches every reason, and the cases where the four differ.
    expect([...seenReasons].sort()).toEqual([...REASONS, null].sort());
    expect(seen.wantsNot).toBeGreaterThan(0);
    expect(seen.elsewhere).toBeGreaterThan(0);
    expect(seen.offeredBefore).toBeGreaterThan(0);
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.acceptedAcross).toBeGreaterThan(0);
  });
});
