// The built command: what `npm run build:cli` makes and what each command loads when it starts.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const metaPath = `${root}out/cli/meta.json`;

interface Meta {
  outputs: Record<string, { imports: Array<{ path: string; kind: string }>; inputs: Record<string, unknown>; entryPoint?: string }>;
}

/** Every input a file pulls in when it is imported, through static imports only (what loads at once). */
function staticInputs(meta: Meta, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return new Set();
  seen.add(file);
  const out = new Set(Object.keys(meta.outputs[file].inputs));
  for (const imp of meta.outputs[file].imports) {
    if (imp.kind !== 'import-statement' || !meta.outputs[imp.path]) continue;
    for (const i of staticInputs(meta, imp.path, seen)) out.add(i);
  }
  return out;
}

describe('the built gdlab command', () => {
  it('is built (npm test builds it first) and is what the gdlab launcher runs', () => {
    expect(existsSync(metaPath), 'out/cli is missing: npm run build:cli').toBe(true);
    const out = execFileSync(process.execPath, [`${root}engine/bin/gdlab.js`, 'gradient', '--expr', '2*x^2 + 6*z^2 + 7*m^3', '--at', '1,1,1', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).gradient).toEqual([4, 12, 21]);
    expect(readFileSync(`${root}engine/bin/gdlab.js`, 'utf8')).toMatch(/out\/cli\/gdlab\.mjs/);
  });

  it('loads no transpiler, and each command only what it uses', () => {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
    const file = (name: RegExp) => Object.keys(meta.outputs).find((f) => name.test(f) && f.endsWith('.mjs'))!;
    const all = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
    expect(all.some((i) => i.includes('node_modules/tsx/'))).toBe(false);
    const start = staticInputs(meta, file(/out\/cli\/gdlab\.mjs$/));
    // --help and the usage: the help texts and the dispatcher, nothing of the engine.
    expect([...start].filter((i) => i.startsWith('node_modules/'))).toEqual([]);
    const gradient = staticInputs(meta, file(/chunks\/gradient-/));
    const minimize = staticInputs(meta, file(/chunks\/minimize-/));
    for (const inputs of [gradient, minimize]) {
      expect([...inputs].some((i) => i.includes('node_modules/zod/')), 'zod (sessions and protocol checks)').toBe(false);
      expect([...inputs].some((i) => i.includes('node_modules/papaparse/')), 'papaparse (data files)').toBe(false);
      expect([...inputs].some((i) => i.includes('node_modules/mathjs/'))).toBe(true);
    }
    // mathjs: only the factories the formula layer creates (not, say, matrices or units).
    expect([...gradient].some((i) => /mathjs\/lib\/esm\/type\/matrix\//.test(i))).toBe(false);
    expect([...gradient].some((i) => /mathjs\/lib\/esm\/type\/unit\//.test(i))).toBe(false);
  });
});
