import { TRADITIONAL_TO_SIMPLIFIED } from './hanzi-variants';

/** Longest normalised text the classifier reads: needs are at most 500 characters. */
export const MAX_NORMALISED_CHARS = 1000;

// Punctuation, symbols (emoji included), marks, controls and separators: residents
// dictate without punctuation as often as they type with it, so none of it may matter.
const NOISE = /[\p{P}\p{S}\p{M}\p{C}\p{Z}\s]+/gu;

/**
 * The text as the classifier reads it: full-width forms folded (NFKC), latin lower
 * case, digit runs as one '0', common traditional characters simplified, and no
 * spaces, punctuation or emoji.
 */
export function normalizeNeedText(text: string): string {
  let out = '';
  for (const ch of text
    .slice(0, MAX_NORMALISED_CHARS * 2)
    .normalize('NFKC')
    .toLowerCase()
    .replace(NOISE, '')) {
    out += TRADITIONAL_TO_SIMPLIFIED.get(ch) ?? ch;
  }
  return out.replace(/[0-9]+/g, '0').slice(0, MAX_NORMALISED_CHARS);
}
