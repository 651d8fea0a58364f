// `npm run bench:dispatch`: a seeded synthetic street (3,000 volunteers, a week of
// 500 orders a day, some hard and unpopular) run under four policies: the grab-style
// task hall, nearest-available greedy, ours (shared/src/dispatch ranking with offers
// and escalation), and the offline optimum in hindsight (max flow).
// Usage: npm run bench:dispatch -- [--seed 7] [--volunteers 3000] [--orders 500]
import { parseArgs } from 'node:util';
import { DEFAULT_WEIGHTS, type DispatchWeights } from '@llb/shared';
import { databaseDecisionMs } from './dispatch/database-decision';
import { type Metrics, measure, percentile } from './dispatch/metrics';
import { offlineOptimum } from './dispatch/optimum';
import { type Policy, simulate } from './dispatch/simulate';
import { makeWorld } from './dispatch/world';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    volunteers: { type: 'string' },
    orders: { type: 'string' },
    sweep: { type: 'boolean' },
  },
});
const world = makeWorld(
  Number(values.seed ?? 7),
  Number(values.volunteers ?? 3000),
  Number(values.orders ?? 500),
);
const hardCount = world.orders.filter((o) => o.hard).length;
console.log(
  `${world.volunteers.length} volunteers, ${world.orders.length} orders (${hardCount} hard), seed ${world.seed}`,
);

const optimum = offlineOptimum(world);
const results = new Map<Policy, Metrics>();
for (const policy of ['hall', 'nearest', 'ours'] as Policy[]) {
  const started = performance.now();
  results.set(policy, measure(world, simulate(world, policy)));
  console.log(`  simulated ${policy} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(
  '\npolicy     matched   of optimum  accept p50/p90 (min)  hard fill  load gini  travel km  decision p95',
);
for (const [policy, m] of results) {
  console.log(
    `${policy.padEnd(10)} ${String(m.matched).padStart(7)}   ${pct(m.matched / optimum).padStart(10)}  ${`${m.acceptP50.toFixed(0)}/${m.acceptP90.toFixed(0)}`.padStart(20)}  ${pct(m.hardFill).padStart(9)}  ${m.gini.toFixed(3).padStart(9)}  ${m.travelKm.toFixed(2).padStart(9)}  ${`${m.decisionP95.toFixed(2)} ms`.padStart(12)}`,
  );
}
console.log(
  `optimum    ${String(optimum).padStart(7)}   (max flow over the week, knowing every answer in advance)`,
);

if (values.sweep) {
  // Why the default weights: each variant leans on one consideration.
  const variants: [string, DispatchWeights][] = [
    ['default', DEFAULT_WEIGHTS],
    ['distance only', { skill: 0, distance: 1, fairness: 0, reputation: 0, reliability: 0, continuity: 0 }],
    ['no fairness', { ...DEFAULT_WEIGHTS, fairness: 0, distance: 0.55 }],
    ['fairness heavy', { ...DEFAULT_WEIGHTS, fairness: 0.6, distance: 0.1, continuity: 0.05 }],
    ['reputation heavy', { ...DEFAULT_WEIGHTS, reputation: 0.4, fairness: 0.1, distance: 0.15 }],
  ];
  console.log('\nweights            matched  hard fill  gini   travel km');
  for (const [name, weights] of variants) {
    const m = measure(world, simulate(world, 'ours', weights));
    console.log(
      `${name.padEnd(18)} ${String(m.matched).padStart(7)}  ${pct(m.hardFill).padStart(9)}  ${m.gini.toFixed(3)}  ${m.travelKm.toFixed(2).padStart(9)}`,
    );
  }
}

// The simulation ranks in memory; production first asks Postgres for the facts.
const dbTimes = await databaseDecisionMs(world);
const dbP95 = percentile(dbTimes, 0.95);
console.log(
  `\ndecision with Postgres, all ${world.volunteers.length} volunteers as candidates: p50 ${percentile(dbTimes, 0.5).toFixed(1)} ms, p95 ${dbP95.toFixed(1)} ms`,
);

const ours = results.get('ours') as Metrics;
console.log(
  `dispatch: matched ${((ours.matched / optimum) * 100).toFixed(1)}% of optimum, gini ${ours.gini.toFixed(2)}, hard fill ${(ours.hardFill * 100).toFixed(1)}%, p95 ${dbP95.toFixed(0)} ms`,
);
