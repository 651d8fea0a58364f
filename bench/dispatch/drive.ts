// The week as the volunteers live it, whatever decides the offers: orders appear at
// their created time, the dispatcher ticks every 5 minutes, each offered volunteer
// answers with the world's model (yes, a said no, or silence until the offer runs
// out), and served orders are rated once their window ends. The dispatcher is a
// Backend: the in-memory policy (./memory) or the real SQL functions (./sql-run).
import { acceptance, answer, draw, type Order, ratingOf, STEP_MINUTES, type World } from './world';

export interface Offer {
  order: number;
  volunteer: number;
  bonusPoints: number;
  expiresAt: number;
}

export interface Served {
  order: number;
  volunteer: number;
  rating: number;
}

export interface Backend {
  /** New orders, placed at their created time. */
  open(orders: Order[], at: number): Promise<void>;
  /** The scheduled tick at `at`: expiry, escalation, new offers. */
  tick(at: number): Promise<Offer[]>;
  /** The volunteer accepts; null when done, else why it was refused. */
  accept(volunteer: number, order: number, at: number): Promise<string | null>;
  decline(volunteer: number, order: number, at: number): Promise<void>;
  /** Orders whose window ended: served and rated. */
  serve(served: Served[], at: number): Promise<void>;
  /** Time of each dispatch decision (candidates + ranking), ms. */
  decisionMs(): number[];
}

export interface Outcome {
  order: Order;
  volunteer: number | null;
  acceptedAt: number | null;
  /** The escalation bonus the accepted offer carried (what the order pays on top). */
  bonusPoints?: number;
}

export interface SimulationResult {
  outcomes: Outcome[];
  decisionMs: number[];
  /** Accepts the dispatcher refused, by reason. */
  refused: Map<string, number>;
  offers: number;
}

interface Pending extends Offer {
  respondAt: number;
  yes: boolean;
  declinesAloud: boolean;
  seq: number;
}

export async function drive(world: World, backend: Backend): Promise<SimulationResult> {
  const byCreation = [...world.orders].sort((a, b) => a.created - b.created);
  const lastEnd = Math.max(...world.orders.map((o) => o.end));
  const taken = new Map<number, { volunteer: number; at: number; bonusPoints: number }>();
  const busy = new Set<string>(); // `${volunteer}:${day}:${slot}`
  const tasksByDay = new Map<string, number>(); // `${volunteer}:${day}`
  const tasksOn = (v: number, day: number) => tasksByDay.get(`${v}:${day}`) ?? 0;
  const refused = new Map<string, number>();
  let pending: Pending[] = [];
  let seq = 0;
  let offers = 0;
  let next = 0;
  let toServe = [...world.orders].sort((a, b) => a.end - b.end);

  for (let now = 0; now <= lastEnd; now += STEP_MINUTES) {
    const fresh: Order[] = [];
    while (next < byCreation.length && (byCreation[next] as Order).created <= now) {
      fresh.push(byCreation[next] as Order);
      next++;
    }
    if (fresh.length) await backend.open(fresh, now);

    const due = pending
      .filter((p) => p.respondAt <= now)
      .sort((a, b) => a.respondAt - b.respondAt || a.seq - b.seq);
    pending = pending.filter((p) => p.respondAt > now);
    for (const p of due) {
      const o = world.orders[p.order] as Order;
      // Taken by another, or the offer ran out before they looked: nothing to answer.
      if (taken.has(p.order) || now >= p.expiresAt || now >= o.end) continue;
      // A volunteer who booked that slot, or is full that day, since the offer says no.
      const volunteer = world.volunteers[p.volunteer];
      const free =
        !busy.has(`${p.volunteer}:${o.day}:${o.slot}`) &&
        tasksOn(p.volunteer, o.day) < (volunteer?.dailyCap ?? 0);
      if (p.yes && free) {
        const refusal = await backend.accept(p.volunteer, p.order, now);
        if (refusal === null) {
          taken.set(p.order, { volunteer: p.volunteer, at: now, bonusPoints: p.bonusPoints });
          busy.add(`${p.volunteer}:${o.day}:${o.slot}`);
          tasksByDay.set(`${p.volunteer}:${o.day}`, tasksOn(p.volunteer, o.day) + 1);
        } else {
          refused.set(refusal, (refused.get(refusal) ?? 0) + 1);
        }
      } else if (p.declinesAloud || p.yes) {
        await backend.decline(p.volunteer, p.order, now);
      }
    }

    const ended: Served[] = [];
    while (toServe.length && (toServe[0] as Order).end <= now) {
      const o = toServe[0] as Order;
      toServe = toServe.slice(1);
      const t = taken.get(o.index);
      if (t)
        ended.push({ order: o.index, volunteer: t.volunteer, rating: ratingOf(world, t.volunteer, o.index) });
    }
    if (ended.length) await backend.serve(ended, now);

    for (const offer of await backend.tick(now)) {
      const o = world.orders[offer.order] as Order;
      const v = world.volunteers[offer.volunteer];
      if (!v) continue;
      const yes =
        draw(world.seed, offer.volunteer, offer.order) <
        acceptance(v, o, tasksOn(offer.volunteer, o.day), offer.bonusPoints);
      const a = answer(world.seed, offer.volunteer, offer.order);
      pending.push({
        ...offer,
        respondAt: now + a.afterMinutes,
        yes,
        declinesAloud: a.declinesAloud,
        seq: seq++,
      });
      offers++;
    }
  }
  return {
    outcomes: world.orders.map((order) => {
      const t = taken.get(order.index);
      return {
        order,
        volunteer: t?.volunteer ?? null,
        acceptedAt: t?.at ?? null,
        ...(t ? { bonusPoints: t.bonusPoints } : {}),
      };
    }),
    decisionMs: backend.decisionMs(),
    refused,
    offers,
  };
}
