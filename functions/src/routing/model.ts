import type { RoutingCode } from './labels';

/**
 * The routing model as model.json stores it: one line per n-gram, "gram w1 … w9" with
 * the weights as integers (divide by scale). Lines, not a map: the file stays readable
 * in a diff, the formatter leaves it as written, and its type is just string[].
 */
export interface RoutingModelFile {
  format: 1;
  method: string;
  /** Class codes in the order of every weight row. */
  classes: RoutingCode[];
  maxN: number;
  /** Softmax temperature, fitted on out-of-fold predictions of the training corpus. */
  temperature: number;
  scale: number;
  bias: number[];
  rows: string[];
}

/** A model ready to score: n-gram → weight row. */
export interface RoutingModel {
  classes: RoutingCode[];
  maxN: number;
  temperature: number;
  bias: Float64Array;
  weights: Map<string, Float64Array>;
}

/** Builds the scoring form of a stored model. */
export function loadModel(file: RoutingModelFile): RoutingModel {
  const weights = new Map<string, Float64Array>();
  for (const row of file.rows) {
    const [gram = '', ...values] = row.split(' ');
    weights.set(
      gram,
      Float64Array.from(values, (w) => Number(w) / file.scale),
    );
  }
  return {
    classes: file.classes,
    maxN: file.maxN,
    temperature: file.temperature,
    bias: Float64Array.from(file.bias, (b) => b / file.scale),
    weights,
  };
}

/** The stored form: weights rounded, n-grams sorted, rows of zeros dropped, so retraining is byte-identical. */
export function saveModel(model: RoutingModel, method: string, scale = 100): RoutingModelFile {
  const rows: string[] = [];
  for (const gram of [...model.weights.keys()].sort()) {
    const row = Array.from(model.weights.get(gram) ?? [], (w) => Math.round(w * scale) || 0);
    if (row.some((w) => w !== 0)) rows.push(`${gram} ${row.join(' ')}`);
  }
  return {
    format: 1,
    method,
    classes: model.classes,
    maxN: model.maxN,
    temperature: Math.round(model.temperature * 1000) / 1000,
    scale,
    bias: Array.from(model.bias, (b) => Math.round(b * scale) || 0),
    rows,
  };
}

/** model.json's text: two-space JSON, an array on one line when it fits in 110 columns, as the formatter writes it. */
export function modelJson(file: RoutingModelFile): string {
  const lines = Object.entries(file).map(([key, value]) => {
    const head = `  ${JSON.stringify(key)}: `;
    if (!Array.isArray(value)) return head + JSON.stringify(value);
    const inline = head + JSON.stringify(value).replaceAll(',', ', ');
    if (inline.length <= 110 && key !== 'rows') return inline;
    return `${head}[\n${value.map((v) => `    ${JSON.stringify(v)}`).join(',\n')}\n  ]`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}
