import type { Example } from './corpus';

/** A small seeded generator (mulberry32): the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fold (0..k-1) of each example: each class is shuffled with the seed and dealt round the folds. */
export function stratifiedFolds(examples: readonly Example[], k: number, seed: number): number[] {
  const random = seededRandom(seed);
  const folds = new Array<number>(examples.length).fill(0);
  const classes = [...new Set(examples.map((e) => e.label))].sort((a, b) => a - b);
  let next = 0;
  for (const label of classes) {
    const members = examples.flatMap((e, i) => (e.label === label ? [i] : []));
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j] as number, members[i] as number];
    }
    // Carry the dealing on across classes so small classes don't all start at fold 0.
    for (const index of members) folds[index] = next++ % k;
  }
  return folds;
}
