/**
 * The value and gradient of a formula, computed the way PyTorch's autograd
 * computes them in float64, so that the two agree bit for bit wherever both
 * use IEEE arithmetic (+ − × ÷ √ and the integer-power kernels).
 *
 * The formula is first lowered to a tape of PyTorch operations, as the same
 * expression written in Python with torch tensors would build it: numbers are
 * Python numbers (so `u ^ 2` is `pow(u, 2)` with its x·x kernel and
 * `2 * u` multiplies by a scalar), a number divided by an expression is a true
 * division (`torch.tensor(c) / u`), `c ^ u` is `torch.tensor(c) ** u`, n-ary
 * min, max and hypot nest the binary torch functions left to right, and the
 * functions torch lacks are their definitions (sec u = 1 / cos u, log(u, b) =
 * log u / log b, …). `tapeSource` prints the tape as that Python code.
 *
 * The backward pass then follows autograd's engine: it visits the operations
 * in the reverse of their creation order (the order autograd's ready queue
 * pops them in, every operation having one consumer), applies to each the
 * backward formula of PyTorch's derivatives.yaml, operand by operand, and sums
 * a variable's contributions in the order they arrive. Both passes are emitted
 * into the formula's instruction list (./ir.ts), which the backends compile to
 * straight-line code.
 *
 * Conventions where f is not differentiable are PyTorch's: |u|' = sign(u) (0 at
 * 0), min and max split the gradient equally between tied arguments, d(u^c) is
 * 0 where c = 0, and d(u^v)/dv is 0 where u = 0 and v ≥ 0.
 */
import type { FormulaNode, MathNode } from './math';
import { CONSTANTS } from './functions';
import { ProgramBuilder, type Comparison } from './ir';

type AnyNode = FormulaNode;

/** The PyTorch operations of the tape. `powS` has a Python-number exponent (`param`); `powT` a tensor one. */
export type TorchOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'neg' | 'powS' | 'powT'
  | 'sqrt' | 'exp' | 'log' | 'log2' | 'log10' | 'log1p' | 'expm1'
  | 'sin' | 'cos' | 'tan' | 'asin' | 'acos' | 'atan' | 'sinh' | 'cosh' | 'tanh' | 'asinh' | 'acosh' | 'atanh'
  | 'abs' | 'sign' | 'sigmoid' | 'softplus' | 'cbrt' | 'atan2' | 'hypot' | 'minimum' | 'maximum';

/** A value of the tape: a Python number, a variable, or the result of an operation. */
export interface Value {
  /** The instruction computing it. */
  id: number;
  /** Whether it depends on a variable being differentiated (PyTorch's requires_grad). */
  grad: boolean;
  /** For a Python number: its value. */
  constant?: number;
  /** For a variable: its index in the formula's variables. */
  variable?: number;
  /** For an operation's result. */
  node?: TapeNode;
}

export interface TapeNode {
  op: TorchOp;
  args: Value[];
  /** The exponent of `powS`. */
  param?: number;
  out: Value;
  /** The part of the formula the operation computes (a function torch lacks lowers to several operations). */
  source?: MathNode;
}

export interface Tape {
  root: Value;
  /** Every operation on tensors, in creation order (Python's evaluation order). */
  nodes: TapeNode[];
  /** Operations on numbers alone that have no finite value (sqrt(−1)): f is undefined everywhere, and these say why. */
  faults?: TapeNode[];
}

const UNARY = new Set<string>(['sqrt', 'exp', 'log', 'log2', 'log10', 'log1p', 'expm1', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'abs', 'sign', 'sigmoid', 'softplus', 'cbrt']);
/** Functions torch lacks, as 1 / g(u). */
const RECIPROCAL_OF: Record<string, TorchOp> = { sec: 'cos', csc: 'sin', cot: 'tan', sech: 'cosh', csch: 'sinh', coth: 'tanh' };
/** Functions torch lacks, as g(1 / u). */
const OF_RECIPROCAL: Record<string, TorchOp> = { asec: 'acos', acsc: 'asin', acot: 'atan', asech: 'acosh', acsch: 'asinh', acoth: 'atanh' };
const PAIRWISE: Record<string, TorchOp> = { min: 'minimum', max: 'maximum', hypot: 'hypot', atan2: 'atan2' };
const CALL_NAME: Partial<Record<TorchOp, string>> = { minimum: 'min', maximum: 'max' };

/** Builds the tape of a formula, emitting its forward instructions into `builder`. */
export class TapeBuilder {
  readonly nodes: TapeNode[] = [];
  readonly faults: TapeNode[] = [];

  constructor(
    readonly builder: ProgramBuilder,
    private readonly vars: readonly string[],
    /** Indices (into vars) of the variables to differentiate. */
    private readonly wrt: ReadonlySet<number>,
  ) {}

  constant(value: number): Value {
    return { id: this.builder.constant(value), grad: false, constant: value };
  }

  /** torch's pow(u, c) for a Python number c: its kernels special-case these exponents. */
  powScalarId(a: number, c: number): number {
    const b = this.builder;
    if (c === 0) return b.constant(1);
    if (c === 1) return a;
    if (c === 0.5) return b.call('sqrt', [a]);
    if (c === -0.5) return b.binary('div', b.constant(1), b.call('sqrt', [a]));
    if (c === -1) return b.binary('div', b.constant(1), a);
    if (c === -2) return b.binary('div', b.constant(1), b.binary('pow', a, b.constant(2)));
    // 2 and 3 become u·u and u·u·u in ProgramBuilder, as in torch's kernel.
    return b.binary('pow', a, b.constant(c));
  }

  private forward(op: TorchOp, args: Value[], param?: number): number {
    const b = this.builder;
    const [x, y] = args.map((v) => v.id);
    switch (op) {
      case 'add': case 'sub': case 'mul': case 'div':
        return b.binary(op, x, y);
      case 'powT':
        return b.binary('pow', x, y);
      case 'powS':
        return this.powScalarId(x, param as number);
      case 'neg':
        return b.neg(x);
      case 'atan2': case 'hypot': case 'minimum': case 'maximum':
        return b.call(CALL_NAME[op] ?? op, [x, y]);
      default:
        return b.call(op, [x]);
    }
  }

  /** Applies a torch operation; operations on Python numbers alone are folded, as Python would compute them. */
  apply(op: TorchOp, args: Value[], param?: number): Value {
    const id = this.forward(op, args, param);
    if (args.every((a) => a.constant !== undefined)) {
      const value = this.builder.instructions[id];
      if (value.op !== 'const') throw new Error(`Operation ${op} on numbers did not fold`);
      const out: Value = { id, grad: false, constant: value.value };
      // Numbers with no finite result from finite ones (sqrt(−1), log(0)): kept to say why f is undefined.
      if (!Number.isFinite(value.value) && args.every((a) => Number.isFinite(a.constant))) this.faults.push({ op, args, out, ...(param !== undefined ? { param } : {}) });
      return out;
    }
    const out: Value = { id, grad: args.some((a) => a.grad) };
    const node: TapeNode = { op, args, out, ...(param !== undefined ? { param } : {}) };
    out.node = node;
    this.nodes.push(node);
    return out;
  }

  variable(index: number): Value {
    return { id: this.builder.variable(index), grad: this.wrt.has(index), variable: index };
  }

  binary(op: 'add' | 'sub' | 'mul' | 'div', a: Value, b: Value): Value {
    return this.apply(op, [a, b]);
  }

  pow(a: Value, b: Value): Value {
    if (b.constant !== undefined && a.constant === undefined) return this.apply('powS', [a], b.constant);
    return this.apply('powT', [a, b]);
  }

  /** Lowers a whitelisted, normalized mathjs tree. */
  add(node: MathNode): Value {
    const n = node as AnyNode;
    if (n.type !== 'OperatorNode' && n.type !== 'FunctionNode') return this.lower(n);
    const value = this.lower(n);
    // The operations made for this node (after its operands') are the ones still without a source.
    for (let i = this.nodes.length - 1; i >= 0 && !this.nodes[i].source; i--) this.nodes[i].source = node;
    for (let i = this.faults.length - 1; i >= 0 && !this.faults[i].source; i--) this.faults[i].source = node;
    return value;
  }

  private lower(n: AnyNode): Value {
    switch (n.type) {
      case 'ConstantNode':
        return this.constant(n.value as number);
      case 'SymbolNode': {
        const index = this.vars.indexOf(n.name);
        if (index >= 0) return this.variable(index);
        if (Object.hasOwn(CONSTANTS, n.name)) return this.constant(CONSTANTS[n.name]);
        throw new Error(`Unknown symbol ${n.name}`);
      }
      case 'ParenthesisNode':
        return this.add(n.content);
      case 'OperatorNode': {
        const args: Value[] = n.args.map((a: MathNode) => this.add(a));
        if (args.length === 1) return n.fn === 'unaryMinus' ? this.apply('neg', args) : args[0];
        const [a, b] = args;
        switch (n.fn) {
          case 'add': return this.binary('add', a, b);
          case 'subtract': return this.binary('sub', a, b);
          case 'multiply': return this.binary('mul', a, b);
          case 'divide': return this.binary('div', a, b);
          case 'pow': return this.pow(a, b);
          default: throw new Error(`Unsupported operator ${n.op}`);
        }
      }
      case 'FunctionNode': {
        const name: string = n.fn.name;
        const args: Value[] = n.args.map((a: MathNode) => this.add(a));
        const one = () => this.constant(1);
        if (Object.hasOwn(RECIPROCAL_OF, name)) return this.binary('div', one(), this.apply(RECIPROCAL_OF[name], args));
        if (Object.hasOwn(OF_RECIPROCAL, name)) return this.apply(OF_RECIPROCAL[name], [this.binary('div', one(), args[0])]);
        if (name === 'log' && args.length === 2) return this.binary('div', this.apply('log', [args[0]]), this.apply('log', [args[1]]));
        if (Object.hasOwn(PAIRWISE, name)) return args.slice(1).reduce((acc, b) => this.apply(PAIRWISE[name], [acc, b]), args[0]);
        if (UNARY.has(name)) return this.apply(name as TorchOp, args);
        throw new Error(`Unsupported function ${name}`);
      }
      default:
        throw new Error(`Unsupported node ${n.type}`);
    }
  }
}

/**
 * The gradient contributions of one operation to its operands (undefined for
 * an operand that needs none), in PyTorch's operation order; g is the
 * gradient arriving at the operation's result.
 */
function backward(b: ProgramBuilder, tape: TapeBuilder, node: TapeNode, g: number): Array<number | undefined> {
  const [x, y] = node.args.map((v) => v.id);
  const r = node.out.id;
  const k = (v: number) => b.constant(v);
  const mul = (p: number, q: number) => b.binary('mul', p, q);
  const div = (p: number, q: number) => b.binary('div', p, q);
  const add = (p: number, q: number) => b.binary('add', p, q);
  const sub = (p: number, q: number) => b.binary('sub', p, q);
  const neg = (p: number) => b.neg(p);
  const call = (fn: string, ...args: number[]) => b.call(fn, args);
  const sq = (p: number) => b.binary('pow', p, k(2));
  const rsqrt = (p: number) => div(k(1), call('sqrt', p));
  const sel = (cmp: Comparison, p: number, q: number, then: number, otherwise: number) => b.select(cmp, [p, q, then, otherwise]);
  switch (node.op) {
    case 'add': return [g, g];
    case 'sub': return [g, neg(g)];
    case 'mul': return [mul(g, y), mul(g, x)];
    case 'div': return [div(g, y), mul(neg(g), div(div(x, y), y))];
    case 'neg': return [neg(g)];
    case 'powS': {
      // pow_backward: grad · (c · u^(c−1)), the power by the same kernels; zero for c = 0.
      const c = node.param as number;
      return [c === 0 ? k(0) : mul(g, mul(k(c), tape.powScalarId(x, c - 1)))];
    }
    case 'powT': {
      // pow_backward_self and pow_backward_exponent.
      const base = sel('eq', y, k(0), k(0), mul(g, mul(y, b.binary('pow', x, sub(y, k(1))))));
      const logTerm = mul(r, call('log', x));
      const exponent = mul(g, sel('eq', x, k(0), sel('le', k(0), y, k(0), logTerm), logTerm));
      return [base, exponent];
    }
    case 'sqrt': return [div(g, mul(k(2), r))];
    case 'exp': return [mul(g, r)];
    case 'log': return [div(g, x)];
    case 'log2': return [div(g, mul(x, k(0.6931471805599453)))];
    case 'log10': return [div(g, mul(x, k(2.3025850929940456)))];
    case 'log1p': return [div(g, add(x, k(1)))];
    case 'expm1': return [mul(g, add(r, k(1)))];
    case 'sin': return [mul(g, call('cos', x))];
    case 'cos': return [mul(g, neg(call('sin', x)))];
    case 'tan': return [mul(g, add(k(1), sq(r)))];
    case 'asin': return [mul(g, rsqrt(add(mul(neg(x), x), k(1))))];
    case 'acos': return [mul(g, neg(rsqrt(add(mul(neg(x), x), k(1)))))];
    case 'atan': return [div(g, add(mul(x, x), k(1)))];
    case 'sinh': return [mul(g, call('cosh', x))];
    case 'cosh': return [mul(g, call('sinh', x))];
    case 'tanh': return [mul(g, sub(k(1), mul(r, r)))];
    case 'asinh': return [mul(g, rsqrt(add(sq(x), k(1))))];
    case 'acosh': return [mul(g, rsqrt(sub(sq(x), k(1))))];
    case 'atanh': return [div(mul(g, k(1)), sub(k(1), sq(x)))];
    case 'abs': return [mul(g, call('sign', x))];
    case 'sign': return [k(0)];
    case 'sigmoid': return [mul(mul(g, sub(k(1), r)), r)];
    case 'softplus': {
      const z = call('exp', x);
      return [sel('lt', k(20), x, g, div(mul(g, z), add(z, k(1))))];
    }
    case 'cbrt': return [div(g, mul(k(3), sq(r)))];
    case 'atan2': {
      const recip = div(k(1), add(mul(x, x), mul(y, y)));
      return [mul(mul(g, y), recip), mul(mul(g, neg(x)), recip)];
    }
    case 'hypot': return [div(mul(g, x), r), div(mul(g, y), r)];
    case 'minimum': case 'maximum': {
      // where(u == v, g/2, g), masked to 0 for the operand that is not the minimum (maximum).
      const shared = sel('eq', x, y, div(g, k(2)), g);
      const [first, second] = node.op === 'minimum' ? [sel('lt', y, x, k(0), shared), sel('lt', x, y, k(0), shared)] : [sel('lt', x, y, k(0), shared), sel('lt', y, x, k(0), shared)];
      return [first, second];
    }
  }
}

export interface Differentiated {
  tape: Tape;
  valueRoot: number;
  /** ∂f/∂v for each differentiated variable, in `wrt` order. */
  gradRoots: number[];
}

/**
 * Lowers `tree` into `builder` and differentiates it with respect to `wrt`
 * (names among `vars`) in reverse mode, as autograd does.
 */
export function differentiate(tree: MathNode, vars: readonly string[], wrt: readonly string[], builder: ProgramBuilder): Differentiated {
  const wrtIndex = wrt.map((v) => vars.indexOf(v));
  const tape = new TapeBuilder(builder, vars, new Set(wrtIndex));
  const root = tape.add(tree);
  const sums = new Map<number, number>();
  const arriving = new Map<TapeNode, number>();
  const deliver = (v: Value, contribution: number) => {
    if (v.variable !== undefined) {
      const sum = sums.get(v.variable);
      sums.set(v.variable, sum === undefined ? contribution : builder.binary('add', sum, contribution));
    } else if (v.node) {
      const sum = arriving.get(v.node);
      arriving.set(v.node, sum === undefined ? contribution : builder.binary('add', sum, contribution));
    }
  };
  if (root.grad) deliver(root, builder.constant(1));
  for (let i = tape.nodes.length - 1; i >= 0; i--) {
    const node = tape.nodes[i];
    const g = arriving.get(node);
    if (g === undefined || !node.out.grad) continue;
    const contributions = backward(builder, tape, node, g);
    node.args.forEach((arg, j) => {
      const c = contributions[j];
      if (arg.grad && c !== undefined) deliver(arg, c);
    });
  }
  const zero = builder.constant(0);
  return { tape: { root, nodes: tape.nodes, faults: tape.faults }, valueRoot: root.id, gradRoots: wrtIndex.map((i) => sums.get(i) ?? zero) };
}
