// `npm run train:routing`: trains the routing model on corpus/train.jsonl and writes
// model.json. Deterministic (no randomness in training, a fixed seed for the folds the
// temperature is fitted on, sorted output): running it twice gives the same file.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCorpus } from './corpus';
import { modelJson, saveModel } from './model';
import { ROUTING_METHOD, trainRoutingModel } from './train-model';

const here = dirname(fileURLToPath(import.meta.url));
const examples = readCorpus(join(here, 'corpus', 'train.jsonl'));
const started = performance.now();
const file = saveModel(trainRoutingModel(examples), ROUTING_METHOD);
const text = modelJson(file);
writeFileSync(join(here, 'model.json'), text);
console.log(
  `routing model: ${examples.length} examples, ${file.rows.length} n-grams, temperature ${file.temperature}, ` +
    `${(Buffer.byteLength(text) / 1024).toFixed(0)} KB, ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
