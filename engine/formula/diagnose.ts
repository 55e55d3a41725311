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
  /** The operation has numbers alone for operands (sqrt(−1)): f is undefined at every point. */
  everywhere?: boolean;
  /** The reason in words, e.g. "log of a negative number". */
  why: string;
  /** The reason as an id ("logNegative"), for an interface in another language. */
  whyId: string;
  /** The part of the formula, e.g. "log(x - 3)", and the values of its operands. */
  where: string;
  operands: number[];
}

const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));
const isWhole = (x: number): boolean => Number.isInteger(x);

/** Why an operation has no finite value: its id and its words. */
type Reason = [id: string, why: string];
const OVERFLOW: Reason = ['overflow', 'overflow'];

function reason(node: TapeNode, [a, b]: number[]): Reason {
  switch (node.op) {
    case 'log': case 'log2': case 'log10':
      return a < 0 ? ['logNegative', 'log of a negative number'] : a === 0 ? ['logZero', 'log of zero'] : OVERFLOW;
    case 'log1p':
      return a < -1 ? ['log1pBelow', 'log1p of a number below −1'] : a === -1 ? ['log1pMinusOne', 'log1p of −1 (log of zero)'] : OVERFLOW;
    case 'sqrt':
      return a < 0 ? ['sqrtNegative', 'square root of a negative number'] : OVERFLOW;
    case 'div':
      return b === 0 ? (a === 0 ? ['zeroByZero', 'zero divided by zero'] : ['divisionByZero', 'division by zero']) : OVERFLOW;
    case 'powS': case 'powT': {
      const c = node.op === 'powS' ? (node.param as number) : b;
      if (a < 0 && !isWhole(c)) return ['negativeFractionalPower', 'a negative number raised to a fractional power'];
      if (a === 0 && c < 0) return ['zeroNegativePower', 'zero raised to a negative power'];
      return OVERFLOW;
    }
    case 'asin': case 'acos':
      return Math.abs(a) > 1 ? [`${node.op}Outside`, `${node.op} of a number outside [−1, 1]`] : OVERFLOW;
    case 'acosh':
      return a < 1 ? ['acoshBelow', 'acosh of a number below 1'] : OVERFLOW;
    case 'atanh':
      return Math.abs(a) > 1 ? ['atanhOutside', 'atanh of a number outside [−1, 1]'] : Math.abs(a) === 1 ? ['atanhInfinite', `atanh of ${fmt(a)} (infinite)`] : OVERFLOW;
    case 'exp': case 'expm1': case 'sinh': case 'cosh': case 'mul': case 'add': case 'sub': case 'hypot':
      return OVERFLOW;
    default:
      return ['undefinedOperation', 'an undefined operation'];
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

function explain(node: TapeNode, operands: number[]): Undefinedness {
  const [whyId, why] = reason(node, operands);
  const where = node.source ? toText(node.source) : node.op;
  return whyId === 'overflow' ? { kind: 'overflow', why: 'overflow (a value too large for a double)', whyId, where, operands } : { kind: 'domain', why, whyId, where, operands };
}

function firstUndefined(tape: Tape, index: Map<TapeNode, number>, values: Float64Array, p: ArrayLike<number>): Undefinedness | null {
  // An operation on numbers alone without a finite value leaves f undefined at every point (sqrt(−1) + x).
  const fault = tape.faults?.[0];
  if (fault) return { ...explain(fault, fault.args.map((a) => a.constant as number)), everywhere: true };
  const valueOf = (v: Value): number => (v.constant !== undefined ? v.constant : v.variable !== undefined ? p[v.variable] : values[index.get(v.node as TapeNode) as number]);
  for (let k = 0; k < tape.nodes.length; k++) {
    if (Number.isFinite(values[k])) continue;
    const node = tape.nodes[k];
    const operands = node.args.map(valueOf);
    if (!operands.every(Number.isFinite)) continue;
    return explain(node, operands);
  }
  return null;
}

/** "log of a negative number in log(x - 3), whose operand is −2". */
export function describeUndefined(u: Undefinedness): string {
  const values = u.operands.map(fmt);
  return `${u.why} in ${u.where}, ${values.length === 1 ? `whose operand is ${values[0]}` : `whose operands are ${values.join(' and ')}`}`;
}

/**
 * The values an interface words `describeUndefined` with in its language: the reason's id, where,
 * and the operands (one, or two as `a` and `b`).
 */
export function undefinedValues(u: Undefinedness): Record<string, string | number> {
  const values = u.operands.map(fmt);
  return { why: u.whyId, where: u.where, count: values.length, a: values[0] ?? '', b: values[1] ?? '' };
}
