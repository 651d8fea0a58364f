// The offline optimum in hindsight: knowing every volunteer's answer in advance
// (with the largest bonus), the most orders that could have been served at all,
// within daily caps and one task per slot. A max flow (Dinic) over
// order → (volunteer, day, slot) → (volunteer, day) → sink.
import {
  acceptance,
  DEFAULT_POLICIES,
  draw,
  maxBonus,
  type Policies,
  qualifies,
  SLOT_HOURS,
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

export function offlineOptimum(world: World, policies: Policies = DEFAULT_POLICIES): number {
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
        if (slot !== undefined) edges.push([slot, id(`d${v.index}:${day}`), 1]);
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
