/**
 * What an analyst reads after a fit, computed from the model's predictions for a set of rows:
 *
 *   regression      mse, rmse, mae, r2 and adjustedR2 (1 − (1 − R²)(n − 1)/(n − p − 1), p the
 *                   model's coefficients other than the intercept);
 *   classification  accuracy, precision, recall and f1 (of class 1 for two classes, the unweighted
 *                   mean over classes for more: sklearn's "binary" and "macro"), logLoss (the mean
 *                   cross-entropy of the predicted probabilities, without any penalty), rocAuc (two
 *                   classes: the probability that a row of class 1 scores above one of class 0, ties
 *                   counting a half; more: the mean of each class against the rest) and the
 *                   confusion matrix, confusion[actual][predicted].
 *
 * The definitions are sklearn.metrics'; test/fixtures/metrics holds its values for real datasets.
 */
import { log } from '../math/libm';

export interface RegressionMetrics {
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
  adjustedR2: number;
}

export interface ClassificationMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  logLoss: number;
  rocAuc: number;
  confusion: number[][];
}

export type Metrics = RegressionMetrics | ClassificationMetrics;

/** The metrics with one number per set of rows, for regression and classification: what a curve over epochs can follow. */
export const REGRESSION_CURVES = ['mse', 'rmse', 'mae', 'r2', 'adjustedR2'] as const;
export const CLASSIFICATION_CURVES = ['accuracy', 'precision', 'recall', 'f1', 'logLoss', 'rocAuc'] as const;
export const CURVE_METRICS = [...REGRESSION_CURVES, ...CLASSIFICATION_CURVES] as const;
export type CurveMetric = (typeof CURVE_METRICS)[number];

/** Regression metrics of predictions ŷ against y over `count` rows, for a model of `p` coefficients besides the intercept. */
export function regressionMetrics(predicted: Float64Array, y: Float64Array, count: number, p: number): RegressionMetrics {
  let mean = 0;
  for (let i = 0; i < count; i++) mean += y[i];
  mean /= count;
  let ssRes = 0;
  let ssTot = 0;
  let abs = 0;
  for (let i = 0; i < count; i++) {
    const r = predicted[i] - y[i];
    ssRes += r * r;
    abs += Math.abs(r);
    ssTot += (y[i] - mean) * (y[i] - mean);
  }
  const mse = ssRes / count;
  // sklearn's r2_score: 1 when both sums are 0, 0 when only the total is (a constant target fitted imperfectly).
  const r2 = ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
  const dof = count - p - 1;
  return { mse, rmse: Math.sqrt(mse), mae: abs / count, r2, adjustedR2: dof > 0 ? 1 - ((1 - r2) * (count - 1)) / dof : NaN };
}

/**
 * Classification metrics over `count` rows of classes y (0 … K−1) from predicted probabilities:
 * for two classes `prob[i]` is row i's probability of class 1; for K > 2, `prob[i·K + c]` that of class c.
 */
export function classificationMetrics(prob: Float64Array, y: Float64Array, count: number, K: number): ClassificationMetrics {
  const binary = K === 2;
  const probOf = (i: number, c: number) => (binary ? (c === 1 ? prob[i] : 1 - prob[i]) : prob[i * K + c]);
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let loss = 0;
  for (let i = 0; i < count; i++) {
    let best = 0;
    if (binary) best = prob[i] >= 0.5 ? 1 : 0;
    else for (let c = 1; c < K; c++) if (prob[i * K + c] > prob[i * K + best]) best = c;
    confusion[y[i]][best]++;
    loss -= log(Math.min(1 - EPS, Math.max(EPS, probOf(i, y[i]))));
  }
  let correct = 0;
  for (let c = 0; c < K; c++) correct += confusion[c][c];
  const perClass = (c: number) => {
    let predicted = 0;
    let actual = 0;
    for (let k = 0; k < K; k++) {
      predicted += confusion[k][c];
      actual += confusion[c][k];
    }
    const tp = confusion[c][c];
    // sklearn's zero_division="warn": a ratio of 0/0 counts as 0.
    const precision = predicted ? tp / predicted : 0;
    const recall = actual ? tp / actual : 0;
    return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
  };
  const classes = binary ? [1] : Array.from({ length: K }, (_, c) => c);
  const each = classes.map(perClass);
  const mean = (f: (m: (typeof each)[number]) => number) => each.reduce((s, m) => s + f(m), 0) / each.length;
  const scores = new Float64Array(count);
  const auc = classes.map((c) => {
    for (let i = 0; i < count; i++) scores[i] = probOf(i, c);
    return rankAuc(scores, y, c, count);
  });
  return {
    accuracy: correct / count,
    precision: mean((m) => m.precision),
    recall: mean((m) => m.recall),
    f1: mean((m) => m.f1),
    logLoss: loss / count,
    rocAuc: auc.reduce((s, a) => s + a, 0) / auc.length,
    confusion,
  };
}

/** sklearn's log_loss bounds probabilities to [ε, 1 − ε], ε the double's machine epsilon. */
const EPS = 2 ** -52;

/** The area under the ROC curve of `scores` for class `positive` against the rest (Mann–Whitney, ties a half); NaN when one side is empty. */
function rankAuc(scores: Float64Array, y: Float64Array, positive: number, count: number): number {
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let positives = 0;
  for (let start = 0; start < count; ) {
    let end = start + 1;
    while (end < count && scores[order[end]] === scores[order[start]]) end++;
    // Ranks start + 1 … end share their mean.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (y[order[k]] === positive) {
        rankSum += rank;
        positives++;
      }
    }
    start = end;
  }
  const negatives = count - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
