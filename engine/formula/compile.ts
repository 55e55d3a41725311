/**
 * From formula text to a compiled objective: the value and the gradient in one
 * call, `(p, g) => f(p)` writing ∇f(p) into g, both computed as PyTorch's
 * autograd computes them (./autograd.ts); plus value-only and Hessian kernels,
 * and the symbolic gradient as text and TeX for display (made on first use).
 */
import { FormulaError, parseFormula, type ParseOptions } from './parse';
import { gradientNodes, hessianNodes, toTex, toText } from './derivative';
import { differentiate, type Tape } from './autograd';
import { diagnosis, type Undefinedness } from './diagnose';
import { ProgramBuilder, type Program } from './ir';
import { canGenerateCode, closureKernel, generatedKernel, type Kernel, type KernelSpec } from './backends';
import type { MathNode } from './math';

export type Backend = 'generated' | 'closure';

export interface CompileOptions extends ParseOptions {
  /** `auto` (default) uses generated code where allowed, closures elsewhere. */
  backend?: Backend | 'auto';
  /** Differentiate with respect to these variables only, in this order (default: all). g then has their length. */
  wrt?: readonly string[];
}

/** f and ∇f at p in one call: returns f(p), writes ∇f(p) into g. */
export type ValueAndGradient = (p: Float64Array, g: Float64Array) => number;

export interface Objective {
  vars: readonly string[];
  valueAndGradient: ValueAndGradient;
  value: (p: Float64Array) => number;
  /**
   * The same in one buffer: ∇f(p) into out[0..n) and f(p) into out[n]. The run
   * loop uses it so that no number is returned from the compiled code: a double
   * returned from a call V8 does not inline is allocated, one per step.
   */
  evaluateInto?: (p: Float64Array, out: Float64Array) => void;
}

/**
 * The instructions behind f and ∇f, for the run loop to compile into one loop
 * with the optimizer (engine/run/fused.ts). Present only where generated code is allowed.
 */
export interface FusionSource {
  program: Program;
  valueRoot: number;
  gradRoots: readonly number[];
}

export interface CompiledFormula extends Objective {
  text: string;
  backend: Backend;
  /** Normalized formula as mathjs prints it. */
  expr: string;
  tex: string;
  /** The variables the gradient is taken with respect to (all of them unless `wrt` said otherwise). */
  wrt: readonly string[];
  /** ∂f/∂v for each variable, symbolic and simplified, as mathjs prints it (for display; made on first use). */
  readonly gradientExprs: string[];
  readonly gradientTex: string[];
  /** The PyTorch operations the value and gradient follow. */
  tape: Tape;
  /** Where and why f is undefined at p (its first operation without a finite value), or null. */
  diagnose(p: ArrayLike<number>): Undefinedness | null;
  /** Writes the n×n Hessian into H (row-major); compiled on first use. */
  hessian: (p: Float64Array, H: Float64Array) => void;
  fusion?: FusionSource;
}

let generationAllowed: boolean | undefined;

function chooseBackend(requested: CompileOptions['backend']): Backend {
  if (requested === 'generated' || requested === 'closure') return requested;
  generationAllowed ??= canGenerateCode();
  return generationAllowed ? 'generated' : 'closure';
}

function kernel(backend: Backend, builder: ProgramBuilder, spec: KernelSpec): Kernel {
  const program = builder.program();
  return backend === 'generated' ? generatedKernel(program, spec) : closureKernel(program, spec);
}

export function compileFormula(text: string, options: CompileOptions = {}): CompiledFormula {
  try {
    return compile(text, options);
  } catch (error) {
    // The depth limit keeps recursion shallow; should a smaller stack (a worker's) still overflow, say so plainly.
    if (error instanceof RangeError && /call stack/i.test(error.message)) throw new FormulaError('The formula is nested too deeply to compile; split it into simpler parts', 0);
    throw error;
  }
}

function compile(text: string, options: CompileOptions): CompiledFormula {
  const parsed = parseFormula(text, options);
  const vars = parsed.vars;
  const backend = chooseBackend(options.backend);
  const wrt = options.wrt ?? vars;
  for (const v of wrt) if (!vars.includes(v)) throw new Error(`Cannot differentiate with respect to ${v}: it is not a variable`);

  const builder = new ProgramBuilder(vars);
  const { tape, valueRoot, gradRoots } = differentiate(parsed.tree, vars, wrt, builder);
  const withGradient = kernel(backend, builder, { valueRoot, outputs: gradRoots });
  const into = kernel(backend, builder, { valueRoot: null, outputs: [...gradRoots, valueRoot] });
  const valueOnly = kernel(backend, builder, { valueRoot, outputs: [] });
  const none = new Float64Array(0);

  let symbolic: MathNode[] | undefined;
  const gradient = (): MathNode[] => (symbolic ??= gradientNodes(parsed.tree, wrt));
  let texts: { exprs: string[]; tex: string[] } | undefined;
  const display = () => (texts ??= { exprs: gradient().map(toText), tex: gradient().map(toTex) });

  let diagnoser: ((p: ArrayLike<number>) => Undefinedness | null) | undefined;

  let hessianKernel: Kernel | undefined;
  const n = wrt.length;
  const upper = new Float64Array((n * (n + 1)) / 2);
  const hessian = (p: Float64Array, H: Float64Array): void => {
    if (!hessianKernel) {
      const rows: MathNode[][] = hessianNodes(gradient(), wrt);
      const roots: number[] = [];
      rows.forEach((row, i) => row.forEach((entry, j) => { if (j >= i) roots.push(builder.add(entry)); }));
      hessianKernel = kernel(backend, builder, { valueRoot: null, outputs: roots });
    }
    hessianKernel(p, upper);
    let k = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        H[i * n + j] = upper[k];
        H[j * n + i] = upper[k];
        k++;
      }
    }
  };

  return {
    text,
    vars,
    wrt,
    backend,
    expr: toText(parsed.tree),
    tex: toTex(parsed.tree),
    get gradientExprs() {
      return display().exprs;
    },
    get gradientTex() {
      return display().tex;
    },
    tape,
    diagnose: (p) => (diagnoser ??= diagnosis(tape, builder))(p),
    valueAndGradient: withGradient,
    evaluateInto: (p, out) => {
      into(p, out);
    },
    value: (p) => valueOnly(p, none),
    hessian,
    ...(backend === 'generated' ? { fusion: { program: builder.program(), valueRoot, gradRoots } } : {}),
  };
}
