// `gdlab generate` and `gdlab fit --model mlp:…` as a user runs them, on real files.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../engine/bin/gdlab.js', import.meta.url));

function gdlab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 120_000, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'gdlab-net-'))));

function rows(path: string): number[][] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  expect(header).toBe('x1,x2,label');
  return lines.map((l) => l.split(',').map(Number));
}

describe('gdlab generate', () => {
  it.each([
    ['circle', [], 2],
    ['xor', [], 2],
    ['gauss', [], 2],
    ['spiral', ['--classes', '4'], 4],
  ] as const)('writes %s with x1, x2 and balanced labels, the same for the same seed', async (set, extra, K) => {
    const a = join(dir, `${set}-a.csv`);
    const b = join(dir, `${set}-b.csv`);
    const c = join(dir, `${set}-c.csv`);
    const r = await gdlab('generate', set, '--n', '400', ...extra, '--noise', '0.1', '--seed', '3', '--out', a, '--json');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ set, rows: 400, classes: K, columns: ['x1', 'x2', 'label'] });
    await gdlab('generate', set, '--n', '400', ...extra, '--noise', '0.1', '--seed', '3', '--out', b);
    await gdlab('generate', set, '--n', '400', ...extra, '--noise', '0.1', '--seed', '4', '--out', c);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
    expect(readFileSync(c, 'utf8')).not.toBe(readFileSync(a, 'utf8'));
    const data = rows(a);
    expect(data).toHaveLength(400);
    for (let k = 0; k < K; k++) expect(data.filter((row) => row[2] === k)).toHaveLength(400 / K);
    expect(data.every((row) => row.every(Number.isFinite))).toBe(true);
  });

  it('says what is wrong with a bad request', async () => {
    expect((await gdlab('generate', 'moons', '--out', join(dir, 'x.csv'))).stderr).toContain('generate needs a set: circle, xor, gauss, spiral; got "moons"');
    expect((await gdlab('generate', 'circle', '--classes', '3', '--out', join(dir, 'x.csv'))).stderr).toContain('--classes applies to spiral');
    expect((await gdlab('generate', 'spiral', '--classes', '11', '--out', join(dir, 'x.csv'))).stderr).toContain('A spiral set has 2 to 10 arms, got 11');
    expect((await gdlab('generate', 'circle')).code).toBe(2);
  });
});

describe('gdlab fit with a network', () => {
  it('learns the circle set to at least 95% accuracy with mlp:8,8, tanh and Adam', async () => {
    const data = join(dir, 'circle.csv');
    await gdlab('generate', 'circle', '--n', '400', '--seed', '1', '--out', data);
    const r = await gdlab('fit', '--data', data, '--target', 'label', '--model', 'mlp:8,8', '--activation', 'tanh', '--loss', 'bce', '--optimizer', 'adam', '--lr', '0.01', '--batch-size', '32', '--epochs', '200', '--seed', '1', '--val-split', '0.2', '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ model: 'mlp:8,8', activation: 'tanh', loss: 'bce', parameters: 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1, rows: 320, validationRows: 80 });
    expect(out.final.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(out.final.valAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(out.final.loss).toBeLessThan(0.2);
  });

  it('learns 3-arm spirals to at least 90% accuracy with mlp:32,32 and relu (cross-entropy)', async () => {
    const data = join(dir, 'spiral.csv');
    await gdlab('generate', 'spiral', '--classes', '3', '--seed', '1', '--out', data);
    const r = await gdlab('fit', '--data', data, '--target', 'label', '--model', 'mlp:32,32', '--activation', 'relu', '--loss', 'cross_entropy', '--optimizer', 'adam', '--lr', '0.01', '--batch-size', '32', '--epochs', '300', '--seed', '1', '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.classes).toEqual(['0', '1', '2']);
    expect(out.final.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('fits text labels as classes in sorted order, with cross-entropy chosen for them', async () => {
    const data = join(dir, 'animals.csv');
    const lines = ['size,ears,animal'];
    const names = ['dog', 'cat', 'mouse'];
    for (let i = 0; i < 90; i++) lines.push(`${(i % 3) * 2 + (i % 7) / 10},${(i % 3) - (i % 5) / 10},${names[i % 3]}`);
    writeFileSync(data, `${lines.join('\n')}\n`);
    const r = await gdlab('fit', '--data', data, '--target', 'animal', '--model', 'mlp:4', '--optimizer', 'adam', '--lr', '0.05', '--epochs', '300', '--standardize', '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.loss).toBe('cross_entropy');
    expect(out.classes).toEqual(['cat', 'dog', 'mouse']);
    expect(out.features).toEqual(['size', 'ears']);
    expect(out.final.accuracy).toBe(1);
  });

  it('saves a network session that re-runs bit for bit and exports to PyTorch', async () => {
    const data = join(dir, 'xor.csv');
    const session = join(dir, 'xor.gdlab');
    await gdlab('generate', 'xor', '--n', '200', '--seed', '2', '--out', data);
    const fit = JSON.parse((await gdlab('fit', '--data', data, '--target', 'label', '--model', 'mlp:6', '--activation', 'sigmoid', '--optimizer', 'adam', '--lr', '0.02', '--batch-size', '20', '--epochs', '30', '--seed', '5', '--val-split', '0.25', '--save', session, '--json')).stdout);
    const again = await gdlab('run', session, '--json');
    expect(again.stderr).toBe('');
    const [run] = JSON.parse(again.stdout).runs;
    expect(run.matchesSaved).toBe(true);
    expect(run.final).toMatchObject({ loss: fit.final.loss, accuracy: fit.final.accuracy, valAccuracy: fit.final.valAccuracy });
    const exported = await gdlab('export', session, '--format', 'pytorch', '--json');
    expect(exported.stderr).toBe('');
    expect(JSON.parse(exported.stdout).text).toContain('torch.nn.Linear(2, 6)');
  });

  it.each([
    [['--model', 'linear', '--activation', 'tanh'], '--activation applies to a network model'],
    [['--model', 'mlp:8,0'], 'Write a network as mlp:SIZES'],
    [['--model', 'mlp:8', '--activation', 'gelu'], 'Unknown activation "gelu"; choose one of relu, tanh, sigmoid, linear'],
    [['--model', 'logistic', '--loss', 'cross_entropy'], 'The cross_entropy loss needs a model with one output per class'],
  ])('refuses %j with a clear message', async (flags, message) => {
    const data = join(dir, 'small.csv');
    await gdlab('generate', 'gauss', '--n', '40', '--out', data);
    const r = await gdlab('fit', '--data', data, '--target', 'label', ...flags);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
