// Data mode's rules: what a new dataset, target or model brings with it, each change returned for the
// lab to say. Summaries are the engine's own, of real files and generated sets.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDatasetBytes } from '../../../engine/data/load';
import { generateDataset } from '../../../engine/data/generators';
import { datasetSummary } from '../../../engine/host/summary';
import { GENERATOR_DEFAULTS } from '../../../engine/data/generators';
import { applyDataEdit, invalidData } from '../../../renderer/src/state/rules';
import { DEFAULT_DATA, type DatasetRef } from '../../../renderer/src/state/shape';

// Modules here are transformed as the page's are: files are found from the project's folder.
const fixture = (name: string) => new Uint8Array(readFileSync(join(process.cwd(), 'test/fixtures/datasets', name)));
const iris = datasetSummary(await loadDatasetBytes(fixture('iris.csv'), 'iris.csv'));
const irisRef: DatasetRef = { kind: 'file', name: 'iris.csv', path: null, sha256: '0'.repeat(64), size: 1 };
const spiral = datasetSummary(generateDataset(GENERATOR_DEFAULTS.spiral));

const loaded = () => applyDataEdit(DEFAULT_DATA, iris, { kind: 'dataset', dataset: irisRef, summary: iris }).data;

describe('the data rules', () => {
  it('take a first dataset’s last usable column as the target and the others as features, saying nothing', () => {
    const r = applyDataEdit(DEFAULT_DATA, iris, { kind: 'dataset', dataset: irisRef, summary: iris });
    expect(r.data.target).toBe('petal_width');
    expect(r.data.features).toEqual(['sepal_length', 'sepal_width', 'petal_length']);
    expect(r.changes).toEqual([]);
  });

  it('bring the old target back as a feature when the target changes, and say so (iris, network, species)', () => {
    const network = applyDataEdit(loaded(), iris, { kind: 'model', model: 'mlp' }).data;
    const r = applyDataEdit(network, iris, { kind: 'target', name: 'species' });
    expect(r.data.features).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(r.changes).toContainEqual({ id: 'featureBack', name: 'petal_width' });
    // three species named by text: the network fits them with cross-entropy, and says it
    expect(r.data.loss).toEqual({ name: 'cross_entropy' });
    expect(r.changes).toContainEqual({ id: 'networkLoss', target: 'species', loss: 'cross_entropy' });
  });

  it('keep a network’s loss rule in one place: bce for 0/1, cross-entropy for up to 10 whole-number classes, else mse', () => {
    const ref: DatasetRef = { kind: 'generated', spec: GENERATOR_DEFAULTS.spiral };
    const r = applyDataEdit(DEFAULT_DATA, spiral, { kind: 'dataset', dataset: ref, summary: spiral });
    expect(r.data.target).toBe('label');
    const net = applyDataEdit(r.data, spiral, { kind: 'model', model: 'mlp' }).data;
    expect(net.loss.name).toBe('cross_entropy');
    const circle = datasetSummary(generateDataset(GENERATOR_DEFAULTS.circle));
    const c = applyDataEdit(DEFAULT_DATA, circle, { kind: 'dataset', dataset: { kind: 'generated', spec: GENERATOR_DEFAULTS.circle }, summary: circle }).data;
    // a 0/1 target makes the linear model logistic
    expect(c.model).toEqual({ kind: 'logistic' });
    expect(applyDataEdit(c, circle, { kind: 'model', model: 'mlp' }).data.loss.name).toBe('bce');
    const regression = applyDataEdit(loaded(), iris, { kind: 'model', model: 'mlp' }).data;
    expect(regression.loss.name).toBe('mse');
  });

  it('give text classes to a network only: another model takes a numeric target, and says which', () => {
    const network = applyDataEdit(applyDataEdit(loaded(), iris, { kind: 'model', model: 'mlp' }).data, iris, { kind: 'target', name: 'species' }).data;
    const r = applyDataEdit(network, iris, { kind: 'model', model: 'linear' });
    expect(r.data.target).toBe('petal_width');
    expect(r.data.features).not.toContain('petal_width');
    expect(r.data.loss.name).toBe('mse');
    expect(r.changes).toContainEqual({ id: 'target', from: 'species', to: 'petal_width' });
  });

  it('give a polynomial one feature and a formula none, unstandardized, and say both', () => {
    const poly = applyDataEdit(loaded(), iris, { kind: 'model', model: 'poly' });
    expect(poly.data.features).toEqual(['sepal_length']);
    expect(poly.changes).toContainEqual({ id: 'polyFeature', feature: 'sepal_length' });
    expect(invalidData(poly.data, iris)).toBeNull();
    const custom = applyDataEdit(loaded(), iris, { kind: 'model', model: 'custom' });
    expect(custom.data.features).toEqual([]);
    expect(custom.data.standardize).toBe(false);
    expect(custom.changes).toContainEqual({ id: 'standardize', on: false });
    const back = applyDataEdit(custom.data, iris, { kind: 'model', model: 'linear' });
    expect(back.data.standardize).toBe(true);
    expect(back.data.features).toEqual(['sepal_length', 'sepal_width', 'petal_length']);
  });

  it('keep features in the file’s column order, never the target', () => {
    const r = applyDataEdit(loaded(), iris, { kind: 'features', features: ['petal_length', 'petal_width', 'sepal_length'] });
    expect(r.data.features).toEqual(['sepal_length', 'petal_length']);
  });

  it('keep a new dataset’s settings where its columns allow, and say what changed', () => {
    const houses = datasetSummary(generateDataset(GENERATOR_DEFAULTS.line));
    const r = applyDataEdit(loaded(), houses, { kind: 'dataset', dataset: { kind: 'generated', spec: GENERATOR_DEFAULTS.line }, summary: houses });
    expect(r.data.target).toBe('y');
    expect(r.data.features).toEqual(['x']);
    expect(r.changes).toEqual([{ id: 'target', from: 'petal_width', to: 'y' }, { id: 'features', features: ['x'] }]);
  });

  it('give softmax regression cross-entropy and text classes as a target, and a regression target back to a linear model', () => {
    const softmax = applyDataEdit(loaded(), iris, { kind: 'model', model: 'softmax' }).data;
    expect(softmax.loss).toEqual({ name: 'cross_entropy' });
    // petal_width is not classes: the problem says so until the target is species.
    expect(invalidData(softmax, iris)?.id).toBe('notClasses');
    const species = applyDataEdit(softmax, iris, { kind: 'target', name: 'species' });
    expect(species.data.model).toEqual({ kind: 'softmax' });
    expect(species.data.loss).toEqual({ name: 'cross_entropy' });
    expect(invalidData(species.data, iris)).toBeNull();
    const back = applyDataEdit(species.data, iris, { kind: 'target', name: 'sepal_length' });
    expect(back.data.model).toEqual({ kind: 'linear' });
    expect(back.changes).toContainEqual({ id: 'toLinear', target: 'sepal_length' });
    expect(invalidData({ ...species.data, loss: { name: 'mse' } }, iris)?.id).toBe('softmaxCrossEntropy');
  });

  it('say why a problem cannot be fitted as set', () => {
    expect(invalidData({ ...loaded(), features: [] }, iris)).toEqual({ id: 'noFeature', values: {} });
    expect(invalidData({ ...loaded(), loss: { name: 'cross_entropy' } }, iris)?.id).toBe('crossEntropyNetwork');
  });
});
