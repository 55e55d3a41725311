/**
 * The command line as people meet it: how long `gdlab` takes to start against `node -e 0`, how much
 * memory a call holds, and a whole `gdlab minimize` process (start-up included) against the
 * hand-written loop in a process of its own. Uses the built command (npm run build:cli).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { line, ratio } from './harness';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'engine/bin/gdlab.js');
const ROSENBROCK = '(1 - x)^2 + 100*(y - x^2)^2';

function wall(args: string[]): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

function median(args: string[], times = 9): number {
  const s = Array.from({ length: times }, () => wall(args).seconds).sort((a, b) => a - b);
  return s[Math.floor(times / 2)];
}

/** Peak resident memory of a process, in MiB, as GNU time reports it. */
function peakMiB(args: string[]): number | null {
  if (!existsSync('/usr/bin/time')) return null;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', cwd: root });
  const kib = Number(r.stderr.trim().split('\n').at(-1));
  return Number.isFinite(kib) ? kib / 1024 : null;
}

export async function benchCli(): Promise<void> {
  console.log('The gdlab command, whole processes');
  if (!existsSync(join(root, 'out/cli/gdlab.mjs'))) {
    line('built command', 'missing: run npm run build:cli first');
    return;
  }
  const gradient = [bin, 'gradient', '--expr', 'x^2 + 3*y^2', '--at', '1,2'];
  const node = median(['-e', '0']);
  const cli = median(gradient);
  const help = median([bin, '--help']);
  line('node -e 0', `${(node * 1000).toFixed(0)} ms`);
  line('gdlab --help', `${(help * 1000).toFixed(0)} ms`);
  line('gdlab gradient (one point)', `${(cli * 1000).toFixed(0)} ms`);
  ratio('gdlab gradient / node -e 0', cli / node, '≤ 5×');
  const rss = peakMiB(gradient);
  if (rss !== null) line('gdlab gradient peak resident memory', `${rss.toFixed(0)} MiB  (target ≤ 80 MiB)`);

  // 2e7 Adam steps: gdlab minimize against the hand-written loop, each a whole process.
  const dir = mkdtempSync(join(tmpdir(), 'gdlab-bench-'));
  const hand = join(dir, 'handLoop.mjs');
  await build({ entryPoints: [join(root, 'test/bench/handLoopMain.ts')], outfile: hand, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  const steps = 20_000_000;
  const best = (args: string[]) => [wall(args), wall(args)].sort((a, b) => a.seconds - b.seconds)[0];
  const byHand = best([hand, String(steps)]);
  const minimize = best([bin, 'minimize', '--expr', ROSENBROCK, '--start', '-1.5,2', '--optimizer', 'adam', '--lr', '0.001', '--steps', String(steps), '--grad-tol', '0', '--json']);
  const ours = JSON.parse(minimize.stdout).final.params as number[];
  const theirs = JSON.parse(byHand.stdout) as { x: number; y: number };
  line('hand-written loop, 2e7 steps, whole process', `${byHand.seconds.toFixed(2)} s`);
  line('gdlab minimize, 2e7 steps, whole process', `${minimize.seconds.toFixed(2)} s`);
  line('the two end on', ours[0] === theirs.x && ours[1] === theirs.y ? 'the same parameters, bit for bit' : `different parameters (${JSON.stringify(ours)} vs ${JSON.stringify(theirs)})`);
  ratio('gdlab minimize / hand-written (speed)', byHand.seconds / minimize.seconds, '≥ 0.7×');
}
