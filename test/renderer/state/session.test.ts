// The document and the session file are one shape: any document saved and opened again is the same
// document, field for field (a property over random documents), and its results come back as saved.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CURVE_METRICS, parseSession, serializeSession, type DataProblem, type RunSpec } from '../../../engine';
import { DEFAULT_EXPERIMENTS, CHART_IDS } from '../../../engine/spec/view';
import { fromSession, toSession } from '../../../renderer/src/state/session';
import { DEFAULT_DATA, type DataDoc, type DatasetRef, type LabDoc } from '../../../renderer/src/state/shape';

// Finite numbers without −0 (JSON writes it as 0).
const num = (min = -1e6, max = 1e6) => fc.double({ noNaN: true, noDefaultInfinity: true, min, max }).map((v) => v + 0);
const text = (max: number) => fc.string({ maxLength: max });
const name = fc.string({ minLength: 1, maxLength: 12 });
const range = fc.tuple(num(), num());

const datasetRef: fc.Arbitrary<DatasetRef> = fc.oneof(
  fc.record({ kind: fc.constant('file' as const), name, path: fc.option(text(30), { nil: null }), sha256: fc.stringMatching(/^[0-9a-f]{64}$/), size: fc.nat(1000) }),
  fc.record({ kind: fc.constant('generated' as const), spec: fc.record({ kind: fc.constant('circle' as const), n: fc.integer({ min: 1, max: 1000 }), noise: num(0, 10), seed: fc.integer() }) }),
);

const model = fc.oneof(
  fc.constant({ kind: 'linear' as const }),
  fc.constant({ kind: 'logistic' as const }),
  fc.record({ kind: fc.constant('poly' as const), degree: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('mlp' as const), hidden: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 3 }), activation: fc.constantFrom('relu' as const, 'tanh' as const) }),
  fc.record({ kind: fc.constant('custom' as const), expr: text(40) }),
);

const data: fc.Arbitrary<DataDoc> = fc.oneof(
  fc.constant(DEFAULT_DATA),
  fc.record({
    dataset: datasetRef, target: name, features: fc.array(name, { maxLength: 4 }), model,
    loss: fc.record({ name: fc.constantFrom('mse' as const, 'mae' as const, 'bce' as const, 'cross_entropy' as const) }),
    reg: fc.record({ l1: num(0, 10), l2: num(0, 10) }), valSplit: num(0, 0.9), splitSeed: fc.integer(), standardize: fc.boolean(), missing: fc.constantFrom('fail' as const, 'drop' as const),
  }).map((d) => (d.model.kind === 'custom' ? { ...d, features: [] } : d)),
);

const run = (id: string): fc.Arbitrary<RunSpec> => fc.record({
  id: fc.constant(id), name: text(20), color: fc.option(fc.constantFrom('#2563eb', '#dc2626'), { nil: null }),
  optimizer: fc.oneof(fc.record({ name: fc.constant('sgd'), lr: num(0, 1), momentum: num(0, 0.99) }), fc.record({ name: fc.constant('adam'), lr: num(0, 1), betas: fc.tuple(num(0, 0.99), num(0, 0.999)) })),
  schedule: fc.option(fc.record({ type: fc.constant('step' as const), step_size: fc.integer({ min: 1, max: 100 }), gamma: num(0.01, 1) }), { nil: null }),
  warmup: fc.option(fc.record({ warmup_steps: fc.integer({ min: 1, max: 100 }), start_factor: num(0.01, 1) }), { nil: null }),
  clipNorm: fc.option(num(0.01, 10), { nil: null }),
  start: fc.array(num(), { maxLength: 3 }),
  stop: fc.record({ maxSteps: fc.integer({ min: 0, max: 10_000 }), gradTol: num(0, 1) }, { requiredKeys: [] }),
  batchSize: fc.oneof(fc.constant('full' as const), fc.integer({ min: 1, max: 64 })),
  epochs: fc.integer({ min: 1, max: 1000 }),
  shuffle: fc.boolean(),
  seed: fc.integer(),
  changes: fc.array(fc.record({ step: fc.nat(1000), changes: fc.record({ lr: num(0, 1) }) }), { maxLength: 2 }),
});

const scale = fc.record({ logX: fc.boolean(), logY: fc.constantFrom(true, false, 'auto' as const), smoothing: num(0, 0.99), pinned: fc.option(fc.record({ x: range, y: range }), { nil: null }) });

// Experiment results as the engine gives them (numbers JSON cannot hold written as strings).
const jsonNumber = fc.oneof(num(), fc.constantFrom('NaN' as const, 'Infinity' as const, '-Infinity' as const));
const timing = fc.record({ seconds: num(0, 100), engines: fc.integer({ min: 1, max: 16 }) });
const sweepResult = fc.record({
  lrs: fc.array(num(1e-6, 1), { maxLength: 4 }),
  series: fc.array(fc.record({
    optimizer: name,
    settings: fc.record({ name: fc.constant('sgd'), lr: num(0, 1), momentum: num(0, 0.99) }),
    finalValue: fc.array(jsonNumber, { maxLength: 4 }),
    stepsToTolerance: fc.array(fc.option(fc.nat(1000), { nil: null }), { maxLength: 4 }),
    status: fc.array(text(10), { maxLength: 4 }),
  }), { maxLength: 3 }),
  tolerance: num(),
  timing,
});
const mapResult = fc.record({
  nx: fc.integer({ min: 2, max: 6 }), ny: fc.integer({ min: 2, max: 6 }),
  labels: fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b).toString('base64')),
  minima: fc.array(fc.tuple(num(), num()), { maxLength: 4 }),
  counts: fc.record({ diverged: fc.nat(100), unsettled: fc.nat(100) }),
  frame: fc.record({ x: range, y: range, vars: fc.tuple(name, name) }),
  optimizer: fc.record({ name: fc.constant('adam'), lr: num(0, 1) }),
  steps: fc.integer({ min: 1, max: 100_000 }),
  timing,
});
const gapResult = fc.record({
  runId: fc.constant('run1'), run: text(20), steps: fc.array(fc.nat(1000), { maxLength: 4 }),
  batchNorm: fc.array(jsonNumber, { maxLength: 4 }), fullNorm: fc.array(jsonNumber, { maxLength: 4 }), noiseNorm: fc.array(jsonNumber, { maxLength: 4 }), angle: fc.array(jsonNumber, { maxLength: 4 }),
});

const doc: fc.Arbitrary<LabDoc> = fc.record({
  data,
  mode: fc.constantFrom('function' as const, 'data' as const),
  expr: text(60),
  runs: fc.integer({ min: 0, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => run(`run${i + 1}`)))),
  view: fc.record({
    xRange: range, yRange: range, axes: fc.tuple(fc.nat(3), fc.nat(3)), rangeFor: fc.option(text(20), { nil: null }), point: text(20), evaluated: fc.boolean(),
    functionView: fc.constantFrom('contour' as const, 'surface' as const), camera: fc.option(fc.record({ position: fc.tuple(num(), num(), num()), target: fc.tuple(num(), num(), num()) }), { nil: null }),
    logHeight: fc.boolean(), charts: fc.dictionary(fc.constantFrom(...CHART_IDS), scale, { maxKeys: 3 }), surfaceAxes: fc.tuple(fc.nat(3), fc.nat(3)),
    replayStep: fc.option(fc.nat(1e6), { nil: null }), selectedRun: fc.option(fc.constantFrom('run1', 'run2'), { nil: null }), speed: num(0, 1e6),
    metric: fc.constantFrom(...CURVE_METRICS),
    panels: fc.record({ sweep: fc.boolean(), map: fc.boolean(), gap: fc.boolean() }),
  }, { requiredKeys: ['xRange', 'yRange', 'axes', 'rangeFor', 'point', 'evaluated', 'functionView', 'camera', 'logHeight', 'charts', 'surfaceAxes', 'replayStep', 'selectedRun', 'speed', 'panels'] }),
  experiments: fc.record({
    sweep: fc.record({ lrMin: num(1e-6, 1), lrMax: num(1e-6, 1), count: fc.integer({ min: 1, max: 256 }), tolerance: num(), result: fc.option(sweepResult, { nil: null }) }),
    map: fc.record({ resolution: fc.integer({ min: 2, max: 500 }), steps: fc.integer({ min: 1, max: 100_000 }), result: fc.option(mapResult, { nil: null }) }),
    gap: fc.oneof(fc.constant(DEFAULT_EXPERIMENTS.gap), fc.record({ result: gapResult })),
  }),
  notes: text(200),
}).map((d) => (d.data.dataset ? d : { ...d, mode: 'function' as const }));

/** A dataset as a session stores it: a file's bytes embedded (here stand-ins: the hash is not checked on open), a sample's spec. */
const source = (ref: DatasetRef): DataProblem['dataset'] =>
  ref.kind === 'generated' ? { kind: 'generated', spec: ref.spec } : { kind: 'embedded', name: ref.name, path: ref.path, sha256: ref.sha256, size: ref.size, data: 'AAAA' };

describe('the document as a session', () => {
  it('opens any saved document as the same document, field for field', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const text = serializeSession(toSession(d, source, () => null));
        expect(fromSession(parseSession(text)).doc).toEqual(d);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the other mode’s problem: a formula beside a data problem, and the data problem beside a formula', () => {
    const d: LabDoc = fc.sample(doc.filter((x) => x.data.dataset !== null), { numRuns: 1, seed: 7 })[0];
    for (const mode of ['function', 'data'] as const) {
      const session = parseSession(serializeSession(toSession({ ...d, mode }, source, () => null)));
      expect(session.problem.kind).toBe(mode);
      expect(session.other?.kind).toBe(mode === 'function' ? 'data' : 'function');
    }
  });
});
