import { charNgrams, textWeight } from './features';
import type { RoutingModel } from './model';

// One known n-gram is no evidence: a lone latin letter or digit ('aaaa', '1111') would
// otherwise be routed with full confidence by whatever class that letter came from.
const MIN_KNOWN_NGRAMS = 2;

/**
 * The model's logits for a text, or null when it knows fewer than two of its n-grams.
 * Unknown n-grams still count in textWeight: a message the model barely recognises
 * scores low instead of confidently.
 */
export function logits(model: RoutingModel, text: string): Float64Array | null {
  const grams = charNgrams(text, model.maxN);
  const scores = Float64Array.from(model.bias);
  const value = textWeight(grams.length);
  let known = 0;
  for (const gram of grams) {
    const row = model.weights.get(gram);
    if (!row) continue;
    known++;
    for (let c = 0; c < scores.length; c++) scores[c] = (scores[c] ?? 0) + value * (row[c] ?? 0);
  }
  return known < MIN_KNOWN_NGRAMS ? null : scores;
}

/** Softmax of logits at a temperature. */
export function softmax(scores: ArrayLike<number>, temperature = 1): number[] {
  const scaled = Array.from(scores, (s) => s / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
