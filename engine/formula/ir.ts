/**
 * A formula and its derivatives as one list of instructions with shared
 * subexpressions: identical subtrees (by structure) become one instruction, and
 * operations on constants are folded. Both compiled backends run this list, in
 * this order, with the same floating-point operations, so they agree exactly.
 */
import type { FormulaNode, MathNode } from './math';
import { CONSTANTS, IFLE, implementation } from './functions';
import { pow } from '../math/libm';

type AnyNode = FormulaNode;

export type Instruction =
  | { op: 'const'; value: number }
  | { op: 'var'; index: number }
  | { op: 'add' | 'sub' | 'mul' | 'div' | 'pow'; a: number; b: number }
  | { op: 'sq' | 'cube' | 'neg'; a: number }
  | { op: 'call'; fn: string; args: number[] }
  | { op: 'sel'; cmp: Comparison; args: [number, number, number, number] };

/** `sel` compares its first two arguments: `a cmp b ? x : y`. A comparison with NaN is false. */
export type Comparison = 'le' | 'lt' | 'eq';

export const COMPARE: Record<Comparison, (a: number, b: number) => boolean> = {
  le: (a, b) => a <= b,
  lt: (a, b) => a < b,
  eq: (a, b) => a === b,
};

/** The JavaScript operator of each comparison, for generated code. */
export const COMPARISON_OPERATOR: Record<Comparison, string> = { le: '<=', lt: '<', eq: '===' };

export interface Program {
  instructions: Instruction[];
  /** Names of the functions that `call` instructions use, in first-use order. */
  functions: string[];
}

export const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => pow(a, b),
};

export class ProgramBuilder {
  readonly instructions: Instruction[] = [];
  readonly functions: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly vars: readonly string[]) {}

  program(): Program {
    return { instructions: this.instructions, functions: this.functions };
  }

  private intern(key: string, make: () => Instruction): number {
    const found = this.index.get(key);
    if (found !== undefined) return found;
    const id = this.instructions.length;
    this.instructions.push(make());
    this.index.set(key, id);
    return id;
  }

  private constValue(id: number): number | undefined {
    const ins = this.instructions[id];
    return ins.op === 'const' ? ins.value : undefined;
  }

  constant(value: number): number {
    const key = Object.is(value, -0) ? 'c-0' : `c${value}`;
    return this.intern(key, () => ({ op: 'const', value }));
  }

  variable(index: number): number {
    return this.intern(`v${index}`, () => ({ op: 'var', index }));
  }

  binary(op: 'add' | 'sub' | 'mul' | 'div' | 'pow', a: number, b: number): number {
    const ca = this.constValue(a);
    const cb = this.constValue(b);
    if (ca !== undefined && cb !== undefined) return this.constant(BINARY[op](ca, cb));
    // Exact identities (for every double, NaN and ±0 included): 1·u = u·1 = u/1 = u.
    if ((op === 'mul' && cb === 1) || (op === 'div' && cb === 1)) return a;
    if (op === 'mul' && ca === 1) return b;
    // Small integer powers by multiplication: faster than pow, and u·u is exactly rounded like pow(u, 2).
    if (op === 'pow' && cb === 2) return this.intern(`sq ${a}`, () => ({ op: 'sq', a }));
    if (op === 'pow' && cb === 3) return this.intern(`cube ${a}`, () => ({ op: 'cube', a }));
    return this.intern(`${op} ${a} ${b}`, () => ({ op, a, b }));
  }

  neg(a: number): number {
    const ca = this.constValue(a);
    if (ca !== undefined) return this.constant(-ca);
    const ins = this.instructions[a];
    if (ins.op === 'neg') return ins.a;
    return this.intern(`neg ${a}`, () => ({ op: 'neg', a }));
  }

  call(fn: string, args: number[]): number {
    const consts = args.map((a) => this.constValue(a));
    if (consts.every((c) => c !== undefined)) return this.constant(implementation(fn)(...(consts as number[])));
    if (!this.functions.includes(fn)) this.functions.push(fn);
    return this.intern(`call ${fn} ${args.join(' ')}`, () => ({ op: 'call', fn, args }));
  }

  select(cmp: Comparison, args: [number, number, number, number]): number {
    const [a, b, x, y] = args.map((id) => this.constValue(id));
    if (a !== undefined && b !== undefined) return COMPARE[cmp](a, b) ? args[2] : args[3];
    if (args[2] === args[3] || (x !== undefined && y !== undefined && Object.is(x, y))) return args[2];
    return this.intern(`sel ${cmp} ${args.join(' ')}`, () => ({ op: 'sel', cmp, args }));
  }

  /** Add a (whitelisted, normalized) mathjs tree; returns the id of its result. */
  add(node: MathNode): number {
    const n = node as AnyNode;
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
        const args: number[] = n.args.map((a: MathNode) => this.add(a));
        if (args.length === 1) return n.fn === 'unaryMinus' ? this.neg(args[0]) : args[0];
        const op = ({ add: 'add', subtract: 'sub', multiply: 'mul', divide: 'div', pow: 'pow' } as const)[n.fn as string];
        if (!op) throw new Error(`Unsupported operator ${n.op}`);
        // mathjs may produce n-ary sums and products; fold left as written.
        return args.slice(1).reduce((acc, b) => this.binary(op, acc, b), args[0]);
      }
      case 'FunctionNode': {
        const args: number[] = n.args.map((a: MathNode) => this.add(a));
        if (n.fn.name === IFLE) return this.select('le', args as [number, number, number, number]);
        // n-ary min and max fold pairwise, left to right, as the gradient does.
        if ((n.fn.name === 'min' || n.fn.name === 'max') && args.length > 2) return args.slice(1).reduce((acc, b) => this.call(n.fn.name, [acc, b]), args[0]);
        return this.call(n.fn.name, args);
      }
      default:
        throw new Error(`Unsupported node ${n.type}`);
    }
  }
}

/** Ids of the instructions that `roots` depend on, in program order. */
export function reachable(program: Program, roots: readonly number[]): number[] {
  const marked = new Uint8Array(program.instructions.length);
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop() as number;
    if (marked[id]) continue;
    marked[id] = 1;
    const ins = program.instructions[id];
    if ('a' in ins) stack.push(ins.a);
    if ('b' in ins) stack.push(ins.b);
    if ('args' in ins) stack.push(...ins.args);
  }
  const out: number[] = [];
  for (let i = 0; i < marked.length; i++) if (marked[i]) out.push(i);
  return out;
}
