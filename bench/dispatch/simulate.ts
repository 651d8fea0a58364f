// The in-memory runs over the synthetic week: the grab-style hall, and the offer
// policies (nearest-first, ours) through the same volunteer model as the SQL run.
import { DEFAULT_WEIGHTS, type DispatchWeights } from '@llb/shared';
import { drive, type Outcome, type SimulationResult } from './drive';
import { memoryBackend } from './memory';
import {
  acceptance,
  DAYS,
  DEFAULT_POLICIES,
  draw,
  type Order,
  type Policies,
  qualifies,
  rng,
  STEP_MINUTES,
  type World,
} from './world';

export type Policy = 'hall' | 'nearest' | 'ours';

export interface PolicyOptions {
  weights?: DispatchWeights;
  topK?: number;
  policies?: Policies;
}

export async function simulate(
  world: World,
  policy: Policy,
  options: PolicyOptions = {},
): Promise<SimulationResult> {
  if (policy === 'hall') return hall(world);
  return drive(
    world,
    memoryBackend(
      world,
      policy,
      options.weights ?? DEFAULT_WEIGHTS,
      policy === 'nearest' ? 1 : (options.topK ?? 1),
      options.policies ?? DEFAULT_POLICIES,
    ),
  );
}

/** 抢单: eager volunteers look more often and take the most attractive order they may. */
function hall(world: World): SimulationResult {
  const busy = new Set<string>();
  const tasksByDay = new Map<string, number>();
  const tasksOn = (v: number, day: number) => tasksByDay.get(`${v}:${day}`) ?? 0;
  const outcomes = new Map<number, Outcome>();
  const byCreation = [...world.orders].sort((a, b) => a.created - b.created);
  const browse = rng(world.seed + 99);
  let open: Order[] = [];
  let next = 0;
  for (let now = 0; now < DAYS * 1440 + 1440; now += STEP_MINUTES) {
    while (next < byCreation.length && (byCreation[next] as Order).created <= now) {
      open.push(byCreation[next] as Order);
      next++;
    }
    open = open.filter((o) => now < o.end);
    for (const v of world.volunteers) {
      if (browse() > v.eagerness * 0.03) continue;
      let best: Order | null = null;
      let bestP = 0;
      for (const o of open) {
        if (!qualifies(v, o, false) || busy.has(`${v.index}:${o.day}:${o.slot}`)) continue;
        if (tasksOn(v.index, o.day) >= v.dailyCap) continue;
        const p = acceptance(v, o, tasksOn(v.index, o.day), 0);
        if (p > bestP) {
          bestP = p;
          best = o;
        }
      }
      if (best && draw(world.seed, v.index, best.index) < bestP) {
        busy.add(`${v.index}:${best.day}:${best.slot}`);
        tasksByDay.set(`${v.index}:${best.day}`, tasksOn(v.index, best.day) + 1);
        outcomes.set(best.index, { order: best, volunteer: v.index, acceptedAt: now });
        open.splice(open.indexOf(best), 1);
      }
    }
  }
  return {
    outcomes: world.orders.map(
      (o) => outcomes.get(o.index) ?? { order: o, volunteer: null, acceptedAt: null },
    ),
    decisionMs: [],
    refused: new Map(),
    offers: 0,
  };
}
