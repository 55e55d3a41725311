/**
 * The run loop for a formula compiled together with its optimizer: one
 * generated function that takes up to `maxUpdates` steps of Run.advance with
 * every parameter, gradient entry and optimizer state entry in a local
 * variable. It performs the same floating-point operations in the same order
 * as the step-by-step loop (formula instructions from engine/formula/ir.ts,
 * the update from the optimizer's FusedRule), so the two agree bit for bit;
 * only the calls and array traffic between them are gone.
 *
 * The loop stops early, handing the step back to Run, whenever a stopping
 * rule might fire (Run decides which), so every message and bracket comes
 * from the one place that words them. The source is built from the fixed
 * templates here, the formula's instruction list (as in backends.ts) and the
 * optimizer's FusedRule; numbers reach it only through the arrays passed in.
 */
import { functionHeader, functionTable, instructionSource } from '../formula/backends';
import type { FusionSource } from '../formula/compile';
import type { Hyperparameters, OptimizerDefinition, OptimizerState } from '../optim/types';
import type { History } from './history';
import { powInt, powReal } from '../math/libm';
import { scaledNorm } from '../optim/clip';

/** Run's loop registers, shared with the fused loop through a Float64Array. */
export const REG = { step: 0, value: 1, gradNorm: 2, lr: 3, prevValue: 4, prevSlope: 5, prevX: 6, mayStop: 7 } as const;
/** Run's fixed limits: divergence bound, gradTol, fTol, maxSteps, clipNorm. */
export const LIMIT = { bound: 0, gradTol: 1, fTol: 2, maxSteps: 3, clipNorm: 4 } as const;

export type FusedAdvance = (
  P: Float64Array,
  G: Float64Array,
  B: Float64Array[],
  state: OptimizerState,
  R: Float64Array,
  L: Float64Array,
  H: Float64Array,
  history: History,
  rateAt: (step: number) => number,
  maxUpdates: number,
) => number;

export interface LoopShape {
  clipping: boolean;
  scheduled: boolean;
  fTol: boolean;
  signChange: boolean;
}

export interface FusedLoop {
  advance: FusedAdvance;
  /** The hyperparameter numbers `advance` takes as H, in the order its code reads them. */
  numbers(h: Hyperparameters): Float64Array;
}

/** Formulas with more variables or instructions than this run step by step: the unrolled loop would be too large. */
const MAX_VARIABLES = 64;
const MAX_INSTRUCTIONS = 4000;
const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

const cache = new WeakMap<FusionSource, Map<string, FusedLoop | null>>();

/**
 * The fused loop for this formula, optimizer variant and loop shape, compiled
 * once and cached with the formula; null where the formula is too large or the
 * optimizer has no fused form.
 */
export function fusedLoop(source: FusionSource, definition: OptimizerDefinition, h: Hyperparameters, state: OptimizerState, shape: LoopShape): FusedLoop | null {
  const rule = definition.fused;
  const n = source.gradRoots.length;
  if (!rule || n === 0 || n > MAX_VARIABLES) return null;
  const coupled = rule.coupled(h);
  const key = [definition.name, rule.variant(h), coupled, h.maximize === true, shape.clipping, shape.scheduled, shape.fTol, shape.signChange].join('|');
  let loops = cache.get(source);
  if (!loops) cache.set(source, (loops = new Map()));
  if (loops.has(key)) return loops.get(key) as FusedLoop | null;
  const loop = compileLoop(source, rule, h, state, shape, coupled);
  loops.set(key, loop);
  return loop;
}

function compileLoop(source: FusionSource, rule: NonNullable<OptimizerDefinition['fused']>, h: Hyperparameters, state: OptimizerState, shape: LoopShape, coupled: boolean): FusedLoop | null {
  const { program, valueRoot, gradRoots } = source;
  const n = gradRoots.length;
  const roots = [...gradRoots, valueRoot];
  const objective = instructionSource(program, roots, { variable: (i) => `p_${i}`, temp: (id) => `x${id}` }, '    ');
  if (objective.lines.length > MAX_INSTRUCTIONS) return null;
  const numbers = Object.keys(rule.numbers(h));
  const buffers = Object.keys(state.buffers);
  const scalars = Object.keys(state.scalars);
  for (const name of [...numbers, ...buffers, ...scalars]) if (!IDENTIFIER.test(name)) throw new Error(`Not a plain name: ${name}`);
  const each = (f: (i: number) => string, sep = ' '): string => Array.from({ length: n }, (_, i) => f(i)).join(sep);
  const eachBuffer = (f: (name: string, k: number) => string, sep = ' '): string => buffers.map(f).join(sep);

  const gradient = (i: number): string => {
    const g = shape.clipping ? `(coef < 1 ? g_${i} * coef : g_${i})` : `g_${i}`;
    const signed = h.maximize === true ? `-${g}` : g;
    return coupled ? `${signed} + h_weight_decay * p` : signed;
  };
  const element = (i: number): string => `      {
      let p = p_${i};
      const d = ${gradient(i)};
      ${eachBuffer((b, k) => `let ${b} = b${k}_${i};`)}
      ${rule.element(h)}
      p_${i} = p; ${eachBuffer((b, k) => `b${k}_${i} = ${b};`)}
      }`;
  const allFinite = each((i) => `p_${i} - p_${i} === 0`, ' && ');

  const body = `
  let ${each((i) => `p_${i} = P[${i}]`, ', ')};
  let ${each((i) => `g_${i} = G[${i}]`, ', ')};
  ${eachBuffer((b, k) => `const B${k} = B[${k}]; let ${each((i) => `b${k}_${i} = B${k}[${i}]`, ', ')};`, '\n  ')}
  ${numbers.map((name, k) => `const h_${name} = H[${k}];`).join(' ')}
  let t = state.t;
  const bcd = state.biasCorrectionDone;
  let bcDone0 = bcd[0], bcDone1 = bcd[1];
  ${scalars.map((s) => `let s_${s} = state.scalars.${s};`).join(' ')}
  let step = R[${REG.step}], value = R[${REG.value}], gradNorm = R[${REG.gradNorm}], lr = R[${REG.lr}];
  let prevValue = R[${REG.prevValue}], prevSlope = R[${REG.prevSlope}], prevX = R[${REG.prevX}];
  const bound = L[${LIMIT.bound}], gradTol = L[${LIMIT.gradTol}], fTol = L[${LIMIT.fTol}], maxSteps = L[${LIMIT.maxSteps}], clipNorm = L[${LIMIT.clipNorm}];
  // Steps to the next one the history keeps (a multiple of its stride): a countdown, not a division per step.
  let untilRecord = history.stride - (step % history.stride);
  let done = 0, mayStop = 0;
  while (done < maxUpdates) {
    ${shape.fTol ? 'prevValue = value;' : ''} ${shape.signChange ? 'prevSlope = g_0; prevX = p_0;' : ''}
    ${shape.clipping ? 'const coef = (1 / (gradNorm + 1e-6)) * clipNorm;' : ''}
    t += 1;
    {
    ${rule.perStep(h)}
${each(element, '\n')}
    }
    step += 1;
${objective.lines.join('\n')}
    value = ${objective.ref(valueRoot)};
    ${each((i) => `g_${i} = ${objective.ref(gradRoots[i])};`)}
    let sq = 0; ${each((i) => `sq += g_${i} * g_${i};`)}
    gradNorm = sq < Infinity && sq >= 2.2250738585072014e-308 ? Math.sqrt(sq) : scaledNorm([${each((i) => `g_${i}`, ', ')}]);
    done += 1;
    ${shape.scheduled ? 'lr = rateAt(step);' : ''}
    untilRecord -= 1;
    if (untilRecord === 0) {
      ${each((i) => `P[${i}] = p_${i};`)}
      if (history.gradients !== 0) { ${each((i) => `G[${i}] = g_${i};`)} }
      history.push(step, value, gradNorm, lr, P, G);
      untilRecord = history.stride - (step % history.stride);
    }
    if (!(Math.abs(value) <= bound && Math.abs(value) < Infinity && gradNorm > gradTol && gradNorm < Infinity && step < maxSteps && ${allFinite})) { mayStop = 1; break; }
    ${shape.fTol ? 'if (Math.abs(value - prevValue) <= fTol) { mayStop = 1; break; }' : ''}
    ${shape.signChange && n === 1 ? 'if (prevSlope * g_0 < 0) { mayStop = 1; break; }' : ''}
  }
  ${each((i) => `P[${i}] = p_${i}; G[${i}] = g_${i};`)}
  ${eachBuffer((b, k) => each((i) => `B${k}[${i}] = b${k}_${i};`), '\n  ')}
  state.t = t; bcd[0] = bcDone0; bcd[1] = bcDone1;
  ${scalars.map((s) => `state.scalars.${s} = s_${s};`).join(' ')}
  R[${REG.step}] = step; R[${REG.value}] = value; R[${REG.gradNorm}] = gradNorm; R[${REG.lr}] = lr;
  R[${REG.prevValue}] = prevValue; R[${REG.prevSlope}] = prevSlope; R[${REG.prevX}] = prevX; R[${REG.mayStop}] = mayStop;
  return done;`;
  const text = `${functionHeader(program).join('\n')}\nconst powInt = O.powInt, powReal = O.powReal, scaledNorm = O.scaledNorm;\nreturn function fusedAdvance(P, G, B, state, R, L, H, history, rateAt, maxUpdates) {${body}\n};`;
  try {
    // Built only from the fixed templates above, the formula's instructions and the optimizer's fixed rule.
    const advance = new Function('F', 'O', text)(functionTable(program), { powInt, powReal, scaledNorm }) as FusedAdvance;
    return {
      advance,
      numbers: (given) => {
        const values = rule.numbers(given);
        return Float64Array.from(numbers, (name) => values[name]);
      },
    };
  } catch (error) {
    // A Content-Security-Policy that forbids generated code: the step-by-step loop serves instead.
    // Any other error is a broken template, and says so.
    if (error instanceof EvalError) return null;
    throw error;
  }
}
