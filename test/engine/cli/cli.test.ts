// The `gdlab` command as a user runs it: the real bin, a real process.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = fileURLToPath(new URL('../../../engine/bin/gdlab.js', import.meta.url));

function gdlab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('gdlab gradient', () => {
  it('gives the tutorial’s three-variable gradient', async () => {
    const r = await gdlab('gradient', '--expr', '2*x^2 + 6*z^2 + 7*m^3', '--at', '1,1,1', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ vars: ['x', 'z', 'm'], value: 15, gradient: [4, 12, 21], gradientExprs: ['4 * x', '12 * z', '21 * m ^ 2'] });
  });

  it('gives 10 for 5x² at 1, and prints readable text without --json', async () => {
    expect(JSON.parse((await gdlab('gradient', '--expr', '5*x^2', '--at', '1', '--json')).stdout).gradient).toEqual([10]);
    const text = await gdlab('gradient', '--expr', '5*x^2', '--at', '1');
    expect(text.stdout).toContain('∂f/∂x = 10 * x');
  });

  it('says where f is undefined and why, exits 0, and writes NaN and infinities as strings', async () => {
    const r = await gdlab('gradient', '--expr', 'log(x)', '--at', '-1', '--json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"value":"NaN"');
    expect(JSON.parse(r.stdout)).toEqual({ vars: ['x'], value: 'NaN', gradient: [-1], undefined: 'f is undefined here (NaN): log of a negative number in log(x), whose operand is -1', gradientExprs: ['1 / x'] });
    const zero = JSON.parse((await gdlab('gradient', '--expr', 'x/x', '--at', '0', '--json')).stdout);
    expect(zero.value).toBe('NaN');
    expect(zero.undefined).toMatch(/zero divided by zero in x \/ x/);
    const text = await gdlab('gradient', '--expr', 'sqrt(x)', '--at', '0');
    expect(text.stdout).toContain('at (0): f = 0, ∇f = [Infinity]\n  ∂f/∂x is Infinity here: f is not differentiable at this point');
  });

  it('evaluates many points in one call: --at repeated, or --points FILE', async () => {
    const r = JSON.parse((await gdlab('gradient', '--expr', '(x^2)^1.5 + y/x', '--at', '-2,1', '--at', '0,1', '--json')).stdout);
    expect(r.vars).toEqual(['x', 'y']);
    expect(r.points).toEqual([
      { at: [-2, 1], value: 7.5, gradient: [-12.25, -0.5] },
      { at: [0, 1], value: 'Infinity', gradient: ['-Infinity', 'Infinity'], undefined: 'f is undefined here (Infinity): division by zero in y / x, whose operands are 1 and 0' },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'gdlab-points-'));
    const file = join(dir, 'points.csv');
    writeFileSync(file, 'y,x\n1,-2\n2,3\n');
    const fromFile = JSON.parse((await gdlab('gradient', '--expr', '(x^2)^1.5 + y/x', '--points', file, '--json')).stdout);
    expect(fromFile.points.map((p: { at: number[] }) => p.at)).toEqual([[-2, 1], [3, 2]]);
    expect(fromFile.points[0]).toEqual(r.points[0]);
    const missing = await gdlab('gradient', '--expr', 'x*z', '--points', file, '--json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no column named z/);
  });

  it('refuses a bad formula on one line with exit code 2', async () => {
    const r = await gdlab('gradient', '--expr', 'sine(x)', '--at', '1', '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('gdlab gradient: Unknown function sine at column 1 — did you mean sin?\n');
  });
});

describe('gdlab minimize', () => {
  it('runs Adam on Rosenbrock with the contract’s output shape', async () => {
    const r = await gdlab('minimize', '--expr', '(1 - x)^2 + 100*(y - x^2)^2', '--start', '-1.5,2', '--optimizer', 'adam', '--lr', '0.01', '--steps', '1000', '--record', '1,2,3,10,100,1000', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.vars).toEqual(['x', 'y']);
    expect(out.optimizer).toEqual({ name: 'adam', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false });
    expect(out.status).toBe('max_steps');
    expect(out.steps).toBe(1000);
    expect(out.records.map((x: { step: number }) => x.step)).toEqual([1, 2, 3, 10, 100, 1000]);
    // Adam's first step moves each coordinate by lr against the gradient's sign: ∇f(−1.5, 2) = (−125, 50)
    expect(out.records[0].params[0]).toBeCloseTo(-1.5 + 0.01 * (125 / (125 + 1e-8)), 12);
    expect(out.records[0].params[1]).toBeCloseTo(2 + 0.01 * (50 / (50 + 1e-8)), 12);
    expect(out.final.step).toBe(1000);
    expect(out.final.params).toEqual(out.records[5].params);
  });

  it('reports the saddle x² − y² as unbounded below, not diverged', async () => {
    const out = JSON.parse((await gdlab('minimize', '--expr', 'x^2 - y^2', '--start', '1,0.1', '--optimizer', 'sgd', '--lr', '0.1', '--steps', '1000', '--json')).stdout);
    expect(out.status).toBe('unbounded');
    expect(out.message).toMatch(/^f decreases without bound/);
  });

  it('reports a diverging run as diverged (5x², lr 0.25)', async () => {
    const out = JSON.parse((await gdlab('minimize', '--expr', '5*x^2', '--start', '1', '--optimizer', 'sgd', '--lr', '0.25', '--steps', '1000', '--json')).stdout);
    expect(out.status).toBe('diverged');
    expect(out.steps).toBeLessThan(1000);
  });

  it.each([
    [['--expr', 'x^2', '--start', '1,2'], '--start has 2 values but the formula has 1 variable (x)'],
    [['--expr', 'x^2', '--start', '1', '--optimizer', 'adamm'], 'Unknown optimizer "adamm" — did you mean adam?'],
    [['--expr', 'x^2', '--start', '1', '--lr', '-0.1'], 'Invalid learning rate: -0.1'],
    [['--expr', 'x^2', '--start', '1', '--optimizer', 'adam', '--momentum', '0.9'], 'adam has no hyperparameter --momentum'],
    [['--expr', 'x^2', '--start', '1', '--learning-rate', '0.1'], 'Unknown option --learning-rate'],
    [['--expr', 'x^2', '--start', 'one'], '--start (item 1): "one" is not a number'],
    [['--expr', 'x +', '--start', '1'], 'Unexpected end of expression at column 4 — the formula ends too early'],
  ])('refuses %j', async (args, message) => {
    const r = await gdlab('minimize', ...args, '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('takes every optimizer and its flags', async () => {
    const r = await gdlab('minimize', '--expr', 'x^2 + 50*y^2', '--start', '-4,1', '--optimizer', 'rmsprop', '--lr', '0.001', '--alpha', '0.9', '--eps', '1e-6', '--weight-decay', '0.01', '--momentum', '0.5', '--centered', '--steps', '10', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).optimizer).toEqual({ name: 'rmsprop', lr: 0.001, alpha: 0.9, eps: 1e-6, weight_decay: 0.01, momentum: 0.5, centered: true, maximize: false });
  });
});

describe('gdlab', () => {
  it('names the unknown command', async () => {
    const r = await gdlab('optimise');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "optimise"/);
  });
});
