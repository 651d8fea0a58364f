// `npm run bench:routing`: how well the routing model puts needs in the right class.
// Usage: npm run bench:routing -- [--data FILE] [--compare] [--seed 20261101]
//   --data FILE  the shipped model (model.json) on JSONL lines with `text` and `label`
//   (none)       5-fold stratified cross-validation on corpus/train.jsonl, retraining per fold
//   --compare    first, the candidate methods side by side (cross-validated, three seeds)
// The last line is always `routing: top-1 <x>% on <n> requests, p95 <ms> ms`.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../functions/src/db/paths';
import { classifyNeed } from '../functions/src/routing/classify';
import { type Example, readCorpus } from '../functions/src/routing/corpus';
import { stratifiedFolds } from '../functions/src/routing/folds';
import { labelIndex } from '../functions/src/routing/labels';
import type { RoutingModel } from '../functions/src/routing/model';
import { ROUTING_OPTIONS, trainRoutingModel } from '../functions/src/routing/train-model';
import { compareCandidates } from './routing/compare';
import { type Outcome, report } from './routing/report';

const { values } = parseArgs({
  options: { data: { type: 'string' }, compare: { type: 'boolean' }, seed: { type: 'string' } },
});
const seed = Number(values.seed ?? ROUTING_OPTIONS.seed);
const K = 5;

function answer(example: Example, model?: RoutingModel): Outcome {
  const started = performance.now();
  const suggestion = classifyNeed(example.text, model);
  const ms = performance.now() - started;
  return {
    label: example.label,
    predicted: labelIndex(suggestion.label),
    runnerUp: labelIndex(suggestion.runnerUp.label),
    confidence: suggestion.confidence,
    ms,
  };
}

function crossValidate(examples: readonly Example[]): Outcome[] {
  const folds = stratifiedFolds(examples, K, seed);
  const outcomes: Outcome[] = [];
  for (let k = 0; k < K; k++) {
    const model = trainRoutingModel(examples.filter((_, i) => folds[i] !== k));
    examples.forEach((e, i) => {
      if (folds[i] === k) outcomes.push(answer(e, model));
    });
  }
  return outcomes;
}

const train = readCorpus(join(REPO_ROOT, 'functions/src/routing/corpus/train.jsonl'));
if (values.compare) console.log(`${compareCandidates(train, K, [seed, 7, 42])}\n`);
if (values.data) {
  const examples = readCorpus(values.data);
  console.log(`${values.data}: the shipped model (model.json) on ${examples.length} requests`);
  console.log(report(examples.map((e) => answer(e))));
} else {
  console.log(`corpus/train.jsonl: ${K}-fold stratified cross-validation (seed ${seed}), retrained per fold`);
  console.log(report(crossValidate(train)));
}
