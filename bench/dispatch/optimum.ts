// The offline optimum in hindsight: knowing every volunteer's answer in advance
// (with the largest bonus), the most orders that could have been served at all,
// within daily caps and one task per slot. A max flow (Dinic) over
// order → (volunteer, day, slot) → (volunteer, day) → sink.
//
// That line prices every "yes" as if the volunteer had no task yet that day, while
// the model's acceptance falls 35% per task already taken. fairOptimum is a second,
// tighter upper bound that respects it (see there); both are printed.
import {
  acceptance,
  DEFAULT_POLICIES,
  draw,
  maxBonus,
  type Order,
  type Policies,
  qualifies,
  SLOT_HOURS,
  type Volunteer,
  type World,
} from './world';

class Flow {
  private readonly head: number[];
  private readonly to: number[] = [];
  private readonly cap: number[] = [];
  private readonly next: number[] = [];
  private level: number[] = [];
  private iter: number[] = [];

  constructor(private readonly size: number) {
    this.head = new Array(size).fill(-1);
  }

  edge(u: number, v: number, c: number): void {
    for (const [a, b, k] of [
      [u, v, c],
      [v, u, 0],
    ] as const) {
      this.to.push(b);
      this.cap.push(k);
      this.next.push(this.head[a] as number);
      this.head[a] = this.to.length - 1;
    }
  }

  private bfs(s: number, t: number): boolean {
    this.level = new Array(this.size).fill(-1);
    this.level[s] = 0;
    const queue = [s];
    for (let q = 0; q < queue.length; q++) {
      const u = queue[q] as number;
      for (let e = this.head[u] as number; e !== -1; e = this.next[e] as number) {
        const v = this.to[e] as number;
        if ((this.cap[e] as number) > 0 && this.level[v] === -1) {
          this.level[v] = (this.level[u] as number) + 1;
          queue.push(v);
        }
      }
    }
    return this.level[t] !== -1;
  }

  private dfs(u: number, t: number, f: number): number {
    if (u === t) return f;
    for (; (this.iter[u] as number) !== -1; this.iter[u] = this.next[this.iter[u] as number] as number) {
      const e = this.iter[u] as number;
      const v = this.to[e] as number;
      if ((this.cap[e] as number) > 0 && this.level[v] === (this.level[u] as number) + 1) {
        const pushed = this.dfs(v, t, Math.min(f, this.cap[e] as number));
        if (pushed > 0) {
          this.cap[e] = (this.cap[e] as number) - pushed;
          this.cap[e ^ 1] = (this.cap[e ^ 1] as number) + pushed;
          return pushed;
        }
      }
    }
    return 0;
  }

  max(s: number, t: number): number {
    let total = 0;
    while (this.bfs(s, t)) {
      this.iter = [...this.head];
      for (let f = this.dfs(s, t, 1); f > 0; f = this.dfs(s, t, 1)) total += f;
    }
    return total;
  }
}

export function offlineOptimum(
  world: World,
  policies: Policies = DEFAULT_POLICIES,
  relaxSlots = false,
): number {
  const ids = new Map<string, number>();
  const id = (key: string) => {
    let n = ids.get(key);
    if (n === undefined) {
      n = ids.size + 2;
      ids.set(key, n);
    }
    return n;
  };
  const edges: [number, number, number][] = [];
  for (const o of world.orders) {
    const orderNode = id(`o${o.index}`);
    edges.push([0, orderNode, 1]);
    for (const v of world.volunteers) {
      if (!qualifies(v, o, true)) continue;
      if (draw(world.seed, v.index, o.index) >= acceptance(v, o, 0, maxBonus(policies))) continue;
      edges.push([orderNode, id(`s${v.index}:${o.day}:${o.slot}`), 1]);
    }
  }
  for (const v of world.volunteers) {
    for (let day = 0; day < 7; day++) {
      for (let s = 0; s < SLOT_HOURS.length; s++) {
        const slot = ids.get(`s${v.index}:${day}:${s}`);
        if (slot !== undefined)
          edges.push([slot, id(`d${v.index}:${day}`), relaxSlots ? Number.MAX_SAFE_INTEGER : 1]);
      }
    }
  }
  for (const v of world.volunteers) {
    for (let day = 0; day < 7; day++) {
      const dayNode = ids.get(`d${v.index}:${day}`);
      if (dayNode !== undefined) edges.push([dayNode, 1, v.dailyCap]);
    }
  }
  const flow = new Flow(ids.size + 2);
  for (const [u, v, c] of edges) flow.edge(u, v, c);
  return flow.max(0, 1);
}

/**
 * The most tasks volunteer v could already hold that day and still say yes to o
 * (with the largest bonus): -1 when never, else 0 … dailyCap − 1.
 */
function deepestYes(world: World, v: Volunteer, o: Order, bonus: number): number {
  const d = draw(world.seed, v.index, o.index);
  let k = -1;
  for (let t = 0; t < v.dailyCap; t++) {
    if (d < acceptance(v, o, t, bonus)) k = t;
    else break; // acceptance falls with every task taken
  }
  return k;
}

/**
 * A fairer upper bound, still knowing every answer in advance, still street-wide at
 * the largest bonus from the start, but counting a yes only where the model gives
 * it: an order a volunteer would take only as their first task that day (deepestYes
 * 0) can't be their second. For one volunteer and day, a set of orders can be
 * accepted in some sequence iff for every t at most t + 1 of them have deepestYes ≤ t
 * (Hall's condition on positions 0 … cap − 1): a chain per (volunteer, day),
 * order → (volunteer, day, slot, level) → chain[level] → … → chain[cap − 1] → sink,
 * chain[t] → chain[t + 1] with capacity t + 1.
 *
 * One task per slot and the position rule together are not a flow (two matroids on
 * the same (volunteer, day)), so this flow keeps one task per slot only within a
 * level; the minimum with offlineOptimum (exact slots, positions ignored) is the
 * bound. Both are relaxations of the same hindsight problem, so the minimum is too.
 */
export function fairOptimum(
  world: World,
  policies: Policies = DEFAULT_POLICIES,
): { bound: number; positionsOnly: number } {
  const bonus = maxBonus(policies);
  const ids = new Map<string, number>();
  const id = (key: string) => {
    let n = ids.get(key);
    if (n === undefined) {
      n = ids.size + 2;
      ids.set(key, n);
    }
    return n;
  };
  const edges: [number, number, number][] = [];
  const used = new Set<string>(); // `${volunteer}:${day}`
  for (const o of world.orders) {
    const orderNode = id(`o${o.index}`);
    edges.push([0, orderNode, 1]);
    for (const v of world.volunteers) {
      if (!qualifies(v, o, true)) continue;
      const k = deepestYes(world, v, o, bonus);
      if (k < 0) continue;
      const slotKey = `s${v.index}:${o.day}:${o.slot}:${k}`;
      if (!ids.has(slotKey)) edges.push([id(slotKey), id(`c${v.index}:${o.day}:${k}`), 1]);
      edges.push([orderNode, id(slotKey), 1]);
      used.add(`${v.index}:${o.day}`);
    }
  }
  for (const key of used) {
    const [vi, day] = key.split(':').map(Number) as [number, number];
    const cap = (world.volunteers[vi] as Volunteer).dailyCap;
    for (let t = 0; t < cap; t++) {
      const node = id(`c${vi}:${day}:${t}`);
      edges.push(t < cap - 1 ? [node, id(`c${vi}:${day}:${t + 1}`), t + 1] : [node, 1, cap]);
    }
  }
  const flow = new Flow(ids.size + 2);
  for (const [u, v, c] of edges) flow.edge(u, v, c);
  const positionsOnly = flow.max(0, 1);
  return { bound: Math.min(positionsOnly, offlineOptimum(world, policies)), positionsOnly };
}
