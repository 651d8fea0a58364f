// The decision as production makes it: the candidates' facts from Postgres
// (public.dispatch_candidates), then the shared ranking, for an order open to the
// whole street, so every one of the volunteers is a candidate.
import { randomUUID } from 'node:crypto';
import { type DispatchFactsRow, decodeFacts, rankCandidates } from '@llb/shared';
import pg from 'pg';
import { startBenchDatabase } from '../support';
import type { World } from './world';

const STAFF = 'e0000000-0000-4000-8000-000000000008';
const RESIDENT = 'e0000000-0000-4000-8000-000000000001';
const COMMUNITIES = ['c0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002'];

export async function databaseDecisionMs(world: World, runs = 40): Promise<number[]> {
  const bench = await startBenchDatabase(2);
  const admin = new pg.Client({ connectionString: bench.url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ id: string }>(
      `insert into public.users (nickname) select 'sim' || n from generate_series(1, $1) n returning id`,
      [world.volunteers.length],
    );
    const ids = rows.map((r) => r.id);
    await admin.query(
      `insert into public.volunteer_profiles (user_id, community_id, real_name, phone, status, reviewed_by, reviewed_at,
         latitude, longitude, service_radius_m)
       select id, ($2::uuid[])[1 + (n % 2)::int], '志愿者', '13500000000', 'approved', $3, now(),
         31.23 + ($4::float8[])[n::int] / 111000, 121.47 + ($5::float8[])[n::int] / 95000, 5000
       from unnest($1::uuid[]) with ordinality as u(id, n)`,
      [ids, COMMUNITIES, STAFF, world.volunteers.map((v) => v.y), world.volunteers.map((v) => v.x)],
    );
    await admin.query(
      `insert into public.volunteer_skills (user_id, skill_code) select id, 'smartphone' from unnest($1::uuid[]) id`,
      [ids],
    );
    const project = await bench.db.rpc<{ id: string }>('save_project', {
      p_actor: STAFF,
      p_key: randomUUID(),
      p_input: {
        communityId: COMMUNITIES[0],
        title: '决策耗时',
        category: 'smart_elderly',
        requiredSkills: ['smartphone'],
        pointsPerHour: 10,
        expectedMinutes: 60,
        maxMinutes: 120,
        serviceCommunityIds: [COMMUNITIES[0]],
        responseHours: 24,
      },
    });
    await bench.db.rpc('change_project_status', {
      p_actor: STAFF,
      p_project_id: project.id,
      p_action: 'publish',
      p_key: randomUUID(),
    });
    const order = await bench.db.rpc<{ id: string }>('place_order', {
      p_actor: RESIDENT,
      p_key: randomUUID(),
      p_input: {
        projectId: project.id,
        windowStart: new Date(Date.now() + 3 * 3_600_000).toISOString(),
        windowEnd: new Date(Date.now() + 5 * 3_600_000).toISOString(),
      },
    });
    await admin.query('update public.orders set widened = true where id = $1', [order.id]);
    // As autovacuum would have by now: planner statistics for the freshly loaded tables.
    await admin.query('analyze');
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const row = await bench.db.rpc<DispatchFactsRow>('dispatch_candidates', {
        p_order_id: order.id,
        p_now: new Date().toISOString(),
      });
      if (rankCandidates(decodeFacts(row)).length === 0) throw new Error('no candidates');
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    await admin.end();
    await bench.stop();
  }
}
