// npm run build:cli: bundles the `gdlab` command into out/cli (plain JavaScript for Node 20), so that
// no transpiler runs when it starts. Each command is its own chunk, loaded when it runs, and mathjs
// contributes only the factories the formula layer creates. `npm ci` runs this through `prepare`,
// and `npm test` runs it first, so the tests always exercise the command as built from the sources.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}out/cli`;
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { gdlab: 'engine/cli/index.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
// What each file holds and imports, for the test that keeps commands from loading what they do not use.
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`gdlab built: out/cli (${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB)`);
