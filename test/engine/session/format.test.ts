// The .gdlab format: round trips, the version fixtures, and every refusal with its message.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSession, serializeSession, SessionError } from '../../../engine/session/open';
import { SESSION_VERSION, HISTORY_ROW_LIMIT, type Session } from '../../../engine/spec/session';
import { decodeFloat64, decodeHistory, encodeFloat64, encodeHistory, thinRows } from '../../../engine/session/codec';
import { embeddedSource } from '../../../engine/session/runs';
import { APP_VERSION } from '../../../engine/session/create';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/sessions/${name}`, import.meta.url)));
const v1Function = () => JSON.parse(fixture('v1-function.gdlab').toString('utf8')) as Session;
const refusal = (input: Uint8Array | string) => {
  try {
    parseSession(input, 'exp.gdlab');
  } catch (error) {
    expect(error).toBeInstanceOf(SessionError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
};
const text = (doc: unknown) => JSON.stringify(doc);

/**
 * A session using every field: a data problem with an embedded dataset and the function kept beside
 * it, two runs (one with a result and changes), the whole view, every experiment with a result, notes.
 */
function fullSession(): Session {
  const rows = new Float64Array([0, 2.5, 1.25, 0.1, 0, 0, 1, 1.5, NaN, 0.1, 0.5, -Infinity]);
  return {
    format: 'gdlab-session',
    version: 2,
    savedAt: '2026-11-25T10:00:00.000Z',
    app: 'Gradient Descent Lab 0.1.0',
    notes: 'Mini-batch vs full batch — the noise SGD trades for speed. ∇f, unicode ✓',
    problem: {
      kind: 'data',
      dataset: embeddedSource('line.csv', new TextEncoder().encode('x,y\n0,1\n1,3\n'), '/home/me/line.csv'),
      target: 'y',
      features: ['x'],
      model: { kind: 'custom', expr: 'a*exp(b*x) + c', params: ['a', 'b', 'c'], init: { a: 1, b: 0.1 } },
      loss: { name: 'huber', delta: 0.5 },
      reg: { l1: 0.001, l2: 0.01 },
      valSplit: 0.2,
      standardize: true,
      missing: 'drop',
      splitSeed: 4,
    },
    other: { kind: 'function', expr: 'x^4 - 3*x^2 + y^2' },
    runs: [
      {
        id: 'run1', name: 'Adam “fast”', color: '#2563eb', optimizer: { name: 'adam', lr: 0.05, betas: [0.8, 0.99], eps: 1e-8, weight_decay: 0, amsgrad: true, maximize: false },
        schedule: { type: 'cosine', T_max: 100, eta_min: 0.001 }, warmup: { warmup_steps: 5, start_factor: 0.25 }, clipNorm: 1, start: [1, 0.1, 1],
        stop: { gradTol: 1e-8, fTol: 0, divergenceBound: 1e12 }, batchSize: 1, epochs: 3, shuffle: true, seed: 9,
        changes: [{ step: 1, changes: { lr: 0.01, betas: [0.9, 0.999] } }],
        result: { status: 'paused', message: '', step: 1, history: encodeHistory(rows, 6), epochs: [{ epoch: 0, step: 0, loss: 2.5, valLoss: 'NaN', metric: 0.5, valMetric: 'NaN', params: [1, 0.1, 1] }] },
      },
      { id: 'run2', name: 'SGD', color: '#dc2626', optimizer: { name: 'sgd', lr: 0.1 }, schedule: null, warmup: null, clipNorm: null, start: [], stop: {}, batchSize: 'full', epochs: 10, shuffle: false, seed: 0, changes: [], result: null },
    ],
    view: {
      xRange: [-3, 3], yRange: [0, 5], axes: [0, 1], rangeFor: 'x^4 - 3*x^2 + y^2', point: '1, -2', evaluated: true,
      functionView: 'surface', camera: { position: [2.6, -3.2, 2.6], target: [0, 0, 0.33] }, logHeight: true,
      charts: { gradNorm: { logX: true, logY: 'auto', smoothing: 0.6, pinned: { x: [0, 100], y: [1e-8, 10] } }, lr: { logX: false, logY: false, smoothing: 0, pinned: null } },
      surfaceAxes: [0, 2], replayStep: 1, selectedRun: 'run2', speed: 120, panels: { sweep: true, map: false, gap: true },
    },
    experiments: {
      sweep: {
        lrMin: 1e-3, lrMax: 0.5, count: 2, tolerance: 1e-4,
        result: { lrs: [1e-3, 0.5], series: [{ optimizer: 'adam', settings: { name: 'adam', lr: 0.05, betas: [0.8, 0.99] }, finalValue: [0.25, 'Infinity'], stepsToTolerance: [40, null], status: ['converged', 'diverged'] }], tolerance: 1e-4, timing: { seconds: 0.25, engines: 2 } },
      },
      map: {
        resolution: 2, steps: 50,
        result: { nx: 2, ny: 2, labels: 'AAABAP//AAA=', minima: [[1, 1]], counts: { diverged: 1, unsettled: 0 }, frame: { x: [-2, 2], y: [-1, 3], vars: ['x', 'y'] }, optimizer: { name: 'sgd', lr: 0.001 }, steps: 50, timing: { seconds: 0.01, engines: 1 } },
      },
      gap: { result: { runId: 'run1', run: 'Adam “fast”', steps: [0, 1], batchNorm: [2, 1], fullNorm: [1.5, 0.9], noiseNorm: [0.5, 0.1], angle: ['NaN', 12.5] } },
    },
  };
}

describe('session round trip', () => {
  it('keeps every field of a session through save and open', () => {
    const session = fullSession();
    expect(parseSession(serializeSession(session))).toEqual(session);
  });

  it('keeps history rows bit for bit, NaN and infinities included', () => {
    const rows = new Float64Array([0, -0, NaN, Infinity, -Infinity, 5e-324, 1.7976931348623157e308, 0.1 + 0.2]);
    const back = decodeFloat64(encodeFloat64(rows));
    for (let i = 0; i < rows.length; i++) expect(Object.is(back[i], rows[i])).toBe(true);
    const session = fullSession();
    const history = parseSession(serializeSession(session)).runs[0].result!.history;
    const decoded = decodeHistory(history);
    expect(Number.isNaN(decoded[8])).toBe(true);
    expect(decoded[11]).toBe(-Infinity);
  });

  it(`thins a history longer than ${HISTORY_ROW_LIMIT} rows to at most that many, keeping the first and last`, () => {
    const width = 5;
    const count = 3 * HISTORY_ROW_LIMIT + 7;
    const rows = new Float64Array(count * width);
    for (let i = 0; i < count; i++) rows[i * width] = i;
    const thin = thinRows(rows, width);
    expect(thin.length / width).toBeLessThanOrEqual(HISTORY_ROW_LIMIT);
    expect(thin.length / width).toBeGreaterThan(HISTORY_ROW_LIMIT / 2);
    expect(thin[0]).toBe(0);
    expect(thin[thin.length - width]).toBe(count - 1);
    const history = encodeHistory(rows, width);
    expect(history.rows).toBe(thin.length / width);
  });

  it('writes only what it would open: a session that breaks the schema is not serialized', () => {
    const bad = { ...fullSession(), notes: 'x'.repeat(100_001) };
    expect(() => serializeSession(bad)).toThrow();
  });

  it('writes the app version of package.json', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8'));
    expect(APP_VERSION).toBe(pkg.version);
  });
});

describe('every format version opens', () => {
  it(`is at version ${SESSION_VERSION}: fixtures of version 1 and of version 2`, () => {
    expect(SESSION_VERSION).toBe(2);
    expect(parseSession(fixture('v2-function.gdlab')).version).toBe(2);
  });

  it('opens the version 1 function session, with its notes, schedule and history', () => {
    const s = parseSession(fixture('v1-function.gdlab'), 'v1-function.gdlab');
    expect(s.problem).toEqual({ kind: 'function', expr: 'x^2 + 10*y^2' });
    expect(s.notes).toMatch(/step schedule/);
    expect(s.runs[0].schedule).toEqual({ type: 'step', step_size: 20, gamma: 0.5 });
    expect(s.runs[0].result!.history.rows).toBe(61);
  });

  it('migrates a version 1 view: its ranges, replay step, selection and speed kept, the rest the defaults', () => {
    const old = v1Function();
    const s = parseSession(text({ ...old, view: { ...old.view, logScale: false, replayStep: 7, speed: 100 } }));
    expect(s.version).toBe(2);
    expect(s.other).toBeNull();
    expect(s.view).toMatchObject({ xRange: old.view.xRange, yRange: old.view.yRange, replayStep: 7, speed: 100, functionView: 'contour', camera: null, evaluated: false });
    expect(s.view.charts.value?.logY).toBe(false);
    expect(s.experiments.sweep.result).toBeNull();
  });

  it('opens the version 2 session with its view and experiments', () => {
    const s = parseSession(fixture('v2-function.gdlab'), 'v2-function.gdlab');
    expect(s.view.functionView).toBe('surface');
    expect(s.view.camera).not.toBeNull();
    expect(s.view.charts.gradNorm?.logX).toBe(true);
    expect(s.experiments.sweep.result?.series.length).toBeGreaterThan(0);
    expect(s.experiments.map.result?.nx).toBe(40);
  });

  it('opens the version 1 data session, with its embedded dataset and epochs', () => {
    const s = parseSession(fixture('v1-data.gdlab'), 'v1-data.gdlab');
    if (s.problem.kind !== 'data' || s.problem.dataset.kind !== 'embedded') throw new Error('expected an embedded dataset');
    expect(s.problem.dataset.name).toBe('small.csv');
    expect(s.runs[0]).toMatchObject({ batchSize: 5, epochs: 10, shuffle: true, seed: 3 });
    expect(s.runs[0].result!.epochs).toHaveLength(11);
  });
});

describe('refusals', () => {
  it('refuses a newer version and says to update', () => {
    expect(refusal(text({ ...v1Function(), version: 3 }))).toMatch(/saved by a newer Gradient Descent Lab \(session format version 3\); this version opens sessions up to version 2\. Update the lab/);
  });

  it('refuses a truncated file and says the save was interrupted', () => {
    const whole = fixture('v1-function.gdlab');
    expect(refusal(whole.subarray(0, Math.floor(whole.length / 2)))).toMatch(/exp\.gdlab is truncated: its JSON ends early/);
  });

  it('refuses corrupt JSON with the line and column', () => {
    const broken = fixture('v1-function.gdlab').toString('utf8').replace('"version": 1,', '"version": 1,,');
    expect(refusal(broken)).toMatch(/is corrupt: invalid JSON at line 3, column \d+/);
  });

  it.each([
    ['a CSV file', 'x,y\n1,2\n', /not a Gradient Descent Lab session: it is not a JSON document \(it starts with "x,y\\n1,2\\n"\)/],
    ['a PNG image', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /it is a binary file/],
    ['a JSON array', '[1, 2, 3]', /not a JSON document/],
    ['a dataset in JSON', '{"columns": {"x": [1, 2]}}', /not a Gradient Descent Lab session: it has no "format": "gdlab-session" field/],
    ['another program’s JSON', '{"format": "notebook", "version": 4}', /its format is "notebook"/],
    ['Latin-1 text', new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]), /it is not UTF-8 text/],
    ['an empty file', '', /is empty/],
  ])('refuses %s as the wrong kind of file', (_what, input, message) => {
    expect(refusal(input as string | Uint8Array)).toMatch(message);
  });

  it.each([
    ['notes over 100,000 characters', (s: any) => (s.notes = 'n'.repeat(100_001)), /at notes, Too big/i],
    ['a formula over 20,000 characters', (s: any) => (s.problem.expr = 'x+'.repeat(10_001) + 'x'), /at problem\.expr/],
    ['more than 64 runs', (s: any) => (s.runs = Array.from({ length: 65 }, (_, i) => ({ ...s.runs[0], id: `r${i}` }))), /at runs/],
    ['a run name over 200 characters', (s: any) => (s.runs[0].name = 'n'.repeat(201)), /at runs\[0\]\.name/],
    ['a history that is not base64', (s: any) => (s.runs[0].result.history.data = 'not base64!'), /at runs\[0\]\.result\.history\.data, base64 text/],
    ['an unknown key', (s: any) => (s.runs[0].script = 'rm -rf /'), /Unrecognized key.*script/],
    ['an unknown optimizer', (s: any) => (s.runs[0].optimizer.name = 'adamm'), /run "SGD 1" cannot be used: .*adamm/],
    ['a negative learning rate', (s: any) => (s.runs[0].optimizer.lr = -1), /Invalid learning rate: -1/],
    ['two runs with one id', (s: any) => s.runs.push({ ...s.runs[0] }), /two runs have the id "run1"/],
  ])('refuses %s, naming where', (_what, mutate, message) => {
    const doc = v1Function();
    mutate(doc);
    expect(refusal(text(doc))).toMatch(message);
  });

  it('refuses a file over the size limit before reading it as JSON', () => {
    expect(refusal(new Uint8Array(256 * 2 ** 20 + 1))).toMatch(/is 256 MiB; sessions are at most 256 MiB/);
  });
});

describe('hostile keys', () => {
  it.each([
    ['__proto__ at the top', '{"__proto__": {"polluted": true}, "format": "gdlab-session", "version": 1}', /key "__proto__" at __proto__/],
    ['__proto__ deep inside a run', text(v1Function()).replace('"name":"sgd"', '"name":"sgd","__proto__":{"polluted":true}'), /at runs\[0\]\.optimizer\.__proto__/],
    ['constructor.prototype', text(v1Function()).replace('"notes":', '"constructor":{"prototype":{"polluted":true}},"notes":'), /key "constructor" at constructor/],
  ])('refuses %s and pollutes nothing', (_what, input, message) => {
    expect(refusal(input)).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });
});
