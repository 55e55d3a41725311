/**
 * The Explain panel's text: one update as the engine took it (see
 * engine/run/explain.ts), written out rule by rule with its numbers. Every
 * number here is the engine's, formatted; nothing is recomputed except the
 * differences the lines show (Δp) and the bias corrections Adam applies,
 * which are computed the way the engine does.
 */
import type { RunSettings, StepExplanation } from '../../../engine/index';
import { listSeparator, showNumber, t } from '../i18n/i18n.svelte';

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

/** A number in a sentence, table or chart label, in the language's notation (see showNumber). */
export const fmt = (v: number): string => showNumber(v);

/** A vector as "(a, b, …)", its first `limit` values when long. */
export const vec = (v: readonly number[], limit = 6): string =>
  `(${v.slice(0, limit).map((x) => showNumber(x, 4, false)).join(listSeparator())}${v.length > limit ? `, ${t('explain.text.vecMore', { n: v.length - limit })}` : ''})`;

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
  const grad = { g: vec(e.gradient), norm: fmt(e.gradNorm) };
  const gradient = b
    ? whole
      ? t('explain.text.gradientWhole', { ...grad, rows: b.rows, epoch: b.epoch })
      : t('explain.text.gradientBatch', { ...grad, index: b.index, batches: b.batches, epoch: b.epoch, count: b.size })
    : t('explain.text.gradientFunction', { ...grad, p: vec(e.before) });
  lines.push({ label: t('explain.label.gradient'), text: gradient });
  let g = e.gradient;
  if (e.clip) {
    if (e.clip.coef < 1) {
      g = g.map((v) => v * e.clip!.coef);
      lines.push({ label: t('explain.label.clipping'), text: t('explain.text.clipped', { norm: fmt(e.gradNorm), max: fmt(e.clip.maxNorm), coef: fmt(e.clip.coef), g: vec(g) }) });
    } else lines.push({ label: t('explain.label.clipping'), text: t('explain.text.notClipped', { norm: fmt(e.gradNorm), max: fmt(e.clip.maxNorm) }) });
  }
  if (h.maximize === true) lines.push({ label: t('explain.label.maximize'), text: t('explain.text.maximize') });
  const wd = num(h, 'weight_decay');
  const decoupled = e.optimizer === 'adamw' || h.decoupled_weight_decay === true;
  if (wd > 0) {
    lines.push(
      decoupled
        ? { label: t('explain.label.weightDecay'), text: t('explain.text.decoupled', { wd: fmt(wd), factor: fmt(1 - e.lr * wd) }) }
        : { label: t('explain.label.weightDecay'), text: `g ← g + ${fmt(wd)}·p = ${vec(g.map((v, k) => v + wd * e.before[k]))}` },
    );
  }
  lines.push({
    label: t('explain.label.learningRate'),
    text:
      e.lr === e.baseLr || !ctx.schedule
        ? ctx.schedule
          ? t('explain.text.lrWithSchedule', { lr: fmt(e.lr), schedule: ctx.schedule })
          : `lr = ${fmt(e.lr)}`
        : t('explain.text.lrScheduled', { schedule: ctx.schedule, lr: fmt(e.lr), base: fmt(e.baseLr) }),
  });
  lines.push(...ruleLines(e, g));
  lines.push({ label: t('explain.label.update'), text: `Δp = ${vec(e.after.map((v, k) => v - e.before[k]))}; p: ${vec(e.before)} → ${vec(e.after)}` });
  const what = b ? (whole ? t('explain.text.whatTraining') : t('explain.text.whatBatch')) : 'f';
  const change = e.valueAfter - e.value;
  const result = { what, from: fmt(e.value), to: fmt(e.valueAfter), amount: fmt(Math.abs(change)) };
  lines.push({ label: t('explain.label.result'), text: change <= 0 ? t('explain.text.resultDown', result) : t('explain.text.resultUp', result) });
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
        out.push({ label: t('explain.label.rule'), text: t('explain.text.plainRule', { p: vec(e.before), lr: fmt(e.lr), g: vec(g) }) });
        break;
      }
      const first = !e.stateBefore.momentum_buffer || e.t === 1;
      out.push({
        label: t('explain.label.momentum'),
        text: first
          ? t('explain.text.firstMomentum', { buf: vec(after.momentum_buffer ?? []) })
          : `buf ← ${fmt(mu)}·buf + ${fmt(1 - num(h, 'dampening'))}·g = ${fmt(mu)}·${vec(e.stateBefore.momentum_buffer)} + … = ${vec(after.momentum_buffer ?? [])}`,
      });
      out.push({ label: t('explain.label.rule'), text: h.nesterov === true ? `Nesterov: p ← p − lr·(g + ${fmt(mu)}·buf)` : t('explain.text.velocity') });
      break;
    }
    case 'adam':
    case 'adamw': {
      const [b1, b2] = Array.isArray(h.betas) ? (h.betas as number[]) : [0.9, 0.999];
      out.push({ label: t('explain.label.firstMoment'), text: `m ← ${fmt(b1)}·m + ${fmt(1 - b1)}·g = ${vec(after.exp_avg ?? [])}` });
      out.push({ label: t('explain.label.secondMoment'), text: `v ← ${fmt(b2)}·v + ${fmt(1 - b2)}·g² = ${vec(after.exp_avg_sq ?? [])}` });
      out.push({
        label: t('explain.label.biasCorrection'),
        text: t('explain.text.biasCorrection', { t: e.t, c1: fmt(1 - b1 ** e.t), c2: fmt(1 - b2 ** e.t) }),
      });
      if (h.amsgrad === true) out.push({ label: 'AMSGrad', text: t('explain.text.amsgrad', { v: vec(after.max_exp_avg_sq ?? []) }) });
      out.push({ label: t('explain.label.rule'), text: t('explain.text.adamRule', { eps: fmt(num(h, 'eps')) }) });
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
    if (gradient === 0) reading = delta === 0 ? t('explain.reading.zeroStays', { name }) : t('explain.reading.zeroMoves', { name });
    else {
      const sign = gradient > 0 ? t('explain.reading.positive') : t('explain.reading.negative');
      const up = downhill > 0;
      if (delta === 0) reading = up ? t('explain.reading.stuckIncrease', { sign, name }) : t('explain.reading.stuckDecrease', { sign, name });
      else if (Math.sign(delta) === Math.sign(downhill)) reading = up ? t('explain.reading.movedIncrease', { sign, name }) : t('explain.reading.movedDecrease', { sign, name });
      else reading = up ? t('explain.reading.againstIncrease', { sign, name }) : t('explain.reading.againstDecrease', { sign, name });
    }
    return { name, before, gradient, delta, after: e.after[k], reading };
  });
}

/** A run's schedule and warm-up in words, or null when its rate is constant. */
export function scheduleWords(run: Pick<RunSettings, 'schedule' | 'warmup'>): string | null {
  const s = run.schedule;
  let schedule: string | null = null;
  if (s?.type === 'step') schedule = t('explain.schedule.step', { gamma: fmt(s.gamma), steps: s.step_size });
  else if (s?.type === 'exponential') schedule = t('explain.schedule.exponential', { gamma: fmt(s.gamma) });
  else if (s?.type === 'cosine') schedule = t('explain.schedule.cosine', { min: fmt(s.eta_min), steps: s.T_max });
  else if (s?.type === 'inverse_time') schedule = t('explain.schedule.inverseTime', { decay: fmt(s.decay) });
  const warmup = run.warmup ? t('explain.schedule.warmup', { steps: run.warmup.warmup_steps, factor: fmt(run.warmup.start_factor) }) : null;
  if (schedule && warmup) return t('explain.schedule.withWarmup', { schedule, warmup });
  return schedule ?? warmup;
}
