import type { Example } from '../../functions/src/routing/corpus';
import { stratifiedFolds } from '../../functions/src/routing/folds';
import { linearSvm, naiveBayes, routingModel, softmaxRegression, type Trainer } from './candidates';

/** The candidates measured when choosing the method; the shipped one is last. */
const CANDIDATES: [string, Trainer][] = [
  ['multinomial naive Bayes, char 1-2-grams', naiveBayes(2, 0.1, false)],
  ['multinomial naive Bayes, char 1-3-grams', naiveBayes(3, 0.1, false)],
  ['complement naive Bayes, char 1-2-grams', naiveBayes(2, 0.3, true)],
  ['linear SVM (one-vs-rest), char 1-3-grams', linearSvm(3, 1e-4, 200)],
  ['softmax regression, char 1-2-grams', softmaxRegression(2, 1e-5)],
  ['softmax regression, char 1-3-grams', softmaxRegression(3, 1e-5)],
  ['naive Bayes + regression, char 1-3-grams', routingModel({ maxN: 3 })],
  ['naive Bayes + regression, char 1-2-grams (shipped)', routingModel()],
];

const argmax = (values: number[]) => values.indexOf(Math.max(...values));

/** Cross-validated top-1 of every candidate for each seed, and the mean. */
export function compareCandidates(examples: readonly Example[], k: number, seeds: number[]): string {
  const lines = [
    `candidates, ${k}-fold cross-validated top-1 on ${examples.length} requests, seeds ${seeds.join(' ')}:`,
  ];
  for (const [name, trainer] of CANDIDATES) {
    const scores = seeds.map((seed) => {
      const folds = stratifiedFolds(examples, k, seed);
      let right = 0;
      for (let fold = 0; fold < k; fold++) {
        const predict = trainer(examples.filter((_, i) => folds[i] !== fold));
        examples.forEach((e, i) => {
          if (folds[i] === fold && argmax(predict(e.text)) === e.label) right++;
        });
      }
      return (100 * right) / examples.length;
    });
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    lines.push(
      `  ${name.padEnd(52)} ${scores.map((s) => s.toFixed(1)).join('  ')}   mean ${mean.toFixed(1)}%`,
    );
  }
  return lines.join('\n');
}
