/**
 * Where and why a formula is undefined at a point: the first operation of its
 * tape (in evaluation order) whose operands are finite but whose result is
 * not, with the reason in words ("log of a negative number") and the part of
 * the formula it computes. An overflow (a finite computation whose result is
 * too large for a double) is told apart from a point outside the domain.
 */
import { closureKernel } from './backends';
import { toText } from './derivative';
import type { ProgramBuilder } from './ir';
import type { Tape, TapeNode, Value } from './autograd';

export interface Undefinedness {
  /** 'domain': f has no value there (log of a negative number, 0/0, …); 'overflow': the value is too large for a double. */
  kind: 'domain' | 'overflow';
  /** The reason in words, e.g. "log of a negative number". */
  why: string;
  /** The part of the formula, e.g. "log(x - 3)", and the values of its operands. */
  where: string;
  operands: number[];
}

const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));
const isWhole = (x: number): boolean => Number.isInteger(x);

function reason(node: TapeNode, [a, b]: number[]): Undefinedness['why'] | 'overflow' {
  switch (node.op) {
    case 'log': case 'log2': case 'log10':
      return a < 0 ? 'log of a negative number' : a === 0 ? 'log of zero' : 'overflow';
    case 'log1p':
      return a < -1 ? 'log1p of a number below −1' : a === -1 ? 'log1p of −1 (log of zero)' : 'overflow';
    case 'sqrt':
      return a < 0 ? 'square root of a negative number' : 'overflow';
    case 'div':
      return b === 0 ? (a === 0 ? 'zero divided by zero' : 'division by zero') : 'overflow';
    case 'powS': case 'powT': {
      const c = node.op === 'powS' ? (node.param as number) : b;
      if (a < 0 && !isWhole(c)) return 'a negative number raised to a fractional power';
      if (a === 0 && c < 0) return 'zero raised to a negative power';
      return 'overflow';
    }
    case 'asin': case 'acos':
      return Math.abs(a) > 1 ? `${node.op} of a number outside [−1, 1]` : 'overflow';
    case 'acosh':
      return a < 1 ? 'acosh of a number below 1' : 'overflow';
    case 'atanh':
      return Math.abs(a) > 1 ? 'atanh of a number outside [−1, 1]' : Math.abs(a) === 1 ? `atanh of ${fmt(a)} (infinite)` : 'overflow';
    case 'exp': case 'expm1': case 'sinh': case 'cosh': case 'mul': case 'add': case 'sub': case 'hypot':
      return 'overflow';
    default:
      return 'an undefined operation';
  }
}

/** A function that evaluates the tape at p and explains its first undefined operation (null where f is defined). */
export function diagnosis(tape: Tape, builder: ProgramBuilder): (p: ArrayLike<number>) => Undefinedness | null {
  const ids = tape.nodes.map((n) => n.out.id);
  const kernel = closureKernel(builder.program(), { valueRoot: null, outputs: ids });
  const index = new Map(tape.nodes.map((n, k) => [n, k]));
  const values = new Float64Array(ids.length);
  return (p) => {
    kernel(Float64Array.from(p), values);
    return firstUndefined(tape, index, values, p);
  };
}

function firstUndefined(tape: Tape, index: Map<TapeNode, number>, values: Float64Array, p: ArrayLike<number>): Undefinedness | null {
  const valueOf = (v: Value): number => (v.constant !== undefined ? v.constant : v.variable !== undefined ? p[v.variable] : values[index.get(v.node as TapeNode) as number]);
  for (let k = 0; k < tape.nodes.length; k++) {
    if (Number.isFinite(values[k])) continue;
    const node = tape.nodes[k];
    const operands = node.args.map(valueOf);
    if (!operands.every(Number.isFinite)) continue;
    const why = reason(node, operands);
    const where = node.source ? toText(node.source) : node.op;
    return why === 'overflow' ? { kind: 'overflow', why: 'overflow (a value too large for a double)', where, operands } : { kind: 'domain', why, where, operands };
  }
  return null;
}

/** "log of a negative number in log(x - 3), whose operand is −2". */
export function describeUndefined(u: Undefinedness): string {
  const values = u.operands.map(fmt);
  return `${u.why} in ${u.where}, ${values.length === 1 ? `whose operand is ${values[0]}` : `whose operands are ${values.join(' and ')}`}`;
}
