/**
 * Sweeps and basin maps, timed in the engine as the lab would ask for them, beside the rate of one
 * plain run measured in the same process (the baseline: a sweep or map is many such runs).
 */
import { compileFormula } from '../../engine/formula/compile';
import { basinMap } from '../../engine/experiments/basins';
import { sweep } from '../../engine/experiments/sweep';
import { formulaObjective } from '../../engine/run/objective';
import { Run } from '../../engine/run/run';
import { runSettings } from '../../engine/spec/run';
import { line, si } from './harness';

const ROSENBROCK = '(1 - x)^2 + 100*(y - x^2)^2';
const HIMMELBLAU = '(x^2 + y - 11)^2 + (x + y^2 - 7)^2';

function seconds(work: () => void): number {
  const t0 = performance.now();
  work();
  return (performance.now() - t0) / 1000;
}

export function benchExperiments(): void {
  console.log('Sweeps and basin maps (one engine thread)');
  const f = compileFormula(ROSENBROCK);
  new Run(formulaObjective(f), { start: [-1.5, 2], optimizer: { name: 'adam', lr: 0.001 }, stop: { maxSteps: 200_000 } }).advance(200_000);
  const plain = seconds(() => new Run(formulaObjective(f), { start: [-1.5, 2], optimizer: { name: 'adam', lr: 0.001 }, stop: { maxSteps: 1_000_000, divergenceBound: Infinity } }).advance(1_000_000));
  line('baseline: one run of 1,000,000 Adam steps', `${plain.toFixed(2)} s (${si(1e6 / plain)}steps/s)`);
  const context = { formula: (expr: string, vars?: string[]) => compileFormula(expr, { vars }), dataset: () => undefined };
  const spec = { problem: { kind: 'function' as const, expr: ROSENBROCK }, base: runSettings({ optimizer: { name: 'adam' }, start: [-1.5, 2], stop: { maxSteps: 1000 } }), optimizers: [{ name: 'adam' }], lrMin: 1e-5, lrMax: 1, count: 64, tolerance: 1e-3 };
  sweep({ ...spec, count: 4 }, context);
  const s = seconds(() => sweep(spec, context));
  line('sweep: 64 rates × 1,000 steps, Rosenbrock', `${s.toFixed(3)} s (${si(64_000 / s)}steps/s)`);
  const b = seconds(() => basinMap({ expr: HIMMELBLAU, optimizer: { name: 'sgd', lr: 0.01 }, x: [-5, 5], y: [-5, 5], nx: 100, ny: 100, steps: 500 }));
  line('basin map: 100 × 100 starts × 500 steps, Himmelblau', `${b.toFixed(2)} s (${si(5_000_000 / b)}steps/s)`);
}
