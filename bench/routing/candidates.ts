// The methods `npm run bench:routing -- --compare` measures against each other by
// cross-validation. Only routingModel ships (functions/src/routing); the others stay
// here so that the choice can be checked again when the corpus grows.
import type { Example } from '../../functions/src/routing/corpus';
import { charNgrams } from '../../functions/src/routing/features';
import { ROUTING_LABELS } from '../../functions/src/routing/labels';
import { logits, softmax } from '../../functions/src/routing/score';
import {
  ROUTING_OPTIONS,
  type RoutingOptions,
  trainRoutingModel,
} from '../../functions/src/routing/train-model';
import { trainSoftmax } from '../../functions/src/routing/train-softmax';

/** Trains on examples and returns a predictor of class probabilities (or scores) for a text. */
export type Trainer = (examples: readonly Example[]) => (text: string) => number[];

const C = ROUTING_LABELS.length;
const uniform = () => new Array<number>(C).fill(1 / C);

/** Multinomial (complement: false) or complement naive Bayes over distinct n-grams, Laplace smoothing alpha. */
export function naiveBayes(maxN: number, alpha: number, complement: boolean): Trainer {
  return (examples) => {
    const counts = Array.from({ length: C }, () => new Map<string, number>());
    const totals = new Array<number>(C).fill(0);
    const docs = new Array<number>(C).fill(0);
    const vocab = new Set<string>();
    for (const e of examples) {
      docs[e.label] = (docs[e.label] ?? 0) + 1;
      for (const g of charNgrams(e.text, maxN)) {
        vocab.add(g);
        const map = counts[e.label] as Map<string, number>;
        map.set(g, (map.get(g) ?? 0) + 1);
        totals[e.label] = (totals[e.label] ?? 0) + 1;
      }
    }
    const all = totals.reduce((a, b) => a + b, 0);
    const V = vocab.size;
    const weight = (g: string, c: number) => {
      if (!complement) return Math.log(((counts[c]?.get(g) ?? 0) + alpha) / ((totals[c] ?? 0) + alpha * V));
      let other = 0;
      for (let k = 0; k < C; k++) if (k !== c) other += counts[k]?.get(g) ?? 0;
      return -Math.log((other + alpha) / (all - (totals[c] ?? 0) + alpha * V));
    };
    const prior = docs.map((d) => Math.log((d + 1) / (examples.length + C)));
    return (text) => {
      const grams = charNgrams(text, maxN).filter((g) => vocab.has(g));
      if (grams.length === 0) return uniform();
      const scores = prior.map((p, c) => (complement ? 0 : p) + grams.reduce((s, g) => s + weight(g, c), 0));
      return softmax(scores, complement ? 1 : grams.length / 4);
    };
  };
}

/** One-vs-rest linear SVM (squared hinge, full-batch gradient descent) over the softmax's features. */
export function linearSvm(maxN: number, l2: number, iterations: number): Trainer {
  return (examples) => {
    const grams = examples.map((e) => charNgrams(e.text, maxN));
    const index = new Map<string, number>();
    for (const list of grams) for (const g of list) if (!index.has(g)) index.set(g, index.size);
    const W = Array.from({ length: C }, () => new Float64Array(index.size + 1));
    const rows = grams.map((list) => ({
      f: list.map((g) => index.get(g) as number),
      v: 1 / Math.sqrt(list.length || 1),
    }));
    for (let c = 0; c < C; c++) {
      const w = W[c] as Float64Array;
      for (let step = 1; step <= iterations; step++) {
        const grad = new Float64Array(w.length);
        rows.forEach((row, i) => {
          const y = examples[i]?.label === c ? 1 : -1;
          let s = w[index.size] as number;
          for (const f of row.f) s += (w[f] as number) * row.v;
          const margin = 1 - y * s;
          if (margin <= 0) return;
          for (const f of row.f) grad[f] = (grad[f] as number) - 2 * margin * y * row.v;
          grad[index.size] = (grad[index.size] as number) - 2 * margin * y;
        });
        const lr = 0.5 / Math.sqrt(step);
        for (let k = 0; k < w.length; k++) {
          w[k] =
            (w[k] as number) -
            lr * ((grad[k] as number) / rows.length + (k < index.size ? l2 * (w[k] as number) : 0));
        }
      }
    }
    return (text) => {
      const list = charNgrams(text, maxN);
      const v = 1 / Math.sqrt(list.length || 1);
      return W.map((w) =>
        list.reduce(
          (s, g) => s + (index.has(g) ? (w[index.get(g) as number] as number) * v : 0),
          w[index.size] as number,
        ),
      );
    };
  };
}

/** Softmax regression alone over character n-grams (the shipped model's second half). */
export function softmaxRegression(maxN: number, l2: number): Trainer {
  return (examples) => {
    const model = trainSoftmax(examples, { ...ROUTING_OPTIONS.softmax, maxN, l2 });
    return (text) => {
      const scores = logits(model, text);
      return scores ? softmax(scores) : uniform();
    };
  };
}

/** The shipped method (functions/src/routing/train-model.ts) with its options changed. */
export function routingModel(options: Partial<RoutingOptions> = {}): Trainer {
  return (examples) => {
    const model = trainRoutingModel(examples, { ...ROUTING_OPTIONS, ...options }, false);
    return (text) => {
      const scores = logits(model, text);
      return scores ? softmax(scores) : uniform();
    };
  };
}
