// Runs one dispatch policy over the synthetic week in 5-minute steps.
import {
  DEFAULT_WEIGHTS,
  type DispatchCandidate,
  type DispatchWeights,
  OFFER_WINDOW_MINUTES,
  rankCandidates,
} from '@llb/shared';
import {
  acceptance,
  DAYS,
  distance,
  draw,
  type Order,
  qualifies,
  rng,
  STEP_MINUTES,
  type Volunteer,
  type World,
} from './world';

export type Policy = 'hall' | 'nearest' | 'ours';

export interface Outcome {
  order: Order;
  volunteer: number | null;
  acceptedAt: number | null;
}

export interface SimulationResult {
  outcomes: Outcome[];
  decisionMs: number[];
}

interface State {
  busy: Set<string>; // `${volunteer}:${day}:${slot}`
  tasksByDay: Map<string, number>; // `${volunteer}:${day}`
  recent: number[]; // tasks so far per volunteer
  ratingSum: number[];
  ratingCount: number[];
  offersAccepted: number[];
  offersMissed: number[];
  offered: Set<string>; // `${order}:${volunteer}`
}

const tasksOn = (s: State, v: number, day: number) => s.tasksByDay.get(`${v}:${day}`) ?? 0;

function free(s: State, v: Volunteer, o: Order): boolean {
  return !s.busy.has(`${v.index}:${o.day}:${o.slot}`) && tasksOn(s, v.index, o.day) < v.dailyCap;
}

function assign(s: State, world: World, v: number, o: Order): void {
  s.busy.add(`${v}:${o.day}:${o.slot}`);
  s.tasksByDay.set(`${v}:${o.day}`, tasksOn(s, v, o.day) + 1);
  s.recent[v] = (s.recent[v] ?? 0) + 1;
  const quality = (world.volunteers[v] as Volunteer).quality;
  const rating = Math.round(Math.min(3, Math.max(1, quality + (draw(world.seed + 7, v, o.index) - 0.5))));
  s.ratingSum[v] = (s.ratingSum[v] ?? 0) + rating;
  s.ratingCount[v] = (s.ratingCount[v] ?? 0) + 1;
}

function candidateFacts(world: World, s: State, o: Order, v: Volunteer): DispatchCandidate {
  return {
    volunteerId: v.id,
    distanceM: distance(v, o),
    serviceRadiusM: v.radius,
    otherCommunity: v.community !== o.community,
    skills: v.skills,
    recentTasks: s.recent[v.index] ?? 0,
    tasksThatDay: tasksOn(s, v.index, o.day),
    dailyCap: v.dailyCap,
    ratingSum: s.ratingSum[v.index] ?? 0,
    ratingCount: s.ratingCount[v.index] ?? 0,
    offersAccepted: s.offersAccepted[v.index] ?? 0,
    offersMissed: s.offersMissed[v.index] ?? 0,
    releases: 0,
    paired: world.pairs.get(o.resident) === v.index,
    servedBefore: false,
    available: true,
  };
}

/** The volunteer a policy offers an order to next, or null when it has nobody left. */
function chooseNext(
  world: World,
  s: State,
  policy: Policy,
  o: Order,
  widened: boolean,
  decisionMs: number[],
  weights: DispatchWeights,
): number | null {
  const started = performance.now();
  const pool = world.volunteers.filter(
    (v) => !s.offered.has(`${o.index}:${v.index}`) && qualifies(v, o, widened) && free(s, v, o),
  );
  let chosen: number | null = null;
  if (policy === 'nearest') {
    let best = Number.POSITIVE_INFINITY;
    for (const v of pool) {
      const d = distance(v, o);
      if (d < best) {
        best = d;
        chosen = v.index;
      }
    }
  } else {
    const ranked = rankCandidates(
      {
        orderId: String(o.index),
        windowStart: '',
        requiredSkills: [o.skill],
        candidates: pool.map((v) => candidateFacts(world, s, o, v)),
      },
      weights,
    );
    chosen = ranked[0] ? Number(ranked[0].volunteerId.slice(1)) : null;
  }
  decisionMs.push(performance.now() - started);
  return chosen;
}

interface Live {
  order: Order;
  offerTo: number | null;
  offerEnds: number;
  acceptsAt: number | null;
  bonusSteps: number;
  widened: boolean;
}

export function simulate(
  world: World,
  policy: Policy,
  weights: DispatchWeights = DEFAULT_WEIGHTS,
): SimulationResult {
  const n = world.volunteers.length;
  const s: State = {
    busy: new Set(),
    tasksByDay: new Map(),
    recent: new Array(n).fill(0),
    ratingSum: new Array(n).fill(0),
    ratingCount: new Array(n).fill(0),
    offersAccepted: new Array(n).fill(0),
    offersMissed: new Array(n).fill(0),
    offered: new Set(),
  };
  const outcomes = new Map<number, Outcome>();
  const decisionMs: number[] = [];
  const byCreation = [...world.orders].sort((a, b) => a.created - b.created);
  const open: Live[] = [];
  const browse = rng(world.seed + 99);
  let next = 0;

  for (let now = 0; now < DAYS * 1440 + 1440; now += STEP_MINUTES) {
    while (next < byCreation.length && (byCreation[next] as Order).created <= now) {
      open.push({
        order: byCreation[next] as Order,
        offerTo: null,
        offerEnds: 0,
        acceptsAt: null,
        bonusSteps: 0,
        widened: false,
      });
      next++;
    }
    for (let i = open.length - 1; i >= 0; i--) {
      const live = open[i] as Live;
      const o = live.order;
      const done = (volunteer: number | null, at: number | null) => {
        outcomes.set(o.index, { order: o, volunteer, acceptedAt: at });
        open.splice(i, 1);
      };
      if (now >= o.start) {
        done(null, null);
        continue;
      }
      if (policy === 'ours') {
        // Escalation: a bonus step every half hour unaccepted (capped at 4), the whole street from the second.
        live.bonusSteps = Math.min(4, Math.floor((now - o.created) / 30));
        live.widened = live.bonusSteps >= 2;
      }
      if (policy === 'hall') continue;
      if (live.offerTo !== null && live.acceptsAt !== null && now >= live.acceptsAt) {
        const v = world.volunteers[live.offerTo] as Volunteer;
        if (free(s, v, o)) {
          assign(s, world, v.index, o);
          s.offersAccepted[v.index] = (s.offersAccepted[v.index] ?? 0) + 1;
          done(v.index, now);
          continue;
        }
        live.acceptsAt = null;
      }
      if (live.offerTo !== null && now < live.offerEnds) continue;
      if (live.offerTo !== null) s.offersMissed[live.offerTo] = (s.offersMissed[live.offerTo] ?? 0) + 1;
      const chosen = chooseNext(world, s, policy, o, live.widened, decisionMs, weights);
      live.offerTo = chosen;
      if (chosen === null) continue;
      s.offered.add(`${o.index}:${chosen}`);
      const v = world.volunteers[chosen] as Volunteer;
      const yes =
        draw(world.seed, chosen, o.index) < acceptance(v, o, tasksOn(s, chosen, o.day), live.bonusSteps);
      live.offerEnds = now + OFFER_WINDOW_MINUTES;
      live.acceptsAt = yes ? now + STEP_MINUTES * Math.floor(browse() * 2) : null;
    }

    if (policy === 'hall') {
      // 抢单: eager volunteers look more often and take the most attractive order they may.
      for (const v of world.volunteers) {
        if (browse() > v.eagerness * 0.03) continue;
        let best: Live | null = null;
        let bestP = 0;
        for (const live of open) {
          const o = live.order;
          if (!qualifies(v, o, false) || !free(s, v, o)) continue;
          const p = acceptance(v, o, tasksOn(s, v.index, o.day), 0);
          if (p > bestP) {
            bestP = p;
            best = live;
          }
        }
        if (best && draw(world.seed, v.index, best.order.index) < bestP) {
          assign(s, world, v.index, best.order);
          outcomes.set(best.order.index, { order: best.order, volunteer: v.index, acceptedAt: now });
          open.splice(open.indexOf(best), 1);
        }
      }
    }
  }
  for (const live of open)
    outcomes.set(live.order.index, { order: live.order, volunteer: null, acceptedAt: null });
  return { outcomes: world.orders.map((o) => outcomes.get(o.index) as Outcome), decisionMs };
}
