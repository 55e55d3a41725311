// Sessions through the `gdlab` command: --save writes what the lab opens, `run` reproduces it bit for
// bit, `export` writes the same exports as the app's menu, and bad files get one clear line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSession, serializeSession } from '../../../engine/session/open';
import { rerun, savedFinal } from '../../../engine/session/rerun';
import { buildSessionRun } from '../../../engine/session/rerun';
import { newSession, sessionRun } from '../../../engine/session/create';
import { resultOf } from '../../../engine/session/runs';

const bin = fileURLToPath(new URL('../../../engine/bin/gdlab.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
let dir: string;

function gdlab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000, cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-cli-session-'));
  const lines = ['x1,x2,y'];
  for (let i = 0; i < 40; i++) lines.push(`${(i % 7) / 3},${Math.sin(i)},${(3 * (i % 7)) / 3 - 2 * Math.sin(i) + 0.5 + ((i * 37) % 11) / 50}`);
  writeFileSync(join(dir, 'data.csv'), `${lines.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gdlab minimize/fit --save and gdlab run', () => {
  it('saves a minimize run that gdlab run reproduces bit for bit', async () => {
    const made = await gdlab('minimize', '--expr', '(1 - x)^2 + 100*(y - x^2)^2', '--start', '-1.5,2', '--optimizer', 'adam', '--lr', '0.01', '--steps', '500', '--schedule', 'cosine', '--t-max', '500', '--clip-norm', '10', '--save', 'r.gdlab', '--json');
    expect(made.code).toBe(0);
    const printed = JSON.parse(made.stdout).final;
    const session = parseSession(readFileSync(join(dir, 'r.gdlab')));
    expect(session.runs[0].schedule).toEqual({ type: 'cosine', T_max: 500, eta_min: 0 });
    const saved = savedFinal(session.runs[0])!;
    expect(Array.from(saved.subarray(4))).toEqual(printed.params);
    const again = await gdlab('run', 'r.gdlab', '--json');
    expect(again.code).toBe(0);
    const [run] = JSON.parse(again.stdout).runs;
    expect(run).toMatchObject({ id: 'run1', name: 'Adam 1', status: 'max_steps', steps: 500, matchesSaved: true });
    expect(run.final.params).toEqual(printed.params);
  });

  it('saves a shuffled mini-batch fit, with its dataset embedded, that gdlab run reproduces bit for bit', async () => {
    const made = await gdlab('fit', '--data', 'data.csv', '--target', 'y', '--optimizer', 'sgd', '--lr', '0.05', '--momentum', '0.9', '--batch-size', '6', '--epochs', '25', '--shuffle', '--seed', '42', '--standardize', '--val-split', '0.25', '--l2', '0.001', '--save', 'f.gdlab', '--json');
    expect(made.code).toBe(0);
    const fitted = JSON.parse(made.stdout);
    const session = parseSession(readFileSync(join(dir, 'f.gdlab')));
    expect(session.problem).toMatchObject({ kind: 'data', target: 'y', features: ['x1', 'x2'], standardize: true, valSplit: 0.25, reg: { l1: 0, l2: 0.001 }, dataset: { kind: 'embedded', name: 'data.csv', path: join(dir, 'data.csv') } });
    const again = JSON.parse((await gdlab('run', 'f.gdlab', '--json')).stdout).runs[0];
    expect(again.matchesSaved).toBe(true);
    expect(again.params).toEqual(fitted.params);
    expect(again.epochs).toBe(25);
  });

  it('replays hyperparameters changed mid-run at the steps they were changed', () => {
    const s0 = parseSession(readFileSync(join(fixtures, 'sessions/v1-function.gdlab')));
    const settings = { ...s0.runs[0], result: null, changes: [] };
    // The lab's way: run 20 steps, pause, change lr and momentum, run on.
    const live = buildSessionRun(s0, settings, null);
    live.run.advance(20);
    live.run.setHyperparameters({ lr: 0.005, momentum: 0.5 });
    live.run.advance(Infinity);
    const session = newSession(s0.problem, [{ ...sessionRun(0, settings, live), changes: [{ step: 20, changes: { lr: 0.005, momentum: 0.5 } }] }]);
    const reopened = parseSession(serializeSession(session));
    const again = rerun(reopened, reopened.runs[0], null).run;
    expect(Array.from(again.p)).toEqual(Array.from(live.run.p));
    // Without the change it would have ended elsewhere.
    expect(Array.from(rerun(reopened, { ...reopened.runs[0], changes: [] }, null).run.p)).not.toEqual(Array.from(live.run.p));
    expect(resultOf(live).step).toBe(60);
  });

  it('says when a re-run differs from the saved run', async () => {
    const session = parseSession(readFileSync(join(fixtures, 'sessions/v1-function.gdlab')));
    session.runs[0].optimizer.lr = 0.021;
    writeFileSync(join(dir, 'edited.gdlab'), serializeSession(session));
    const r = await gdlab('run', 'edited.gdlab');
    expect(r.stdout).toMatch(/DIFFERS from the saved run/);
  });
});

describe('gdlab export', () => {
  it('writes every run’s history as CSV', async () => {
    const r = await gdlab('export', join(fixtures, 'sessions/v1-function.gdlab'), '--format', 'csv', '--out', 'h.csv', '--json');
    expect(r.code).toBe(0);
    const lines = readFileSync(join(dir, 'h.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('run,name,step,value,grad_norm,lr,x,y');
    expect(lines).toHaveLength(1 + 61);
    // f(2, 1) = 2² + 10·1² = 14, ‖∇f‖ = ‖(4, 20)‖
    expect(lines[1]).toBe(`run1,SGD 1,0,14,${Math.sqrt(4 * 4 + 20 * 20)},0.02,2,1`);
    expect(lines[lines.length - 1]).toMatch(/^run1,SGD 1,60,/);
  });

  it('prints a PyTorch script that names its optimizer and schedule', async () => {
    const r = await gdlab('export', join(fixtures, 'sessions/v1-function.gdlab'), '--format', 'pytorch');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^#!\/usr\/bin\/env python3/);
    expect(r.stdout).toContain('torch.optim.lr_scheduler.StepLR');
    expect(r.stdout).toContain('\\"torch_class\\":\\"SGD\\"');
  });

  it('writes a Jupyter notebook: the problem in markdown, the script, its figures named after the file', async () => {
    const r = await gdlab('export', join(fixtures, 'sessions/v1-function.gdlab'), '--format', 'ipynb', '--out', 'lesson.ipynb', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'ipynb', bytes: expect.any(Number) });
    const nb = JSON.parse(readFileSync(join(dir, 'lesson.ipynb'), 'utf8')) as { nbformat: number; nbformat_minor: number; cells: Array<{ cell_type: string; source: string[] }> };
    expect([nb.nbformat, nb.nbformat_minor]).toEqual([4, 5]);
    expect(nb.cells.map((c) => c.cell_type).slice(0, 3)).toEqual(['markdown', 'markdown', 'code']);
    expect(nb.cells[0].source.join('')).toMatch(/^# Gradient Descent Lab\n\nMinimize f\(/);
    expect(nb.cells[2].source.join('')).toContain('torch.optim.lr_scheduler.StepLR');
    expect(nb.cells.map((c) => c.source.join('')).join('\n')).toContain("fig.savefig(\"lesson-loss.png\"");
  });

  it('keeps user text out of the code: a hostile run name stays data', async () => {
    const session = parseSession(readFileSync(join(fixtures, 'sessions/v1-function.gdlab')));
    session.runs[0].name = `"""\nimport os; os.system('echo pwned')\n'''`;
    session.notes = '\\"); print("pwned")';
    writeFileSync(join(dir, 'hostile.gdlab'), serializeSession(session));
    const r = await gdlab('export', 'hostile.gdlab', '--format', 'pytorch');
    expect(r.stdout.split('\n').filter((l) => l.includes('pwned')).every((l) => /^(RUNS|NOTES) = json\.loads\(/.test(l))).toBe(true);
    // In a notebook, it is markdown text or data too.
    const nb = await gdlab('export', 'hostile.gdlab', '--format', 'ipynb');
    const cells = (JSON.parse(nb.stdout) as { cells: Array<{ cell_type: string; source: string[] }> }).cells;
    for (const c of cells.filter((c) => c.cell_type === 'code')) {
      expect(c.source.join('').split('\n').filter((l) => l.includes('pwned')).every((l) => /^(RUNS|NOTES|LAB) = json\.loads\(/.test(l))).toBe(true);
    }
  });
});

describe('bad session files on the command line', () => {
  it.each([
    [['run', 'missing.gdlab'], /gdlab run: missing\.gdlab no longer exists at /],
    [['run', join(fixtures, 'csv/08-crlf.csv')], /08-crlf\.csv is not a Gradient Descent Lab session: it is not a JSON document/],
    [['export', join(fixtures, 'sessions/v1-function.gdlab'), '--format', 'docx'], /export needs --format pytorch, --format ipynb or --format csv/],
    [['run'], /Name the session file/],
  ])('gdlab %j exits 2 with one line', async (args, message) => {
    const r = await gdlab(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a session saved by a newer version', async () => {
    const doc = JSON.parse(readFileSync(join(fixtures, 'sessions/v1-function.gdlab'), 'utf8'));
    writeFileSync(join(dir, 'future.gdlab'), JSON.stringify({ ...doc, version: 7 }));
    const r = await gdlab('run', 'future.gdlab');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/session format version 7\); this version opens sessions up to version 2/);
  });

  it('refuses a referenced dataset that changed on disk after the session was saved', async () => {
    const session = parseSession(readFileSync(join(fixtures, 'sessions/v1-data.gdlab')));
    if (session.problem.kind !== 'data' || session.problem.dataset.kind !== 'embedded') throw new Error('fixture changed');
    const original = Buffer.from(session.problem.dataset.data, 'base64').toString('utf8');
    writeFileSync(join(dir, 'small.csv'), original.replace(/\n(\d)/, '\n9$1'));
    const { name, sha256, size } = session.problem.dataset;
    session.problem.dataset = { kind: 'reference', name, path: join(dir, 'small.csv'), sha256, size };
    writeFileSync(join(dir, 'changed.gdlab'), serializeSession(session));
    const r = await gdlab('run', 'changed.gdlab');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/The dataset at .*small\.csv has changed since the session was saved \(its SHA-256 differs\)/);
    // Put back, it runs and matches the saved run.
    writeFileSync(join(dir, 'small.csv'), original);
    expect(JSON.parse((await gdlab('run', 'changed.gdlab', '--json')).stdout).runs[0].matchesSaved).toBe(true);
  });

  it('says when a referenced dataset has moved', async () => {
    const session = parseSession(readFileSync(join(fixtures, 'sessions/v1-data.gdlab')));
    if (session.problem.kind !== 'data' || session.problem.dataset.kind !== 'embedded') throw new Error('fixture changed');
    const { name, sha256, size } = session.problem.dataset;
    session.problem.dataset = { kind: 'reference', name, path: join(dir, 'moved-away.csv'), sha256, size };
    writeFileSync(join(dir, 'ref.gdlab'), serializeSession(session));
    const r = await gdlab('run', 'ref.gdlab');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dataset small\.csv was at .*moved-away\.csv, which cannot be read now \(moved or deleted\); put it back there or locate it/);
  });
});
