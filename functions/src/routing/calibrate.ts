import { softmax } from './score';

/** Mean negative log-likelihood of the true classes under softmax(logits / temperature). */
function logLoss(
  logits: readonly ArrayLike<number>[],
  labels: readonly number[],
  temperature: number,
): number {
  let loss = 0;
  logits.forEach((row, i) => {
    loss -= Math.log(Math.max(softmax(row, temperature)[labels[i] as number] ?? 0, 1e-12));
  });
  return loss / Math.max(logits.length, 1);
}

/**
 * The softmax temperature that makes held-out logits most likely (golden-section
 * search on log T between 0.05 and 20): the confidence then means about what it says.
 */
export function fitTemperature(logits: readonly ArrayLike<number>[], labels: readonly number[]): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [lo, hi] = [Math.log(0.05), Math.log(20)];
  for (let i = 0; i < 60; i++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (logLoss(logits, labels, Math.exp(a)) <= logLoss(logits, labels, Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}
