/**
 * Peak memory of the engine process over a 10,000,000-step run (Adam on Rosenbrock), beside the same
 * process idle, measured in this run. The history thins itself to at most 65,536 rows, so the peak
 * must not grow with the run's length: the ceiling is 64 MiB above the idle process (which, forked
 * here through the TypeScript loader, is far larger than the bundled engine of the app).
 */
import { readFileSync } from 'node:fs';
import { forkEngine } from '../../engine/host/nodeClient';
import { runSettings } from '../../engine/spec/run';
import type { RunUpdate } from '../../engine/host/protocol';
import { line } from './harness';

const CEILING_MIB = 64;

function residentKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

async function peakFor(steps: number): Promise<{ idle: number | null; peak: number | null; rows: number; seconds: number }> {
  const engine = forkEngine();
  await engine.ready;
  const pid = engine.child.pid as number;
  await engine.client.request('catalog', {});
  const idle = residentKiB(pid, 'VmRSS');
  let done = false;
  engine.client.onProgress((updates: RunUpdate[]) => {
    if (updates.some((u) => u.status === 'max_steps')) done = true;
  });
  const t0 = performance.now();
  await engine.client.request('createRun', { runId: 'long', problem: { kind: 'function', expr: '(1 - x)^2 + 100*(y - x^2)^2' }, settings: runSettings({ start: [-1.5, 2], optimizer: { name: 'adam', lr: 0.001 }, stop: { maxSteps: steps } }) });
  await engine.client.request('start', { runIds: ['long'] });
  while (!done) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t0) / 1000;
  const history = await engine.client.request('history', { runId: 'long' });
  const peak = residentKiB(pid, 'VmHWM');
  engine.child.kill();
  return { idle, peak, rows: history.rows.length / history.width, seconds };
}

export async function benchMemory(): Promise<void> {
  console.log('Engine memory over a long run (Adam on Rosenbrock, one engine process each)');
  const short = await peakFor(100_000);
  const long = await peakFor(10_000_000);
  const mib = (kib: number | null) => (kib === null ? 'n/a (no /proc here)' : `${(kib / 1024).toFixed(1)} MiB`);
  line('engine process idle (baseline)', mib(long.idle));
  line('peak resident, 100,000 steps', `${mib(short.peak)} (${short.rows.toLocaleString('en')} history rows)`);
  line('peak resident, 10,000,000 steps', `${mib(long.peak)} (${long.rows.toLocaleString('en')} history rows, ${long.seconds.toFixed(1)} s)`);
  if (long.peak !== null && long.idle !== null) {
    line('peak / idle, 10,000,000 steps', `${(long.peak / long.idle).toFixed(2)}×`);
    const growth = (long.peak - long.idle) / 1024;
    line('growth over idle, 10,000,000 steps', `${growth.toFixed(1)} MiB (ceiling ${CEILING_MIB} MiB: ${growth <= CEILING_MIB ? 'met' : 'NOT met'})`);
  }
}
