import { readFileSync } from 'node:fs';
import { labelIndex } from './labels';

/** One labelled need: its text and the index of its class in ROUTING_LABELS. */
export interface Example {
  text: string;
  label: number;
}

/** Reads JSONL lines with at least `text` and `label` (a Chinese class name); other fields are ignored. */
export function readCorpus(path: string): Example[] {
  const examples: Example[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const row = JSON.parse(line) as { text?: unknown; label?: unknown };
    const label = typeof row.label === 'string' ? labelIndex(row.label) : -1;
    if (typeof row.text !== 'string' || label < 0) {
      throw new Error(`${path}:${i + 1}: needs a string text and one of the nine labels, got ${line}`);
    }
    examples.push({ text: row.text, label });
  });
  return examples;
}
