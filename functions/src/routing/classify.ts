import { ROUTING_LABELS, type RoutingCode, type RoutingLabel } from './labels';
import { loadModel, type RoutingModel, type RoutingModelFile } from './model';
import modelFile from './model.json' with { type: 'json' };
import { logits, softmax } from './score';

export { ROUTING_LABELS, type RoutingCode, type RoutingLabel } from './labels';

export interface RoutingSuggestion {
  label: RoutingLabel;
  code: RoutingCode;
  /** The model's probability for the label (temperature fitted on held-out predictions), at most 0.99. */
  confidence: number;
  runnerUp: { label: RoutingLabel; code: RoutingCode; confidence: number };
}

const MODEL = loadModel(modelFile as RoutingModelFile);
const OTHER = ROUTING_LABELS.findIndex((l) => l.code === 'other');

/** Class indices with their probabilities, best first; a text with no known n-gram is 其他 at 1/9, all equal. */
function ranked(model: RoutingModel, text: string): { index: number; p: number }[] {
  const scores = logits(model, text);
  if (!scores) {
    const others = ROUTING_LABELS.map((_, index) => index).filter((i) => i !== OTHER);
    return [OTHER, ...others].map((index) => ({ index, p: 1 / ROUTING_LABELS.length }));
  }
  return softmax(scores, model.temperature)
    .map((p, index) => ({ index, p }))
    .sort((a, b) => b.p - a.p || a.index - b.index);
}

// Two decimals is all a reviewer reads, and no suggestion is ever certain.
const shown = (p: number) => Math.min(0.99, Math.round(p * 100) / 100);

/** Suggests where a resident's free-text need should go (one of the nine classes), with its runner-up. */
export function classifyNeed(text: string, model: RoutingModel = MODEL): RoutingSuggestion {
  const [best, second] = ranked(model, text);
  const top = ROUTING_LABELS[best?.index ?? OTHER] ?? ROUTING_LABELS[8];
  const next = ROUTING_LABELS[second?.index ?? OTHER] ?? ROUTING_LABELS[8];
  return {
    label: top.name,
    code: top.code,
    confidence: shown(best?.p ?? 0),
    runnerUp: { label: next.name, code: next.code, confidence: shown(second?.p ?? 0) },
  };
}
