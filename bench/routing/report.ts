import { ROUTING_LABELS } from '../../functions/src/routing/labels';

/** One answered request: true class, predicted class and runner-up, confidence, time in ms. */
export interface Outcome {
  label: number;
  predicted: number;
  runnerUp: number;
  confidence: number;
  ms: number;
}

const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u2e80-\uffff]/u.test(ch) ? 2 : 1), 0);
const pad = (s: string, w: number) => ' '.repeat(Math.max(0, w - width(s))) + s;
const padEnd = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

/** The p-th percentile (0–100) of values, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** Expected calibration error over ten confidence bins: how far confidence is from accuracy, on average. */
export function calibrationError(outcomes: readonly Outcome[]): number {
  let error = 0;
  for (let bin = 0; bin < 10; bin++) {
    const inBin = outcomes.filter((o) => Math.min(9, Math.floor(o.confidence * 10)) === bin);
    if (inBin.length === 0) continue;
    const accuracy = inBin.filter((o) => o.predicted === o.label).length / inBin.length;
    const confidence = inBin.reduce((s, o) => s + o.confidence, 0) / inBin.length;
    error += (inBin.length / outcomes.length) * Math.abs(accuracy - confidence);
  }
  return error;
}

/** The confusion table (rows true class, columns predicted), per-class recall, then summary lines; the last is the contract line. */
export function report(outcomes: readonly Outcome[]): string {
  const names = ROUTING_LABELS.map((l) => l.name);
  const short = names.map((n) => n.slice(0, 2));
  const lines = [
    `${padEnd('true \\ predicted', 18)}${short.map((s) => pad(s, 6)).join('')}${pad('recall', 9)}`,
  ];
  names.forEach((name, t) => {
    const row = names.map((_, p) => outcomes.filter((o) => o.label === t && o.predicted === p).length);
    const total = row.reduce((a, b) => a + b, 0);
    const recall = total ? `${((100 * (row[t] ?? 0)) / total).toFixed(1)}%` : '-';
    lines.push(`${padEnd(name, 18)}${row.map((n) => pad(String(n), 6)).join('')}${pad(recall, 9)}`);
  });
  const n = outcomes.length;
  const top1 = n ? (100 * outcomes.filter((o) => o.predicted === o.label).length) / n : 0;
  const top2 = n
    ? (100 * outcomes.filter((o) => o.predicted === o.label || o.runnerUp === o.label).length) / n
    : 0;
  const meanConfidence = n ? (100 * outcomes.reduce((s, o) => s + o.confidence, 0)) / n : 0;
  lines.push(
    `top-2 (suggestion or runner-up) ${top2.toFixed(1)}%; mean confidence ${meanConfidence.toFixed(1)}%, ` +
      `calibration error ${(100 * calibrationError(outcomes)).toFixed(1)} points`,
  );
  const p95 = percentile(
    outcomes.map((o) => o.ms),
    95,
  );
  lines.push(`routing: top-1 ${top1.toFixed(1)}% on ${n} requests, p95 ${p95.toFixed(2)} ms`);
  return lines.join('\n');
}
