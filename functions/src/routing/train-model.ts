import { fitTemperature } from './calibrate';
import type { Example } from './corpus';
import { stratifiedFolds } from './folds';
import { ROUTING_LABELS } from './labels';
import type { RoutingModel } from './model';
import { naiveBayesWeights } from './naive-bayes';
import { logits } from './score';
import { type SoftmaxOptions, trainSoftmax } from './train-softmax';

export interface RoutingOptions {
  maxN: number;
  /** Laplace smoothing of the naive Bayes part. */
  alpha: number;
  naiveBayesWeight: number;
  regressionWeight: number;
  softmax: Omit<SoftmaxOptions, 'maxN'>;
  /** Folds and seed of the out-of-fold predictions the temperature is fitted on. */
  calibrationFolds: number;
  seed: number;
}

/** Chosen by 5-fold cross-validation on train.jsonl (bench/routing.ts --compare). */
export const ROUTING_OPTIONS: RoutingOptions = {
  maxN: 2,
  alpha: 0.1,
  naiveBayesWeight: 2,
  regressionWeight: 0.5,
  softmax: { minDf: 2, l2: 1e-5, iterations: 300, learningRate: 0.1 },
  calibrationFolds: 5,
  seed: 20261101,
};

export const ROUTING_METHOD =
  'character 1-2-grams; naive Bayes log-probabilities plus softmax-regression weights in one linear layer; temperature fitted out of fold';

/** The uncalibrated model: naive Bayes and regression weights summed into one row per n-gram. */
function combine(examples: readonly Example[], options: RoutingOptions): RoutingModel {
  const regression = trainSoftmax(examples, { ...options.softmax, maxN: options.maxN });
  const weights = naiveBayesWeights(examples, options.maxN, options.alpha);
  for (const [gram, row] of weights) {
    const learnt = regression.weights.get(gram);
    weights.set(
      gram,
      row.map((w, c) => options.naiveBayesWeight * w + options.regressionWeight * (learnt?.[c] ?? 0)),
    );
  }
  return {
    classes: ROUTING_LABELS.map((l) => l.code),
    maxN: options.maxN,
    temperature: 1,
    bias: regression.bias.map((b) => options.regressionWeight * b),
    weights,
  };
}

/** Trains the routing model; calibrate: false skips the out-of-fold temperature fit (temperature 1). */
export function trainRoutingModel(
  examples: readonly Example[],
  options: RoutingOptions = ROUTING_OPTIONS,
  calibrate = true,
): RoutingModel {
  const model = combine(examples, options);
  if (!calibrate) return model;
  const folds = stratifiedFolds(examples, options.calibrationFolds, options.seed);
  const held: Float64Array[] = [];
  const labels: number[] = [];
  for (let k = 0; k < options.calibrationFolds; k++) {
    const fitted = combine(
      examples.filter((_, i) => folds[i] !== k),
      options,
    );
    examples.forEach((e, i) => {
      const scores = folds[i] === k ? logits(fitted, e.text) : null;
      if (!scores) return;
      held.push(scores);
      labels.push(e.label);
    });
  }
  return { ...model, temperature: fitTemperature(held, labels) };
}
