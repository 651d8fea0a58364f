import { normalizeNeedText } from './normalize';

/**
 * The distinct character n-grams (1 to maxN) of a need's normalised text, in order of
 * first appearance. Characters, not words: no segmenter, and a typo or a homophone
 * (手饥, 为信) spoils only the n-grams it is in.
 */
export function charNgrams(text: string, maxN: number): string[] {
  const chars = [...normalizeNeedText(text)];
  const seen = new Set<string>();
  for (let n = 1; n <= maxN; n++) {
    for (let i = 0; i + n <= chars.length; i++) seen.add(chars.slice(i, i + n).join(''));
  }
  return [...seen];
}

/**
 * What each n-gram of a text weighs: 1/(number of its distinct n-grams), so a long
 * message is an average of its parts and doesn't outvote a short one.
 */
export function textWeight(ngramCount: number): number {
  return 1 / (ngramCount || 1);
}
