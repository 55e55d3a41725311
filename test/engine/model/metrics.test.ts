// The analyst's metrics and the reference optimum against sklearn and numpy
// (test/fixtures/metrics/make_metrics.py): the metrics of sklearn's own predictions on diabetes,
// breast cancer and wine, and the optimum of the lab's objectives on the same files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classificationMetrics, regressionMetrics, type ClassificationMetrics, type RegressionMetrics } from '../../../engine/model/metrics';
import { optimumOf } from '../../../engine/model/optimum';
import { loadDatasetText } from '../../../engine/data/load';
import { buildRun } from '../../../engine/run/build';
import { runSettings } from '../../../engine/spec/run';
import type { EngineDataProblem } from '../../../engine/spec/problem';

const DIR = 'test/fixtures/metrics';
const ref = JSON.parse(readFileSync(`${DIR}/reference.json`, 'utf8'));
/** Equal to 1e-9, relative to the value's size where it is over 1. */
const near = (actual: number, expected: number, tol = 1e-9) => expect(Math.abs(actual - expected), `${actual} against ${expected}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));

describe('metrics, as sklearn.metrics computes them for the same predictions', () => {
  it('regression on diabetes: mse, rmse, mae, R² and adjusted R²', () => {
    const r = ref.diabetes;
    const m = regressionMetrics(Float64Array.from(r.predicted), Float64Array.from(r.y), r.y.length, r.p);
    for (const k of ['mse', 'rmse', 'mae', 'r2', 'adjustedR2'] as (keyof RegressionMetrics)[]) near(m[k], r[k]);
  });

  for (const [name, label] of [['breastCancer', 'two classes (breast cancer)'], ['wine', 'three classes (wine, macro and one-vs-rest)']] as const) {
    it(`classification of ${label}: accuracy, precision, recall, F1, log loss, ROC AUC, confusion`, () => {
      const r = ref[name];
      const m = classificationMetrics(Float64Array.from(r.prob), Float64Array.from(r.y), r.y.length, r.classes);
      for (const k of ['accuracy', 'precision', 'recall', 'f1', 'logLoss', 'rocAuc'] as (keyof ClassificationMetrics)[]) near(m[k] as number, r[k]);
      expect(m.confusion).toEqual(r.confusion);
    });
  }

  it('count ties in ROC AUC as a half, and say NaN for a set of one class', () => {
    const y = Float64Array.from([0, 1, 0, 1]);
    expect(classificationMetrics(Float64Array.from([0.5, 0.5, 0.2, 0.9]), y, 4, 2).rocAuc).toBe(0.875);
    expect(classificationMetrics(Float64Array.from([0.5, 0.5]), Float64Array.from([1, 1]), 2, 2).rocAuc).toBeNaN();
  });
});

async function fitOf(file: string, problem: Partial<EngineDataProblem>, optimizer: { name: string; lr: number; momentum?: number } = { name: 'adam', lr: 0.1 }, epochs = 3000) {
  const dataset = await loadDatasetText(readFileSync(`${DIR}/${file}`, 'utf8'), file);
  const target = problem.target ?? 'target';
  const features = dataset.columns.map((c) => c.name).filter((c) => c !== target);
  const full: EngineDataProblem = {
    kind: 'data', datasetId: 'd', target, features, model: { kind: 'linear' }, loss: { name: 'mse' },
    reg: { l1: 0, l2: 0 }, valSplit: 0, standardize: true, missing: 'fail', splitSeed: 0, ...problem,
  };
  const built = buildRun(full, runSettings({ optimizer, epochs }), { formula: () => { throw new Error('no formula'); }, dataset: () => dataset });
  return built.fit!;
}

describe('the reference optimum', () => {
  it('of a linear fit with mse is numpy’s least squares, without and with L2', async () => {
    for (const l2 of ['0.0', '0.05']) {
      const fit = await fitOf('diabetes.csv', { reg: { l1: 0, l2: Number(l2) } });
      const o = optimumOf(fit.objective);
      if (!('loss' in o)) throw new Error(`no optimum: ${o.none}`);
      const r = ref.diabetesOptimum[l2];
      o.params.forEach((v, j) => near(v, r.params[j], 1e-8));
      near(o.loss, r.loss, 1e-12);
    }
  });

  it('of a cubic in one feature is numpy’s least squares on its powers', async () => {
    const r = ref.diabetesCubicOptimum;
    const fit = await fitOf('diabetes.csv', { features: [r.feature], model: { kind: 'poly', degree: 3 } });
    const o = optimumOf(fit.objective);
    if (!('loss' in o)) throw new Error(`no optimum: ${o.none}`);
    o.params.forEach((v, j) => near(v, r.params[j], 1e-8));
    near(o.loss, r.loss, 1e-12);
  });

  it('of a logistic fit with L2 is sklearn’s LogisticRegression (Newton’s method)', async () => {
    const r = ref.breastCancerOptimum;
    const fit = await fitOf('breast_cancer.csv', { model: { kind: 'logistic' }, loss: { name: 'bce' }, reg: { l1: 0, l2: r.l2 } });
    const o = optimumOf(fit.objective);
    if (!('loss' in o)) throw new Error(`no optimum: ${o.none}`);
    expect(o.method).toBe('newton');
    o.params.forEach((v, j) => near(v, r.params[j], 1e-8));
    near(o.loss, r.loss, 1e-12);
  });

  const iris = ref.irisSoftmax;
  const softmaxProblem: Partial<EngineDataProblem> = { target: 'species', model: { kind: 'softmax' }, loss: { name: 'cross_entropy' }, reg: { l1: 0, l2: iris.l2 } };

  it('of softmax regression with L2 is sklearn’s multinomial LogisticRegression (Newton’s method)', async () => {
    const fit = await fitOf('iris.csv', softmaxProblem);
    expect(fit.data.classes).toEqual(iris.classes);
    expect(fit.model.paramNames.slice(0, 2)).toEqual(['W[0,0]', 'W[0,1]']);
    const o = optimumOf(fit.objective);
    if (!('loss' in o)) throw new Error(`no optimum: ${o.none}`);
    const expected = [...iris.W, ...iris.b];
    o.params.forEach((v, j) => near(v, expected[j], 1e-8));
    near(o.loss, iris.loss, 1e-12);
  });

  it('softmax regression trained by gradient descent reaches sklearn’s coefficients', async () => {
    const fit = await fitOf('iris.csv', softmaxProblem, { name: 'sgd', lr: 0.5, momentum: 0.9 }, 4000);
    fit.advance(Infinity);
    const expected = [...iris.W, ...iris.b];
    Array.from(fit.run.p).forEach((v, j) => near(v, expected[j], 1e-6));
  });

  it('lies at or below what gradient descent reaches, and is the lab’s own loss at its parameters', async () => {
    const fit = await fitOf('diabetes.csv', {});
    fit.advance(3000);
    const o = optimumOf(fit.objective);
    if (!('loss' in o)) throw new Error('no optimum');
    expect(fit.run.current().value).toBeGreaterThanOrEqual(o.loss);
    expect(o.loss).toBe(fit.objective.trainLoss(Float64Array.from(o.params)));
  });

  it('says why a fit has none: a network, L1, a loss without a closed form, classes a plane separates', async () => {
    const none = async (problem: Partial<EngineDataProblem>, file = 'diabetes.csv') => {
      const o = optimumOf((await fitOf(file, problem)).objective);
      return 'none' in o ? o.none : 'found';
    };
    expect(await none({ model: { kind: 'mlp', hidden: [4], activation: 'tanh' } })).toBe('network');
    expect(await none({ reg: { l1: 0.1, l2: 0 } })).toBe('l1');
    expect(await none({ loss: { name: 'mae' } })).toBe('loss');
    expect(await none({ model: { kind: 'logistic' }, loss: { name: 'bce' } }, 'breast_cancer.csv')).toBe('separable');
    expect(await none({ ...softmaxProblem, reg: { l1: 0, l2: 0 } }, 'iris.csv')).toBe('l2');
  });
});
