#!/usr/bin/env node
// Launcher of the `gdlab` command: the built command (out/cli/gdlab.mjs, made by `npm run build:cli`,
// which `npm ci` and `npm test` run), or, in a checkout where it has not been built, the TypeScript
// sources through tsx's loader. GDLAB_FROM_SOURCE=1 forces the sources.
import { existsSync } from 'node:fs';

const built = new URL('../../out/cli/gdlab.mjs', import.meta.url);
if (existsSync(built) && !process.env.GDLAB_FROM_SOURCE) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/index.ts');
}
