import type { Example } from './corpus';
import { charNgrams } from './features';
import { ROUTING_LABELS } from './labels';

/**
 * Naive Bayes log-probabilities of each n-gram per class (Laplace smoothing alpha),
 * centred per n-gram: what an n-gram says about the classes relative to each other,
 * for every n-gram seen once or more. Rare n-grams are where it beats the regression.
 */
export function naiveBayesWeights(
  examples: readonly Example[],
  maxN: number,
  alpha: number,
): Map<string, Float64Array> {
  const C = ROUTING_LABELS.length;
  const counts = new Map<string, Float64Array>();
  const totals = new Float64Array(C);
  for (const e of examples) {
    for (const gram of charNgrams(e.text, maxN)) {
      const row = counts.get(gram) ?? new Float64Array(C);
      row[e.label] = (row[e.label] as number) + 1;
      counts.set(gram, row);
      totals[e.label] = (totals[e.label] as number) + 1;
    }
  }
  const smoothing = alpha * counts.size;
  const weights = new Map<string, Float64Array>();
  for (const [gram, row] of counts) {
    const logs = row.map((n, c) => Math.log((n + alpha) / ((totals[c] as number) + smoothing)));
    const mean = logs.reduce((a, b) => a + b, 0) / C;
    weights.set(
      gram,
      logs.map((l) => l - mean),
    );
  }
  return weights;
}
