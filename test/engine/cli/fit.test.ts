// `gdlab fit` as a user runs it, on real files.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../engine/bin/gdlab.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/csv/${name}`, import.meta.url));

function gdlab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-fit-'));
  // y = 2·x1 − x2 + 1 exactly
  const rows = ['x1,x2,y'];
  for (let i = 0; i < 40; i++) {
    const x1 = (i % 7) - 3;
    const x2 = (i % 5) - 2;
    rows.push(`${x1},${x2},${2 * x1 - x2 + 1}`);
  }
  writeFileSync(join(dir, 'linear.csv'), `${rows.join('\n')}\n`);
});

describe('gdlab fit', () => {
  it('fits a line with the contract’s output shape', async () => {
    const r = await gdlab('fit', '--data', join(dir, 'linear.csv'), '--target', 'y', '--features', 'x1,x2', '--model', 'linear', '--loss', 'mse', '--optimizer', 'sgd', '--lr', '0.05', '--batch-size', 'full', '--epochs', '2000', '--record-epochs', '1,2,2000', '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.params)).toEqual(['w1', 'w2', 'b']);
    expect(out.params.w1).toBeCloseTo(2, 8);
    expect(out.params.w2).toBeCloseTo(-1, 8);
    expect(out.params.b).toBeCloseTo(1, 8);
    expect(out.status).toBe('max_steps');
    expect(out.records.map((x: { epoch: number }) => x.epoch)).toEqual([1, 2, 2000]);
    expect(Object.keys(out.records[0])).toEqual(expect.arrayContaining(['epoch', 'params', 'loss']));
    expect(out.final.params).toEqual(out.params);
  });

  it.each([
    [['--data', '/no/such/file.csv', '--target', 'y'], 'No such file: /no/such/file.csv'],
    [['--data', 'LINEAR', '--target', 'z'], 'Unknown target column "z"'],
    [['--data', 'LINEAR', '--target', 'y', '--features', 'x1,x9'], 'Unknown feature column "x9"'],
    [['--data', fixture('20-text-target.csv'), '--target', 'species'], 'Column "species" holds text with 3 different values'],
    [['--data', fixture('01-empty.csv'), '--target', 'y'], '01-empty.csv is empty'],
    [['--data', fixture('02-header-only.csv'), '--target', 'y'], 'has a header row but no data rows'],
    [['--data', 'LINEAR', '--target', 'y', '--model', 'a*x1 + b*x3'], 'The model formula uses "x3", which is not a column of the dataset'],
    [['--data', 'LINEAR', '--target', 'y', '--model', 'a*x1 +'], 'Model formula: Unexpected end of expression'],
    [['--data', 'LINEAR', '--target', 'y', '--loss', 'bce'], 'The bce loss needs a target of 0s and 1s'],
    [['--data', 'LINEAR', '--target', 'y', '--model', 'poly:2'], 'A polynomial model takes exactly one feature'],
  ])('refuses %j', async (args, message) => {
    const r = await gdlab('fit', ...args.map((a) => (a === 'LINEAR' ? join(dir, 'linear.csv') : a)), '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
