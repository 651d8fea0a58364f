// The dispatcher in memory: the same rule as the SQL (private.may_take for who may
// take an order, private.wants_offer for who is offered it, tick_dispatch's expiry
// and escalation, make_offers' top K) over plain arrays, fast enough for a sweep.
import { type DispatchCandidate, type DispatchWeights, rankCandidates } from '@llb/shared';
import type { Backend, Offer, Served } from './drive';
import {
  distance,
  mayTake,
  type Order,
  type Policies,
  type Volunteer,
  type World,
  wantsOffer,
} from './world';

export type Ranker = 'ours' | 'nearest';

interface LiveOrder {
  order: Order;
  level: number;
  bonusPoints: number;
  widened: boolean;
  offers: Map<
    number,
    { status: 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn'; expiresAt: number }
  >;
  taken: boolean;
}

export function memoryBackend(
  world: World,
  ranker: Ranker,
  weights: DispatchWeights,
  topK: number,
  policies: Policies,
): Backend {
  const n = world.volunteers.length;
  const recent = new Array<number>(n).fill(0);
  const ratingSum = new Array<number>(n).fill(0);
  const ratingCount = new Array<number>(n).fill(0);
  const offersAccepted = new Array<number>(n).fill(0);
  const offersMissed = new Array<number>(n).fill(0);
  const tasksByDay = new Map<string, number>();
  const busy = new Set<string>();
  const served = new Set<string>(); // `${resident}:${volunteer}`, confirmed
  const live = new Map<number, LiveOrder>();
  const decisions: number[] = [];
  // Who passes the fixed part of the rule, per order and reach (own community / street).
  const fixed = new Map<string, Volunteer[]>();
  const tasksOn = (v: number, day: number) => tasksByDay.get(`${v}:${day}`) ?? 0;
  const free = (v: Volunteer, o: Order) =>
    !busy.has(`${v.index}:${o.day}:${o.slot}`) && tasksOn(v.index, o.day) < v.dailyCap;
  const liveOfferTo = (l: LiveOrder, at: number) =>
    [...l.offers].filter(([, f]) => f.status === 'pending' && f.expiresAt > at).map(([v]) => v);

  function facts(o: Order, v: Volunteer): DispatchCandidate {
    return {
      volunteerId: v.id,
      distanceM: Math.round(distance(v, o)),
      serviceRadiusM: v.radius,
      otherCommunity: v.community !== o.community,
      skills: v.skills,
      recentTasks: recent[v.index] ?? 0,
      tasksThatDay: tasksOn(v.index, o.day),
      ratingSum: ratingSum[v.index] ?? 0,
      ratingCount: ratingCount[v.index] ?? 0,
      offersAccepted: offersAccepted[v.index] ?? 0,
      offersMissed: offersMissed[v.index] ?? 0,
      releases: 0,
      paired: world.pairs.get(o.resident) === v.index,
      servedBefore: served.has(`${o.resident}:${v.index}`),
    };
  }

  function choose(l: LiveOrder): number[] {
    const started = performance.now();
    const o = l.order;
    const poolOf = (widened: boolean) => {
      const key = `${o.index}:${widened}`;
      let pool = fixed.get(key);
      if (!pool) {
        pool = world.volunteers.filter((v) => mayTake(v, o, widened) && wantsOffer(v, o));
        fixed.set(key, pool);
      }
      return pool;
    };
    let candidates = poolOf(l.widened).filter((v) => !l.offers.has(v.index) && free(v, o));
    // runTick's jump (shouldJump, public.escalate_scarce_order): few candidates left,
    // so the order goes to its last step — largest bonus, whole street — before offering.
    const scarce = policies.escalationScarceCandidates;
    if (
      ranker === 'ours' &&
      scarce > 0 &&
      l.level < policies.escalationMaxSteps &&
      candidates.length <= scarce
    ) {
      l.bonusPoints += (policies.escalationMaxSteps - l.level) * policies.escalationBonusPoints;
      l.level = policies.escalationMaxSteps;
      l.widened = true;
      candidates = poolOf(true).filter((v) => !l.offers.has(v.index) && free(v, o));
    }
    let chosen: number[];
    if (ranker === 'nearest') {
      chosen = candidates
        .map((v) => ({ v: v.index, d: distance(v, o) }))
        .sort((a, b) => a.d - b.d || a.v - b.v)
        .slice(0, topK)
        .map((c) => c.v);
    } else {
      chosen = rankCandidates(
        {
          orderId: String(o.index),
          windowStart: '',
          requiredSkills: [o.skill],
          candidates: candidates.map((v) => facts(o, v)),
        },
        weights,
      )
        .slice(0, topK)
        .map((r) => Number(r.volunteerId.slice(1)));
    }
    decisions.push(performance.now() - started);
    return chosen;
  }

  return {
    async open(orders) {
      for (const order of orders)
        live.set(order.index, {
          order,
          level: 0,
          bonusPoints: 0,
          widened: false,
          offers: new Map(),
          taken: false,
        });
    },
    async tick(at) {
      const made: Offer[] = [];
      for (const [index, l] of live) {
        if (l.taken || at >= l.order.end) {
          live.delete(index);
          continue;
        }
        for (const [v, f] of l.offers) {
          if (f.status === 'pending' && f.expiresAt <= at) {
            f.status = 'expired';
            offersMissed[v] = (offersMissed[v] ?? 0) + 1;
          }
        }
        if (
          ranker === 'ours' &&
          l.level < policies.escalationMaxSteps &&
          l.order.created + policies.escalationStepMinutes * (l.level + 1) <= at
        ) {
          l.level++;
          l.bonusPoints += policies.escalationBonusPoints;
          l.widened = l.widened || l.level >= policies.escalationWidenAtStep;
        }
      }
      // tick_dispatch lists orders by created time; make_offers for each without a live offer.
      const need = [...live.values()]
        .filter((l) => liveOfferTo(l, at).length === 0)
        .sort((a, b) => a.order.created - b.order.created);
      for (const l of need) {
        for (const v of choose(l)) {
          const expiresAt = at + policies.offerWindowMinutes;
          l.offers.set(v, { status: 'pending', expiresAt });
          made.push({ order: l.order.index, volunteer: v, bonusPoints: l.bonusPoints, expiresAt });
        }
      }
      return made;
    },
    async accept(volunteer, order, at) {
      const l = live.get(order);
      const o = world.orders[order] as Order;
      const v = world.volunteers[volunteer] as Volunteer;
      if (!l || l.taken) return 'order_taken';
      const others = liveOfferTo(l, at);
      if (others.length > 0 && !others.includes(volunteer)) return 'order_taken: offered elsewhere';
      if (!mayTake(v, o, l.widened)) return 'not_qualified';
      if (at >= o.end) return 'not_qualified: window passed';
      if (busy.has(`${volunteer}:${o.day}:${o.slot}`)) return 'schedule_conflict';
      if (tasksOn(volunteer, o.day) >= v.dailyCap) return 'not_qualified: daily cap';
      l.taken = true;
      busy.add(`${volunteer}:${o.day}:${o.slot}`);
      tasksByDay.set(`${volunteer}:${o.day}`, tasksOn(volunteer, o.day) + 1);
      recent[volunteer] = (recent[volunteer] ?? 0) + 1;
      for (const [w, f] of l.offers) {
        if (f.status !== 'pending') continue;
        f.status = w === volunteer ? 'accepted' : 'withdrawn';
        if (w === volunteer) offersAccepted[w] = (offersAccepted[w] ?? 0) + 1;
      }
      return null;
    },
    async decline(volunteer, order) {
      const f = live.get(order)?.offers.get(volunteer);
      if (f?.status === 'pending') {
        f.status = 'declined';
        offersMissed[volunteer] = (offersMissed[volunteer] ?? 0) + 1;
      }
    },
    async serve(done: Served[]) {
      for (const s of done) {
        ratingSum[s.volunteer] = (ratingSum[s.volunteer] ?? 0) + s.rating;
        ratingCount[s.volunteer] = (ratingCount[s.volunteer] ?? 0) + 1;
        served.add(`${(world.orders[s.order] as Order).resident}:${s.volunteer}`);
      }
    },
    decisionMs: () => decisions,
  };
}
