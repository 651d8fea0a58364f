// `npm run bench:dispatch`: a seeded synthetic street (3,000 volunteers, a week of
// 500 orders a day, some hard and unpopular) under the grab-style task hall,
// nearest-first and ours, in memory, then ours again through the real SQL functions
// against an embedded Postgres, all measured against the offline optimum (max flow).
// Usage: npm run bench:dispatch -- [--seed 7] [--volunteers 3000] [--orders 500]
//   [--days 7] [--top-k 1] [--offer-window 15] [--escalation-step 30] [--escalation-bonus 5]
//   [--escalation-steps 4] [--widen-at 2] [--scarce-candidates 10] [--sweep] [--memory-only]
//   [--migrations DIR]
import { parseArgs } from 'node:util';
import { DEFAULT_WEIGHTS, type DispatchWeights } from '@llb/shared';
import type { SimulationResult } from './dispatch/drive';
import { type Metrics, measure } from './dispatch/metrics';
import { fairOptimum, offlineOptimum } from './dispatch/optimum';
import { type Policy, simulate } from './dispatch/simulate';
import { sqlRun } from './dispatch/sql-run';
import { DAYS, DEFAULT_POLICIES, makeWorld, type Policies } from './dispatch/world';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    volunteers: { type: 'string' },
    orders: { type: 'string' },
    days: { type: 'string' },
    'top-k': { type: 'string' },
    'offer-window': { type: 'string' },
    'escalation-step': { type: 'string' },
    'escalation-bonus': { type: 'string' },
    'escalation-steps': { type: 'string' },
    'widen-at': { type: 'string' },
    'scarce-candidates': { type: 'string' },
    weights: { type: 'string' },
    sweep: { type: 'boolean' },
    'memory-only': { type: 'boolean' },
    migrations: { type: 'string' },
  },
});
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const days = num(values.days, DAYS);
const world = makeWorld(num(values.seed, 7), num(values.volunteers, 3000), num(values.orders, 500), days);
const topK = num(values['top-k'] ?? process.env.DISPATCH_TOP_K, 1);
const policies: Policies = {
  offerWindowMinutes: num(values['offer-window'], DEFAULT_POLICIES.offerWindowMinutes),
  escalationStepMinutes: num(values['escalation-step'], DEFAULT_POLICIES.escalationStepMinutes),
  escalationBonusPoints: num(values['escalation-bonus'], DEFAULT_POLICIES.escalationBonusPoints),
  escalationMaxSteps: num(values['escalation-steps'], DEFAULT_POLICIES.escalationMaxSteps),
  escalationWidenAtStep: num(values['widen-at'], DEFAULT_POLICIES.escalationWidenAtStep),
  escalationScarceCandidates: num(values['scarce-candidates'], DEFAULT_POLICIES.escalationScarceCandidates),
};
const weights: DispatchWeights = values.weights
  ? { ...DEFAULT_WEIGHTS, ...JSON.parse(values.weights) }
  : DEFAULT_WEIGHTS;
const hardCount = world.orders.filter((o) => o.hard).length;
console.log(
  `${world.volunteers.length} volunteers, ${world.orders.length} orders (${hardCount} hard), seed ${world.seed}` +
    (days === DAYS ? '' : `, SHRUNK to ${days} days (--days)`),
);
console.log(
  `top K ${topK}; policies: offer window ${policies.offerWindowMinutes} min, escalation every ${policies.escalationStepMinutes} min ` +
    `+${policies.escalationBonusPoints} points (at most ${policies.escalationMaxSteps} steps), whole street from step ${policies.escalationWidenAtStep}, ` +
    (policies.escalationScarceCandidates > 0
      ? `last step at once with ≤ ${policies.escalationScarceCandidates} candidates`
      : 'no scarce jump'),
);

const optimum = offlineOptimum(world, policies);
const fairBound = fairOptimum(world, policies);
const fair = fairBound.bound;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const header =
  'policy       matched   of optimum  of fair bound  accept p50/p90 (min)  hard fill  load gini  travel km  bonus/served  decision p95';
const line = (name: string, m: Metrics) =>
  `${name.padEnd(12)} ${String(m.matched).padStart(7)}   ${pct(m.matched / optimum).padStart(10)}  ${pct(m.matched / fair).padStart(13)}  ${`${m.acceptP50.toFixed(0)}/${m.acceptP90.toFixed(0)}`.padStart(20)}  ${pct(m.hardFill).padStart(9)}  ${m.gini.toFixed(3).padStart(9)}  ${m.travelKm.toFixed(2).padStart(9)}  ${m.bonusPerServed.toFixed(1).padStart(12)}  ${`${m.decisionP95.toFixed(2)} ms`.padStart(12)}`;
const refusals = (r: SimulationResult) =>
  r.refused.size === 0 ? 'none' : [...r.refused].map(([reason, count]) => `${count} × ${reason}`).join('; ');

console.log('\nIn memory (the same rule and volunteer model, no database):');
console.log(header);
const memory = new Map<Policy, SimulationResult>();
for (const policy of ['hall', 'nearest', 'ours'] as Policy[]) {
  const started = performance.now();
  const result = await simulate(world, policy, { weights, topK, policies });
  memory.set(policy, result);
  console.log(
    `${line(policy, measure(world, result))}   (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}
console.log(
  `optimum      ${String(optimum).padStart(7)}   (max flow over the week, knowing every answer in advance)`,
);
console.log(
  `fair bound   ${String(fair).padStart(7)}   (the same, but a yes counts only as the task of that day the model gives it: ` +
    `acceptance falls 35% per task taken; positions alone ${fairBound.positionsOnly})`,
);
console.log(`refused accepts (ours, in memory): ${refusals(memory.get('ours') as SimulationResult)}`);

if (values.sweep) {
  // Why the default weights: each variant leans on one consideration.
  const variants: [string, DispatchWeights][] = [
    ['default', DEFAULT_WEIGHTS],
    ['distance only', { skill: 0, distance: 1, fairness: 0, reputation: 0, reliability: 0, continuity: 0 }],
    [
      'no fairness',
      { ...DEFAULT_WEIGHTS, fairness: 0, distance: DEFAULT_WEIGHTS.distance + DEFAULT_WEIGHTS.fairness },
    ],
    ['fairness heavy', { ...DEFAULT_WEIGHTS, fairness: 0.6, distance: 0.1, continuity: 0.05 }],
    ['reputation heavy', { ...DEFAULT_WEIGHTS, reputation: 0.4, fairness: 0.1, distance: 0.15 }],
  ];
  console.log('\nweights (in memory)  matched   of optimum  accept p50/p90  hard fill  gini   travel km');
  for (const [name, w] of variants) {
    const m = measure(world, await simulate(world, 'ours', { weights: w, topK, policies }));
    console.log(
      `${name.padEnd(20)} ${String(m.matched).padStart(7)}   ${pct(m.matched / optimum).padStart(10)}  ${`${m.acceptP50.toFixed(0)}/${m.acceptP90.toFixed(0)}`.padStart(14)}  ${pct(m.hardFill).padStart(9)}  ${m.gini.toFixed(3)}  ${m.travelKm.toFixed(2).padStart(9)}`,
    );
  }
}

const final = (source: string, m: Metrics) =>
  console.log(
    `dispatch: matched ${((m.matched / optimum) * 100).toFixed(1)}% of optimum (${((m.matched / fair) * 100).toFixed(1)}% of the fair bound), gini ${m.gini.toFixed(2)}, hard fill ${(m.hardFill * 100).toFixed(1)}%, p95 ${m.decisionP95.toFixed(0)} ms${source}`,
  );

if (values['memory-only']) {
  final(' (in memory only: --memory-only)', measure(world, memory.get('ours') as SimulationResult));
} else {
  console.log(
    '\nThrough the SQL (ours: tick, tick_dispatch, dispatch_candidates + rank, make_offers, accept_order,',
  );
  console.log('decline_offer at the simulated time, on an embedded Postgres; read back from its tables):');
  const sql = await sqlRun(world, { weights, topK, policies, migrationsDir: values.migrations });
  const m = measure(world, sql);
  console.log(header);
  console.log(line('ours (SQL)', m));
  console.log(
    `${sql.offers} offers, ${sql.decisionMs.length} decisions in ${sql.seconds.toFixed(0)} s; refused accepts: ${refusals(sql)}; ` +
      `orders where the database and the bench disagree: ${sql.disagreements}`,
  );
  for (const note of sql.notes) console.log(`note: ${note}`);
  final('', m);
}
