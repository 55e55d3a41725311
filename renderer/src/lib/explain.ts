/**
 * The Explain panel's text: one update as the engine took it (see
 * engine/run/explain.ts), written out rule by rule with its numbers. Every
 * number here is the engine's, formatted; nothing is recomputed except the
 * differences the lines show (Δp) and the bias corrections Adam applies,
 * which are computed the way the engine does.
 */
import type { RunSettings, StepExplanation } from '../../../engine/index';

export interface ExplainLine {
  /** What the line is about: "Gradient", "Clipping", "Momentum", … */
  label: string;
  text: string;
}

export interface ParamMove {
  name: string;
  before: number;
  gradient: number;
  delta: number;
  after: number;
  /** How the gradient's sign and the move relate, in words. */
  reading: string;
}

export const fmt = (v: number): string => {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-4 && a < 1e6 ? String(+v.toPrecision(4)) : v.toExponential(3).replace('e+', 'e');
};

/** A vector as "(a, b, …)", its first `limit` values when long. */
export const vec = (v: readonly number[], limit = 6): string =>
  `(${v.slice(0, limit).map(fmt).join(', ')}${v.length > limit ? `, … ${v.length - limit} more` : ''})`;

const num = (h: Record<string, unknown>, key: string): number => (typeof h[key] === 'number' ? (h[key] as number) : 0);

export interface ExplainContext {
  /** Parameter names: the formula's variables or the model's coefficients. */
  names: readonly string[];
  mode: 'function' | 'data';
  /** The schedule and warm-up of the run, in words (null: constant). */
  schedule: string | null;
}

export function explainLines(e: StepExplanation, ctx: ExplainContext): ExplainLine[] {
  const h = e.hyperparameters;
  const lines: ExplainLine[] = [];
  const b = e.batch;
  const whole = b !== null && b.batches === 1;
  const where = b
    ? whole
      ? `the loss on the whole training set (${b.rows} rows, epoch ${b.epoch})`
      : `the loss on batch ${b.index} of ${b.batches} in epoch ${b.epoch} (${b.size === 1 ? 'one row' : `${b.size} rows`})`
    : `f at p = ${vec(e.before)}`;
  lines.push({ label: 'Gradient', text: `g = ∇ of ${where} = ${vec(e.gradient)}, ‖g‖ = ${fmt(e.gradNorm)}` });
  let g = e.gradient;
  if (e.clip) {
    if (e.clip.coef < 1) {
      g = g.map((v) => v * e.clip!.coef);
      lines.push({ label: 'Clipping', text: `‖g‖ = ${fmt(e.gradNorm)} > max_norm = ${fmt(e.clip.maxNorm)}, so g is scaled by ${fmt(e.clip.coef)} to ${vec(g)}` });
    } else lines.push({ label: 'Clipping', text: `‖g‖ = ${fmt(e.gradNorm)} ≤ max_norm = ${fmt(e.clip.maxNorm)}: not clipped` });
  }
  if (h.maximize === true) lines.push({ label: 'Maximize', text: 'maximize is on: the rule uses −g, so p climbs' });
  const wd = num(h, 'weight_decay');
  const decoupled = e.optimizer === 'adamw' || h.decoupled_weight_decay === true;
  if (wd > 0) {
    lines.push(
      decoupled
        ? { label: 'Weight decay', text: `decoupled: p ← p·(1 − lr·${fmt(wd)}) = p·${fmt(1 - e.lr * wd)} before the rule` }
        : { label: 'Weight decay', text: `g ← g + ${fmt(wd)}·p = ${vec(g.map((v, k) => v + wd * e.before[k]))}` },
    );
  }
  lines.push({
    label: 'Learning rate',
    text: e.lr === e.baseLr || !ctx.schedule ? `lr = ${fmt(e.lr)}${ctx.schedule ? ` (${ctx.schedule})` : ''}` : `${ctx.schedule}: lr = ${fmt(e.lr)} at this step (base ${fmt(e.baseLr)})`,
  });
  lines.push(...ruleLines(e, g));
  lines.push({ label: 'Update', text: `Δp = ${vec(e.after.map((v, k) => v - e.before[k]))}; p: ${vec(e.before)} → ${vec(e.after)}` });
  const what = b ? (whole ? 'training loss' : 'this batch’s loss') : 'f';
  const change = e.valueAfter - e.value;
  lines.push({ label: 'Result', text: `${what}: ${fmt(e.value)} → ${fmt(e.valueAfter)} (${change <= 0 ? 'down' : 'up'} ${fmt(Math.abs(change))})` });
  return lines;
}

function ruleLines(e: StepExplanation, g: readonly number[]): ExplainLine[] {
  const h = e.hyperparameters;
  const out: ExplainLine[] = [];
  const after = e.stateAfter;
  switch (e.optimizer) {
    case 'sgd': {
      const mu = num(h, 'momentum');
      if (mu === 0) {
        out.push({ label: 'Rule', text: `plain gradient descent: p ← p − lr·g = ${vec(e.before)} − ${fmt(e.lr)}·${vec(g)}` });
        break;
      }
      const first = !e.stateBefore.momentum_buffer || e.t === 1;
      out.push({
        label: 'Momentum',
        text: first
          ? `first update: buf ← g = ${vec(after.momentum_buffer ?? [])}`
          : `buf ← ${fmt(mu)}·buf + ${fmt(1 - num(h, 'dampening'))}·g = ${fmt(mu)}·${vec(e.stateBefore.momentum_buffer)} + … = ${vec(after.momentum_buffer ?? [])}`,
      });
      out.push({ label: 'Rule', text: h.nesterov === true ? `Nesterov: p ← p − lr·(g + ${fmt(mu)}·buf)` : `p ← p − lr·buf: the step follows the accumulated velocity, not only this gradient` });
      break;
    }
    case 'adam':
    case 'adamw': {
      const [b1, b2] = Array.isArray(h.betas) ? (h.betas as number[]) : [0.9, 0.999];
      out.push({ label: 'First moment', text: `m ← ${fmt(b1)}·m + ${fmt(1 - b1)}·g = ${vec(after.exp_avg ?? [])}` });
      out.push({ label: 'Second moment', text: `v ← ${fmt(b2)}·v + ${fmt(1 - b2)}·g² = ${vec(after.exp_avg_sq ?? [])}` });
      out.push({
        label: 'Bias correction',
        text: `t = ${e.t}: 1 − β₁ᵗ = ${fmt(1 - b1 ** e.t)}, 1 − β₂ᵗ = ${fmt(1 - b2 ** e.t)}; early steps would be too small without it, since m and v start at 0`,
      });
      if (h.amsgrad === true) out.push({ label: 'AMSGrad', text: `v is replaced by the largest v so far: ${vec(after.max_exp_avg_sq ?? [])}` });
      out.push({ label: 'Rule', text: `p ← p − lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ${fmt(num(h, 'eps'))}): each coordinate gets its own step size` });
      break;
    }
    default: {
      for (const [name, values] of Object.entries(after)) if (values.length) out.push({ label: name, text: `${name} = ${vec(values)}` });
      break;
    }
  }
  return out;
}

/** Per parameter: where it was, its gradient, how it moved, and what the sign of the derivative says. */
export function paramMoves(e: StepExplanation, names: readonly string[]): ParamMove[] {
  const maximize = e.hyperparameters.maximize === true;
  return e.before.map((before, k) => {
    const gradient = e.gradient[k];
    const delta = e.after[k] - before;
    const name = names[k] ?? `p${k + 1}`;
    const downhill = maximize ? gradient : -gradient;
    let reading: string;
    if (gradient === 0) reading = delta === 0 ? `zero slope: ${name} stays` : `zero slope, yet ${name} moves (the optimizer's memory carries it)`;
    else {
      const sign = gradient > 0 ? 'positive' : 'negative';
      const way = downhill > 0 ? 'increase' : 'decrease';
      if (delta === 0) reading = `${sign}: ${name} should ${way}, but did not move`;
      else if (Math.sign(delta) === Math.sign(downhill)) reading = `${sign}, so ${name} ${way}s`;
      else reading = `${sign}, so ${name} should ${way}; momentum carried it the other way`;
    }
    return { name, before, gradient, delta, after: e.after[k], reading };
  });
}

/** A run's schedule and warm-up in words, or null when its rate is constant. */
export function scheduleWords(run: Pick<RunSettings, 'schedule' | 'warmup'>): string | null {
  const s = run.schedule;
  const parts: string[] = [];
  if (s?.type === 'step') parts.push(`step schedule (×${fmt(s.gamma)} every ${s.step_size} steps)`);
  else if (s?.type === 'exponential') parts.push(`exponential schedule (×${fmt(s.gamma)} a step)`);
  else if (s?.type === 'cosine') parts.push(`cosine schedule (to ${fmt(s.eta_min)} over ${s.T_max} steps)`);
  else if (s?.type === 'inverse_time') parts.push(`inverse-time schedule (decay ${fmt(s.decay)})`);
  if (run.warmup) parts.push(`warm-up over ${run.warmup.warmup_steps} steps from ×${fmt(run.warmup.start_factor)}`);
  return parts.length ? parts.join(' with ') : null;
}
