/**
 * Two ways to run a Program. `generated` emits straight-line JavaScript and
 * compiles it with `new Function`: every token of that source comes from the
 * fixed templates below or from a number's own serialization, never from the
 * formula's text (variables are `p[i]`, functions are `F[k]` of a fixed table).
 * `closure` runs the same instructions as a list of closures over a register
 * file, for places where a Content-Security-Policy forbids generated code.
 * Both perform the same IEEE operations in the same order.
 */
import { implementation } from './functions';
import { COMPARE, COMPARISON_OPERATOR, reachable, type Program } from './ir';
import { pow } from '../math/libm';

/** Writes `outputs` into `out` (in order) and returns the value of `valueRoot` (NaN when none). */
export type Kernel = (p: Float64Array, out: Float64Array) => number;

export interface KernelSpec {
  valueRoot: number | null;
  outputs: readonly number[];
}

export function numberLiteral(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '(-Infinity)';
  if (Object.is(v, -0)) return '(-0)';
  const text = String(v);
  if (!/^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(text)) throw new Error(`Unexpected number serialization ${text}`);
  return v < 0 ? `(${text})` : text;
}

/** How generated code names a variable and an instruction's result. */
export interface Naming {
  variable(index: number): string;
  temp(id: number): string;
}

const KERNEL_NAMING: Naming = { variable: (index) => `p[${index}]`, temp: (id) => `t${id}` };

/**
 * The statements computing `roots` (and everything they depend on) in program
 * order, one `const` per instruction; `ref` gives the expression for an id
 * (a literal for constants, the temporary's name otherwise).
 */
export function instructionSource(program: Program, roots: readonly number[], naming: Naming, indent = '  '): { lines: string[]; ref: (id: number) => string } {
  const ids = reachable(program, roots);
  const ins = program.instructions;
  const fnIndex = new Map(program.functions.map((name, k) => [name, k]));
  const ref = (id: number): string => {
    const i = ins[id];
    return i.op === 'const' ? numberLiteral(i.value) : naming.temp(id);
  };
  const lines: string[] = [];
  for (const id of ids) {
    const i = ins[id];
    let expr: string;
    switch (i.op) {
      case 'const':
        continue;
      case 'var':
        expr = naming.variable(i.index);
        break;
      case 'add':
        expr = `${ref(i.a)} + ${ref(i.b)}`;
        break;
      case 'sub':
        expr = `${ref(i.a)} - ${ref(i.b)}`;
        break;
      case 'mul':
        expr = `${ref(i.a)} * ${ref(i.b)}`;
        break;
      case 'div':
        expr = `${ref(i.a)} / ${ref(i.b)}`;
        break;
      case 'pow':
        expr = `pow(${ref(i.a)}, ${ref(i.b)})`;
        break;
      case 'sq':
        expr = `${ref(i.a)} * ${ref(i.a)}`;
        break;
      case 'cube':
        expr = `${ref(i.a)} * ${ref(i.a)} * ${ref(i.a)}`;
        break;
      case 'neg':
        expr = `-${ref(i.a)}`;
        break;
      case 'call':
        expr = `f${fnIndex.get(i.fn)}(${i.args.map(ref).join(', ')})`;
        break;
      case 'sel':
        expr = `${ref(i.args[0])} ${COMPARISON_OPERATOR[i.cmp]} ${ref(i.args[1])} ? ${ref(i.args[2])} : ${ref(i.args[3])}`;
        break;
    }
    lines.push(`${indent}const ${naming.temp(id)} = ${expr};`);
  }
  return { lines, ref };
}

/**
 * The lines that bind `pow` and the program's functions (`f0`, `f1`, … from the table F) for generated
 * code: the engine's own (../math/libm.ts), C's pow among them, never the JavaScript engine's Math.
 */
export function functionHeader(program: Program): string[] {
  return ['"use strict";', `const pow = F[${program.functions.length}];`, ...program.functions.map((_, k) => `const f${k} = F[${k}];`)];
}

/** The implementations behind `functionHeader`'s table F, in the same order, then pow. */
export function functionTable(program: Program): Array<(...args: number[]) => number> {
  return [...program.functions.map(implementation), pow];
}

export function generateSource(program: Program, spec: KernelSpec): string {
  const roots = spec.valueRoot === null ? [...spec.outputs] : [spec.valueRoot, ...spec.outputs];
  const { lines, ref } = instructionSource(program, roots, KERNEL_NAMING);
  spec.outputs.forEach((id, k) => lines.push(`  out[${k}] = ${ref(id)};`));
  lines.push(`  return ${spec.valueRoot === null ? 'NaN' : ref(spec.valueRoot)};`);
  return `${functionHeader(program).join('\n')}\nreturn function kernel(p, out) {\n${lines.join('\n')}\n};`;
}

export function generatedKernel(program: Program, spec: KernelSpec): Kernel {
  const source = generateSource(program, spec);
  // The source is built only from the fixed templates above.
  return new Function('F', source)(functionTable(program)) as Kernel;
}

export function closureKernel(program: Program, spec: KernelSpec): Kernel {
  const roots = spec.valueRoot === null ? [...spec.outputs] : [spec.valueRoot, ...spec.outputs];
  const ids = reachable(program, roots);
  const r = new Float64Array(program.instructions.length);
  const steps: Array<(p: Float64Array) => void> = [];
  for (const id of ids) {
    const i = program.instructions[id];
    switch (i.op) {
      case 'const':
        r[id] = i.value;
        break;
      case 'var': {
        const k = i.index;
        steps.push((p) => { r[id] = p[k]; });
        break;
      }
      case 'add': { const { a, b } = i; steps.push(() => { r[id] = r[a] + r[b]; }); break; }
      case 'sub': { const { a, b } = i; steps.push(() => { r[id] = r[a] - r[b]; }); break; }
      case 'mul': { const { a, b } = i; steps.push(() => { r[id] = r[a] * r[b]; }); break; }
      case 'div': { const { a, b } = i; steps.push(() => { r[id] = r[a] / r[b]; }); break; }
      case 'pow': { const { a, b } = i; steps.push(() => { r[id] = pow(r[a], r[b]); }); break; }
      case 'sq': { const { a } = i; steps.push(() => { r[id] = r[a] * r[a]; }); break; }
      case 'cube': { const { a } = i; steps.push(() => { r[id] = r[a] * r[a] * r[a]; }); break; }
      case 'neg': { const { a } = i; steps.push(() => { r[id] = -r[a]; }); break; }
      case 'call': {
        const f = implementation(i.fn);
        const args = i.args;
        if (args.length === 1) {
          const [a] = args;
          steps.push(() => { r[id] = f(r[a]); });
        } else if (args.length === 2) {
          const [a, b] = args;
          steps.push(() => { r[id] = f(r[a], r[b]); });
        } else {
          steps.push(() => { r[id] = f(...args.map((a) => r[a])); });
        }
        break;
      }
      case 'sel': {
        const [a, b, x, y] = i.args;
        const compare = COMPARE[i.cmp];
        steps.push(() => { r[id] = compare(r[a], r[b]) ? r[x] : r[y]; });
        break;
      }
    }
  }
  const outputs = [...spec.outputs];
  const valueRoot = spec.valueRoot;
  return (p, out) => {
    for (let s = 0; s < steps.length; s++) steps[s](p);
    for (let k = 0; k < outputs.length; k++) out[k] = r[outputs[k]];
    return valueRoot === null ? NaN : r[valueRoot];
  };
}

/** True when this environment lets us compile generated code (a CSP may forbid it). */
export function canGenerateCode(): boolean {
  try {
    return new Function('return 1')() === 1;
  } catch {
    return false;
  }
}
