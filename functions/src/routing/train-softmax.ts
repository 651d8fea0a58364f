import type { Example } from './corpus';
import { charNgrams, textWeight } from './features';
import { ROUTING_LABELS } from './labels';
import type { RoutingModel } from './model';

export interface SoftmaxOptions {
  maxN: number;
  /** An n-gram enters the vocabulary once this many training texts contain it. */
  minDf: number;
  /** L2 penalty on the weights (not the bias). */
  l2: number;
  iterations: number;
  learningRate: number;
}

interface Doc {
  features: Int32Array;
  value: number;
  label: number;
}

/** The vocabulary (sorted, so indices never depend on corpus order) and each text as feature indices. */
function vectorise(examples: readonly Example[], maxN: number, minDf: number) {
  const grams = examples.map((e) => charNgrams(e.text, maxN));
  const df = new Map<string, number>();
  for (const list of grams) for (const g of list) df.set(g, (df.get(g) ?? 0) + 1);
  const vocab = [...df.entries()]
    .filter(([, n]) => n >= minDf)
    .map(([g]) => g)
    .sort();
  const index = new Map(vocab.map((g, i) => [g, i]));
  const docs: Doc[] = examples.map((e, i) => {
    const list = grams[i] ?? [];
    const features = Int32Array.from(list.flatMap((g) => (index.has(g) ? [index.get(g) as number] : [])));
    return { features, value: textWeight(list.length), label: e.label };
  });
  return { vocab, docs };
}

/**
 * Multinomial logistic regression over character n-grams (each weighing textWeight),
 * full-batch Adam from zero weights: no randomness at all, so the same corpus gives
 * the same model.
 */
export function trainSoftmax(examples: readonly Example[], options: SoftmaxOptions): RoutingModel {
  const C = ROUTING_LABELS.length;
  const { vocab, docs } = vectorise(examples, options.maxN, options.minDf);
  const size = vocab.length * C + C; // weights, then the bias
  const params = new Float64Array(size);
  const grad = new Float64Array(size);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const scores = new Float64Array(C);
  const biasAt = vocab.length * C;
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  for (let step = 1; step <= options.iterations; step++) {
    grad.fill(0);
    for (const doc of docs) {
      for (let c = 0; c < C; c++) scores[c] = params[biasAt + c] as number;
      for (const f of doc.features) {
        for (let c = 0; c < C; c++)
          scores[c] = (scores[c] as number) + doc.value * (params[f * C + c] as number);
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < C; c++) max = Math.max(max, scores[c] as number);
      let sum = 0;
      for (let c = 0; c < C; c++) {
        scores[c] = Math.exp((scores[c] as number) - max);
        sum += scores[c] as number;
      }
      for (let c = 0; c < C; c++) {
        const g = (scores[c] as number) / sum - (c === doc.label ? 1 : 0);
        grad[biasAt + c] = (grad[biasAt + c] as number) + g;
        for (const f of doc.features) grad[f * C + c] = (grad[f * C + c] as number) + doc.value * g;
      }
    }
    const lr = options.learningRate;
    const correction1 = 1 - beta1 ** step;
    const correction2 = 1 - beta2 ** step;
    for (let i = 0; i < size; i++) {
      const penalty = i < biasAt ? options.l2 * (params[i] as number) : 0;
      const g = (grad[i] as number) / docs.length + penalty;
      m[i] = beta1 * (m[i] as number) + (1 - beta1) * g;
      v[i] = beta2 * (v[i] as number) + (1 - beta2) * g * g;
      params[i] =
        (params[i] as number) -
        (lr * ((m[i] as number) / correction1)) / (Math.sqrt((v[i] as number) / correction2) + eps);
    }
  }
  const weights = new Map<string, Float64Array>();
  for (const [f, g] of vocab.entries()) weights.set(g, params.slice(f * C, f * C + C));
  return {
    classes: ROUTING_LABELS.map((l) => l.code),
    maxN: options.maxN,
    temperature: 1,
    bias: params.slice(biasAt, biasAt + C),
    weights,
  };
}
