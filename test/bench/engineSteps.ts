/**
 * Adam steps per second on Rosenbrock: the engine (formula and optimizer fused
 * into one run loop with history and stopping rules; also its step-by-step
 * loop, for comparison), a hand-written loop of the same math, and a
 * loop that evaluates mathjs-compiled expressions of f and its derivatives.
 */
import { create, all } from 'mathjs';
import { compileFormula } from '../../engine/formula/compile';
import { formulaObjective } from '../../engine/run/objective';
import { Run } from '../../engine/run/run';
import { biasCorrections, handWritten } from './handLoop';
import { line, measure, ratio, si } from './harness';

const EXPR = '(1 - x)^2 + 100*(y - x^2)^2';
const LR = 0.001;

const formula = formulaObjective(compileFormula(EXPR));

/** The engine as the lab runs a formula: the fused loop, or (fused false) the step-by-step loop that data fits use. */
function engineRun(n: number, fused: boolean): number[] {
  const run = new Run(formula, { start: [-1.5, 2], optimizer: { name: 'adam', lr: LR }, stop: { maxSteps: n, divergenceBound: Infinity }, fused });
  run.advance(n);
  return Array.from(run.p);
}

const math = create(all, {});
const fCompiled = math.compile(EXPR);
const dx = math.derivative(EXPR, 'x').compile();
const dy = math.derivative(EXPR, 'y').compile();

function mathjsLoop(n: number): void {
  const p = [-1.5, 2];
  const m = [0, 0];
  const v = [0, 0];
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  let sink = 0;
  for (let t = 1; t <= n; t++) {
    const scope = { x: p[0], y: p[1] };
    sink += fCompiled.evaluate(scope);
    const g = [dx.evaluate(scope), dy.evaluate(scope)];
    for (let i = 0; i < 2; i++) {
      m[i] = m[i] * b1 + (1 - b1) * g[i];
      v[i] = v[i] * b2 + (1 - b2) * g[i] * g[i];
      p[i] -= ((LR / (1 - Math.pow(b1, t))) * m[i]) / (Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps);
    }
  }
  if (sink === 42) console.log(sink);
}

const RASTRIGIN = '20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)';
const rastrigin = formulaObjective(compileFormula(RASTRIGIN));

function rastriginRun(n: number): number[] {
  const run = new Run(rastrigin, { start: [2.3, -1.7], optimizer: { name: 'adam', lr: 0.01 }, stop: { maxSteps: n, divergenceBound: Infinity } });
  run.advance(n);
  return Array.from(run.p);
}

/** Adam on Rastrigin by hand with JavaScript's own Math.cos and Math.sin (not the same bits: the baseline of their cost). */
function rastriginByHand(n: number): number[] {
  let x = 2.3, y = -1.7, m0 = 0, m1 = 0, v0 = 0, v1 = 0;
  const b1 = 0.9, b2 = 0.999, eps = 1e-8, lr = 0.01, w = 2 * Math.PI;
  let sink = 0;
  const corrections = biasCorrections(b1, b2);
  for (let t = 1; t <= n; t++) {
    sink += 20 + x * x - 10 * Math.cos(w * x) + y * y - 10 * Math.cos(w * y);
    const gx = 2 * x + 10 * Math.sin(w * x) * w;
    const gy = 2 * y + 10 * Math.sin(w * y) * w;
    m0 = m0 * b1 + (1 - b1) * gx;
    m1 = m1 * b1 + (1 - b1) * gy;
    v0 = v0 * b2 + (1 - b2) * gx * gx;
    v1 = v1 * b2 + (1 - b2) * gy * gy;
    const [bc1, bc2] = corrections(t);
    const step = lr / bc1;
    x -= (step * m0) / (Math.sqrt(v0) / bc2 + eps);
    y -= (step * m1) / (Math.sqrt(v1) / bc2 + eps);
  }
  if (sink === 42) console.log(sink);
  return [x, y];
}

export function benchEngineSteps(): void {
  console.log('Adam on Rosenbrock, steps per second');
  const e = measure((n) => engineRun(n, true));
  const stepwise = measure((n) => engineRun(n, false));
  const h = measure(handWritten);
  const m = measure(mathjsLoop, 0.5, 2);
  line('engine (compiled formula, optimizer, history)', `${si(e.perSecond)}steps/s`);
  line('engine, step by step (as data fits run)', `${si(stepwise.perSecond)}steps/s`);
  line('hand-written JS loop', `${si(h.perSecond)}steps/s`);
  line('mathjs compiled expressions + derivatives', `${si(m.perSecond)}steps/s`);
  const same = [engineRun(100_000, true), engineRun(100_000, false), handWritten(100_000)].map((p) => p.join(',')).every((p, _, all) => p === all[0]);
  line('engine, step by step and by hand after 100,000 steps', same ? 'the same parameters, bit for bit' : 'DIFFERENT parameters');
  ratio('engine / hand-written', e.perSecond / h.perSecond, '≥ 0.8×');
  ratio('engine / mathjs loop', e.perSecond / m.perSecond, '≥ 50×');
  console.log('\nAdam on Rastrigin (cos and sin: the engine\'s own, correctly rounded), steps per second');
  const r = measure(rastriginRun);
  const rh = measure(rastriginByHand);
  line('engine (compiled formula, optimizer, history)', `${si(r.perSecond)}steps/s`);
  line('hand-written JS loop with Math.cos and Math.sin', `${si(rh.perSecond)}steps/s`);
  ratio('engine / hand-written with Math', r.perSecond / rh.perSecond, 'reported');
}
