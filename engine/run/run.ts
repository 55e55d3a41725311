/**
 * The optimization loop, the four steps of the textbook made explicit:
 *
 *   1. evaluate f(pₖ) and ∇f(pₖ)           (for data: predict, loss, gradient)
 *   2. record step k and check the stopping rules on it
 *   3. learning rate ← schedule(k); clip the gradient if asked
 *   4. pₖ₊₁ ← optimizer update;  k ← k + 1, back to 1
 *
 * Record k is the state after k updates, so step 0 is the start point. All
 * buffers are allocated in the constructor; `advance` allocates nothing unless
 * a snapshot was asked for the step.
 *
 * A formula compiled to generated code runs these steps in one fused loop with
 * its optimizer (./fused.ts), which returns to this class whenever a stopping
 * rule may fire or a snapshot is due; every other objective, and the Newton and
 * line-search references, run the step-by-step loop. Both give the same bits.
 */
import { Optimizer } from '../optim/registry';
import { LearningRates } from '../optim/schedule';
import { MIN_NORMAL, clipGradNorm, norm2, scaledNorm } from '../optim/clip';
import type { ObjectiveAccess } from '../optim/types';
import type { Words } from '../spec/common';
import { History, type StepRecord } from './history';
import { fusedLoop, LIMIT, REG, type FusedLoop } from './fused';
import { describeUndefined, undefinedValues } from '../formula/diagnose';
import { DEFAULT_STOP, type LoopObjective, type RunOutcome, type RunSettings, type StopRules, type HyperparameterChange } from './runTypes';

export * from './runTypes';

/** Updates per call of a fused loop (see advanceFused). */
const FUSED_CALL = 1 << 16;

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e6 || a < 1e-4) ? x.toExponential(5).replace(/\.?0+e/, 'e') : Number(x.toPrecision(6)).toString();
}

function allFinite(p: Float64Array): boolean {
  for (let i = 0; i < p.length; i++) if (!Number.isFinite(p[i])) return false;
  return true;
}

export class Run {
  readonly n: number;
  readonly p: Float64Array;
  readonly g: Float64Array;
  readonly optimizer: Optimizer;
  readonly history: History;
  readonly stop: StopRules;
  readonly snapshots = new Map<number, StepRecord>();
  readonly changes: HyperparameterChange[] = [];
  step = 0;
  // Doubles from the start (not undefined), so V8 stores them unboxed instead of allocating on every step.
  value = NaN;
  gradNorm = NaN;
  outcome: RunOutcome | null = null;

  private readonly gStep: Float64Array;
  private readonly evaluation: Float64Array;
  private readonly wanted: Set<number>;
  private readonly bound: number = NaN;
  private readonly access: ObjectiveAccess;
  /** Whether a schedule or warm-up changes the rate from step to step. */
  private readonly scheduled: boolean;
  private readonly rates: LearningRates;
  /** The rate the next update uses, computed once per step. */
  private nextLearningRate = NaN;
  private prevValue = NaN;
  private prevSlope = NaN;
  private prevX = NaN;
  /** The fused loop for the current hyperparameters, or null; chosen again when they change. */
  private loop: FusedLoop | null = null;
  private loopHyper: unknown = null;
  private loopNumbers: Float64Array = new Float64Array(0);
  private readonly registers = new Float64Array(8);
  private readonly limits = new Float64Array(5);
  private readonly buffers: Float64Array[];
  /** The snapshot steps in increasing order, and the index of the first one not yet passed. */
  private readonly wantedOrder: number[];
  private wantedNext = 0;

  constructor(
    readonly objective: LoopObjective,
    readonly settings: RunSettings,
  ) {
    const n = objective.n;
    if (settings.start.length !== n) {
      throw new RangeError(`The start point has ${settings.start.length} value${settings.start.length === 1 ? '' : 's'} but the problem has ${n} variable${n === 1 ? '' : 's'}`);
    }
    const { name, ...hyper } = settings.optimizer;
    this.optimizer = new Optimizer(name, hyper, n);
    if (this.optimizer.definition.needs === 'hessian' && !objective.hessian) {
      throw new RangeError(`${this.optimizer.definition.title} needs second derivatives, which this problem does not provide`);
    }
    this.n = n;
    this.p = Float64Array.from(settings.start);
    // The gradient is the first n entries of one buffer whose last entry receives f(p).
    this.evaluation = new Float64Array(n + 1);
    this.g = this.evaluation.subarray(0, n);
    this.gStep = settings.clipNorm ? new Float64Array(n) : this.g;
    this.stop = { ...DEFAULT_STOP, ...settings.stop };
    this.scheduled = settings.schedule !== undefined || settings.warmup !== undefined;
    this.rates = new LearningRates(settings.schedule, settings.warmup);
    this.history = new History(n, settings.historyCapacity, settings.recordGradient ? n : 0);
    this.wanted = new Set(settings.recordSteps ?? []);
    this.wantedOrder = [...this.wanted].sort((a, b) => a - b);
    this.buffers = Object.values(this.optimizer.state.buffers);
    this.access = {
      value: (q) => objective.value(q),
      hessian: (q, H) => objective.hessian?.(q, H),
    };
    this.value = this.evaluate();
    this.gradNorm = norm2(this.g);
    this.bound = this.stop.divergenceBound * Math.max(1, Math.abs(this.value));
    this.limits[LIMIT.bound] = this.bound;
    this.limits[LIMIT.gradTol] = this.stop.gradTol;
    this.limits[LIMIT.fTol] = this.stop.fTol;
    this.limits[LIMIT.maxSteps] = this.stop.maxSteps;
    this.limits[LIMIT.clipNorm] = settings.clipNorm || 0;
    this.afterEvaluation();
  }

  get finished(): boolean {
    return this.outcome !== null;
  }

  /** The learning rate the next update uses. */
  get learningRate(): number {
    return this.rateAt(this.step);
  }

  /** The learning rate of the update that follows `step` earlier ones. */
  private readonly rateAt = (step: number): number => this.rates.at(this.optimizer.lr, step);

  /** Whether `advance` takes the fused loop with the current hyperparameters (false: step by step). */
  get fused(): boolean {
    return this.fusedNow() !== null;
  }

  /** Runs up to `maxUpdates` updates; returns how many were made. */
  advance(maxUpdates: number): number {
    const loop = this.fusedNow();
    return loop ? this.advanceFused(loop, maxUpdates) : this.advanceStepwise(maxUpdates);
  }

  private fusedNow(): FusedLoop | null {
    const { fusion } = this.objective;
    if (!fusion || this.settings.fused === false || fusion.gradRoots.length !== this.n) return null;
    const { hyper, definition, state } = this.optimizer;
    if (this.loopHyper !== hyper) {
      const shape = { clipping: this.gStep !== this.g, scheduled: this.scheduled, fTol: this.stop.fTol > 0, signChange: this.stop.signChange };
      this.loop = fusedLoop(fusion, definition, hyper, state, shape);
      this.loopNumbers = this.loop ? this.loop.numbers(hyper) : new Float64Array(0);
      this.loopHyper = hyper;
    }
    return this.loop;
  }

  private advanceFused(loop: FusedLoop, maxUpdates: number): number {
    const R = this.registers;
    const order = this.wantedOrder;
    let done = 0;
    while (done < maxUpdates && this.outcome === null) {
      while (this.wantedNext < order.length && order[this.wantedNext] <= this.step) this.wantedNext++;
      const untilSnapshot = this.wantedNext < order.length ? order[this.wantedNext] - this.step : Infinity;
      R[REG.step] = this.step;
      R[REG.value] = this.value;
      R[REG.gradNorm] = this.gradNorm;
      R[REG.lr] = this.nextLearningRate;
      R[REG.prevValue] = this.prevValue;
      R[REG.prevSlope] = this.prevSlope;
      R[REG.prevX] = this.prevX;
      // At most FUSED_CALL updates a call: the loop function is then called again and again, so the
      // JIT optimizes it whole (with its exits seen) instead of only on-stack-replacing its loop,
      // which left the loop boxing numbers on every step in a single long call.
      const limit = Math.min(maxUpdates - done, untilSnapshot, FUSED_CALL);
      done += loop.advance(this.p, this.g, this.buffers, this.optimizer.state, R, this.limits, this.loopNumbers, this.history, this.rateAt, limit);
      this.step = R[REG.step];
      this.value = R[REG.value];
      this.gradNorm = R[REG.gradNorm];
      this.nextLearningRate = R[REG.lr];
      this.prevValue = R[REG.prevValue];
      this.prevSlope = R[REG.prevSlope];
      this.prevX = R[REG.prevX];
      if (this.wanted.size !== 0 && this.wanted.has(this.step)) this.snapshots.set(this.step, this.current());
      if (R[REG.mayStop] === 1) this.checkStop();
    }
    return done;
  }

  private advanceStepwise(maxUpdates: number): number {
    const { p, g, gStep, optimizer, access, evaluation, n } = this;
    const { definition, state } = optimizer;
    const into = this.objective.evaluateInto?.bind(this.objective);
    const clipping = gStep !== g;
    let done = 0;
    while (done < maxUpdates && this.outcome === null) {
      if (clipping) {
        gStep.set(g);
        clipGradNorm(gStep, this.settings.clipNorm as number);
      }
      this.prevValue = this.value;
      this.prevSlope = g[0];
      this.prevX = p[0];
      definition.step(p, gStep, state, optimizer.hyper, this.nextLearningRate, access);
      this.step++;
      // evaluate() and norm2(), written out: this loop is the engine's hot path.
      if (into) {
        into(p, evaluation);
        this.value = evaluation[n];
      } else {
        this.value = this.objective.valueAndGradient(p, g);
      }
      let sq = 0;
      for (let i = 0; i < n; i++) sq += g[i] * g[i];
      this.gradNorm = sq < Infinity && sq >= MIN_NORMAL ? Math.sqrt(sq) : scaledNorm(g);
      this.afterEvaluation();
      done++;
    }
    return done;
  }

  private evaluate(): number {
    const { objective, evaluation } = this;
    if (objective.evaluateInto) {
      objective.evaluateInto(this.p, evaluation);
      return evaluation[this.n];
    }
    return objective.valueAndGradient(this.p, this.g);
  }

  /** Ends the run now, as the user's Stop button does. */
  halt(): void {
    if (this.outcome) return;
    this.finish('stopped', 'stopped', `Stopped by the user at step ${this.step}`, undefined, { id: 'stopped', values: { step: this.step } });
  }

  /** Changes hyperparameters between updates; the optimizer's state is kept, the change is recorded. */
  setHyperparameters(changes: Record<string, unknown>): void {
    this.optimizer.update(changes);
    this.nextLearningRate = this.learningRate;
    this.changes.push({ step: this.step, changes });
  }

  current(): StepRecord {
    return { step: this.step, value: this.value, gradNorm: this.gradNorm, lr: this.learningRate, params: Array.from(this.p) };
  }

  private afterEvaluation(): void {
    const step = this.step;
    this.nextLearningRate = this.scheduled ? this.learningRate : (this.optimizer.hyper.lr as number);
    if (this.history.wants(step)) this.history.push(step, this.value, this.gradNorm, this.nextLearningRate, this.p, this.g);
    if (this.wanted.size !== 0 && this.wanted.has(step)) this.snapshots.set(step, this.current());
    if (!this.mayStop()) return;
    this.checkStop();
  }

  /** A quick test that no stopping rule can fire on this step; `checkStop` decides the rest. */
  private mayStop(): boolean {
    const { value, gradNorm, stop } = this;
    return !(
      Math.abs(value) <= this.bound && // false for NaN
      Math.abs(value) < Infinity && // the bound may be Infinity; the (overflow-safe) gradient norm may be finite
      gradNorm > stop.gradTol && // false for NaN
      gradNorm < Infinity &&
      this.step < stop.maxSteps &&
      stop.fTol === 0 &&
      !stop.signChange &&
      allFinite(this.p)
    );
  }

  private checkStop(): void {
    const { step, value, gradNorm, stop } = this;
    const paramsFinite = allFinite(this.p);
    const maximize = this.optimizer.hyper.maximize === true;
    // Falling without bound: −∞ or past the bound below (above, when maximizing).
    const runaway = maximize ? value > 0 : value < 0;
    if (!paramsFinite) {
      this.finish('diverged', 'non_finite', `Diverged at step ${step}: the parameters overflowed; try a smaller learning rate`, undefined, { id: 'overflow', values: { step } });
    } else if (!Number.isFinite(value) || !Number.isFinite(gradNorm)) {
      if (value === (maximize ? Infinity : -Infinity)) {
        this.finish('unbounded', 'unbounded', `f ${maximize ? 'increases' : 'decreases'} without bound: f = ${value} at step ${step}; the function has no ${maximize ? 'maximum' : 'minimum'} along this path`, undefined, {
          id: maximize ? 'unboundedMax' : 'unbounded',
          values: { value: String(value), step },
        });
        return;
      }
      const problem = this.objective.diagnose?.(this.p) ?? null;
      if (problem?.kind === 'domain' || (problem === null && this.objective.diagnose && Number.isFinite(value))) {
        if (problem?.everywhere) {
          this.finish('undefined', 'undefined', `f is undefined everywhere: ${describeUndefined(problem)}; correct the formula`, undefined, { id: 'undefinedEverywhere', values: { step, ...undefinedValues(problem) } });
          return;
        }
        const what = problem ? `f is undefined ${step === 0 ? 'at the start point' : `at step ${step}`}: ${describeUndefined(problem)}` : `the gradient of f is not finite ${step === 0 ? 'at the start point' : `at step ${step}`}: f is not differentiable there`;
        const at = step === 0 ? 'AtStart' : '';
        const words = problem ? { id: `undefined${at}`, values: { step, ...undefinedValues(problem) } } : { id: `notDifferentiable${at}`, values: { step } };
        this.finish('undefined', 'undefined', `${what}${step === 0 ? '; choose another start' : ''}`, undefined, words);
      } else {
        const what = Number.isNaN(value) ? 'f is NaN' : !Number.isFinite(value) ? `f is ${value}` : 'the gradient is not finite';
        const hint = step === 0 ? ' at the start point: choose another start' : ': the steps are too large for this function; try a smaller learning rate';
        const id = `${Number.isNaN(value) ? 'nan' : !Number.isFinite(value) ? 'infinite' : 'gradient'}${step === 0 ? 'AtStart' : ''}`;
        this.finish('diverged', 'non_finite', `Diverged at step ${step}: ${what}${hint}`, undefined, { id, values: { step, value: String(value) } });
      }
    } else if (Math.abs(value) > this.bound) {
      if (runaway) {
        this.finish('unbounded', 'unbounded', `f ${maximize ? 'increases' : 'decreases'} without bound: f = ${fmt(value)} at step ${step}, past ${fmt(this.stop.divergenceBound)} times its start; the function has no ${maximize ? 'maximum' : 'minimum'} along this path`, undefined, {
          id: maximize ? 'unboundedPastMax' : 'unboundedPast',
          values: { value: fmt(value), step, bound: fmt(this.stop.divergenceBound) },
        });
      } else {
        this.finish('diverged', 'bound', `Diverged at step ${step}: |f| = ${fmt(Math.abs(value))} grew past ${fmt(this.stop.divergenceBound)} times its start; try a smaller learning rate`, undefined, {
          id: 'bound',
          values: { step, value: fmt(Math.abs(value)), bound: fmt(this.stop.divergenceBound) },
        });
      }
    } else if (gradNorm <= stop.gradTol && stop.gradTol > 0 && this.wouldStay()) {
      this.finish('converged', 'grad_tol', `Converged at step ${step}: gradient norm ${fmt(gradNorm)} ≤ ${fmt(stop.gradTol)}`, undefined, { id: 'gradTol', values: { step, norm: fmt(gradNorm), tol: fmt(stop.gradTol) } });
    } else if (step > 0 && stop.fTol > 0 && Math.abs(value - this.prevValue) <= stop.fTol) {
      const change = fmt(Math.abs(value - this.prevValue));
      this.finish('converged', 'f_tol', `Converged at step ${step}: f changed by ${change} ≤ ${fmt(stop.fTol)}`, undefined, { id: 'fTol', values: { step, change, tol: fmt(stop.fTol) } });
    } else if (step > 0 && stop.signChange && this.n === 1 && this.prevSlope * this.g[0] < 0) {
      const a = Math.min(this.prevX, this.p[0]);
      const b = Math.max(this.prevX, this.p[0]);
      this.finish('converged', 'sign_change', `The derivative changed sign at step ${step}: the minimum lies in [${fmt(a)}, ${fmt(b)}]`, [a, b], { id: 'signChange', values: { step, a: fmt(a), b: fmt(b) } });
    } else if (step >= stop.maxSteps) {
      this.finish('max_steps', 'max_steps', `Reached the maximum of ${stop.maxSteps} steps`, undefined, { id: 'maxSteps', values: { count: stop.maxSteps } });
    }
  }

  /**
   * Whether the optimizer's next update would move the parameters by at most lr·gradTol: the update
   * taken on copies of the parameters and the optimizer's state. Newton and line search stop on the
   * gradient alone (they carry nothing from one step to the next).
   */
  private wouldStay(): boolean {
    const { definition, state, hyper } = this.optimizer;
    if (definition.needs) return true;
    const p = this.p.slice();
    const g = this.g.slice();
    if (this.gStep !== this.g) clipGradNorm(g, this.settings.clipNorm as number);
    definition.step(p, g, structuredClone(state), hyper, this.nextLearningRate, this.access);
    for (let i = 0; i < p.length; i++) p[i] -= this.p[i];
    return norm2(p) <= this.nextLearningRate * this.stop.gradTol;
  }

  private finish(status: RunOutcome['status'], reason: RunOutcome['reason'], message: string, bracket?: [number, number], words?: Words): void {
    this.outcome = { status, reason, step: this.step, message, ...(words ? { words } : {}), ...(bracket ? { bracket } : {}) };
    // The last state is always recorded, whatever the history's stride.
    if (this.history.lastStep !== this.step) this.history.push(this.step, this.value, this.gradNorm, this.learningRate, this.p, this.g);
  }
}
