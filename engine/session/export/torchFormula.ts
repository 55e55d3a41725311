/**
 * A formula as PyTorch code, emitted from the same whitelisted instruction list
 * the JavaScript backends run: every token comes from the fixed table below or
 * from a number's own serialization, never from the formula's text. Variables
 * are whatever expressions the caller maps them to (`p[0]`, `X[:, 1]`, …).
 */
import { parseFormula } from '../../formula/parse';
import { ProgramBuilder, reachable } from '../../formula/ir';

/** Python templates: %0, %1, … are the arguments. */
const TORCH: Record<string, (args: string[]) => string> = {
  sin: (a) => `torch.sin(${a[0]})`,
  cos: (a) => `torch.cos(${a[0]})`,
  tan: (a) => `torch.tan(${a[0]})`,
  sec: (a) => `1 / torch.cos(${a[0]})`,
  csc: (a) => `1 / torch.sin(${a[0]})`,
  cot: (a) => `1 / torch.tan(${a[0]})`,
  asin: (a) => `torch.asin(${a[0]})`,
  acos: (a) => `torch.acos(${a[0]})`,
  atan: (a) => `torch.atan(${a[0]})`,
  sinh: (a) => `torch.sinh(${a[0]})`,
  cosh: (a) => `torch.cosh(${a[0]})`,
  tanh: (a) => `torch.tanh(${a[0]})`,
  sech: (a) => `1 / torch.cosh(${a[0]})`,
  csch: (a) => `1 / torch.sinh(${a[0]})`,
  coth: (a) => `1 / torch.tanh(${a[0]})`,
  asec: (a) => `torch.acos(1 / ${a[0]})`,
  acsc: (a) => `torch.asin(1 / ${a[0]})`,
  acot: (a) => `torch.atan(1 / ${a[0]})`,
  asinh: (a) => `torch.asinh(${a[0]})`,
  acosh: (a) => `torch.acosh(${a[0]})`,
  atanh: (a) => `torch.atanh(${a[0]})`,
  asech: (a) => `torch.acosh(1 / ${a[0]})`,
  acsch: (a) => `torch.asinh(1 / ${a[0]})`,
  acoth: (a) => `torch.atanh(1 / ${a[0]})`,
  exp: (a) => `torch.exp(${a[0]})`,
  expm1: (a) => `torch.expm1(${a[0]})`,
  log: (a) => (a.length === 1 ? `torch.log(${a[0]})` : `torch.log(${a[0]}) / torch.log(${a[1]})`),
  log10: (a) => `torch.log10(${a[0]})`,
  log2: (a) => `torch.log2(${a[0]})`,
  log1p: (a) => `torch.log1p(${a[0]})`,
  sqrt: (a) => `torch.sqrt(${a[0]})`,
  cbrt: (a) => `torch.sign(${a[0]}) * torch.abs(${a[0]}) ** (1 / 3)`,
  abs: (a) => `torch.abs(${a[0]})`,
  sign: (a) => `torch.sign(${a[0]})`,
  atan2: (a) => `torch.atan2(${a[0]}, ${a[1]})`,
  hypot: (a) => a.slice(1).reduce((acc, b) => `torch.hypot(${acc}, ${b})`, a[0]),
  min: (a) => `torch.minimum(${a[0]}, ${a[1]})`,
  max: (a) => `torch.maximum(${a[0]}, ${a[1]})`,
  sigmoid: (a) => `torch.sigmoid(${a[0]})`,
  softplus: (a) => `torch.nn.functional.softplus(${a[0]})`,
};

/** A float64 constant as a tensor: `K(…)` is defined by the script; the argument is the number's own text. */
export function pythonNumber(v: number): string {
  if (Number.isNaN(v)) return 'math.nan';
  if (v === Infinity) return 'math.inf';
  if (v === -Infinity) return '-math.inf';
  const text = Object.is(v, -0) ? '-0.0' : String(v);
  if (!/^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(text)) throw new Error(`Unexpected number serialization ${text}`);
  return text;
}

export interface TorchFormula {
  vars: string[];
  /** Straight-line Python statements, one per instruction. */
  lines: string[];
  /** The expression holding f. */
  result: string;
}

/**
 * `refer(i)` gives the Python expression of variable i (in `vars` order).
 * Temporaries are named `t<k>`.
 */
export function torchFormula(expr: string, vars: readonly string[] | undefined, refer: (index: number) => string): TorchFormula {
  const parsed = parseFormula(expr, vars ? { vars } : {});
  const builder = new ProgramBuilder(parsed.vars);
  const root = builder.add(parsed.tree);
  const { instructions } = builder.program();
  const ref = (id: number): string => {
    const i = instructions[id];
    return i.op === 'const' ? `K(${pythonNumber(i.value)})` : i.op === 'var' ? refer(i.index) : `t${id}`;
  };
  const lines: string[] = [];
  for (const id of reachable(builder.program(), [root])) {
    const i = instructions[id];
    let code: string;
    switch (i.op) {
      case 'const':
      case 'var':
        continue;
      case 'add':
        code = `${ref(i.a)} + ${ref(i.b)}`;
        break;
      case 'sub':
        code = `${ref(i.a)} - ${ref(i.b)}`;
        break;
      case 'mul':
        code = `${ref(i.a)} * ${ref(i.b)}`;
        break;
      case 'div':
        code = `${ref(i.a)} / ${ref(i.b)}`;
        break;
      case 'pow':
        code = `${ref(i.a)} ** ${ref(i.b)}`;
        break;
      case 'sq':
        code = `${ref(i.a)} * ${ref(i.a)}`;
        break;
      case 'cube':
        code = `${ref(i.a)} * ${ref(i.a)} * ${ref(i.a)}`;
        break;
      case 'neg':
        code = `-${ref(i.a)}`;
        break;
      case 'call': {
        const template = TORCH[i.fn];
        if (!template) throw new RangeError(`The function ${i.fn} has no PyTorch counterpart in the export`);
        code = template(i.args.map(ref));
        break;
      }
      case 'ifle':
        code = `torch.where(${ref(i.args[0])} <= ${ref(i.args[1])}, ${ref(i.args[2])}, ${ref(i.args[3])})`;
        break;
    }
    lines.push(`t${id} = ${code}`);
  }
  return { vars: [...parsed.vars], lines, result: ref(root) };
}
