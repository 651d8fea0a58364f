import type { SimulationResult } from './drive';
import { distance, type World } from './world';

export function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Inequality of tasks across volunteers: 0 when everyone did the same, towards 1 when a few did all. */
export function gini(loads: number[]): number {
  const sorted = [...loads].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((s, x) => s + x, 0);
  if (n === 0 || total === 0) return 0;
  const weighted = sorted.reduce((s, x, i) => s + (i + 1) * x, 0);
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

export interface Metrics {
  matched: number;
  acceptP50: number;
  acceptP90: number;
  hardFill: number;
  gini: number;
  travelKm: number;
  decisionP95: number;
  /** Escalation bonus paid per served order, points. */
  bonusPerServed: number;
}

export function measure(world: World, result: SimulationResult): Metrics {
  const served = result.outcomes.filter((o) => o.volunteer !== null);
  const hard = result.outcomes.filter((o) => o.order.hard);
  const loads = new Map<number, number>();
  for (const o of served) loads.set(o.volunteer as number, (loads.get(o.volunteer as number) ?? 0) + 1);
  const waits = served.map((o) => (o.acceptedAt as number) - o.order.created);
  const travel = served.reduce(
    (s, o) => s + distance(world.volunteers[o.volunteer as number] as never, o.order),
    0,
  );
  return {
    matched: served.length,
    acceptP50: percentile(waits, 0.5),
    acceptP90: percentile(waits, 0.9),
    hardFill: hard.filter((o) => o.volunteer !== null).length / Math.max(hard.length, 1),
    // Over the volunteers who served this week: how evenly the work spread among them.
    gini: gini([...loads.values()]),
    travelKm: served.length ? travel / served.length / 1000 : 0,
    decisionP95: percentile(result.decisionMs, 0.95),
    bonusPerServed: served.length ? served.reduce((s, o) => s + (o.bonusPoints ?? 0), 0) / served.length : 0,
  };
}
