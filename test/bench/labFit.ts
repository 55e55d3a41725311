/**
 * A data fit as people run it: a generated 76,912 × 13 CSV, linear regression, SGD (lr 0.01) with
 * mini-batches of 64 for 5 epochs (6,010 updates), standardized, seed 1. Timed as a whole
 * `gdlab fit` process and in the lab (browser build, engine in a Web Worker, Debian's chromium)
 * from pressing Run to the run's end, with the page's long tasks meanwhile. Both must end on the
 * same training loss: it is the same fit.
 */
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Rng } from '../../engine/data/random';
import { loadDatasetFile } from '../../engine/data/file';
import { prepareData } from '../../engine/data/prepare';
import { buildModel } from '../../engine/model/models';
import { FitRun } from '../../engine/run/fit';
import { line } from './harness';
import { CHROMIUM, openWebBuild } from './webPage';

const ROWS = 76_912;
const D = 13;

export async function writeCsv(path: string): Promise<void> {
  const rng = new Rng(7);
  const out = createWriteStream(path);
  out.write(`${Array.from({ length: D }, (_, j) => `x${j + 1}`).join(',')},y\n`);
  let buffer = '';
  for (let i = 0; i < ROWS; i++) {
    let y = 3;
    const cells: string[] = [];
    for (let j = 0; j < D; j++) {
      // Features on different scales, as real columns are.
      const x = Math.round((rng.float() * 10 ** (j % 4) + j) * 1e3) / 1e3;
      y += ((j % 5) - 2) * 0.3 * (x / 10 ** (j % 4));
      cells.push(String(x));
    }
    buffer += `${cells.join(',')},${(y + 0.2 * rng.normal()).toFixed(4)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchLabFit(): Promise<void> {
  console.log(`A fit as people run it: ${ROWS.toLocaleString('en')} × ${D} CSV, linear, SGD lr 0.01, batch 64, 5 epochs (6,010 updates), standardized`);
  const dir = mkdtempSync(join(tmpdir(), 'gdlab-labfit-'));
  const csv = join(dir, 'wide.csv');
  try {
    await writeCsv(csv);
    const args = ['engine/bin/gdlab.js', 'fit', '--data', csv, '--target', 'y', '--model', 'linear', '--loss', 'mse', '--optimizer', 'sgd', '--lr', '0.01', '--batch-size', '64', '--epochs', '5', '--standardize', '--seed', '1', '--json'];
    const cli: number[] = [];
    let cliLoss = NaN;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const out = spawnSync(process.execPath, args, { encoding: 'utf8' });
      cli.push((performance.now() - t0) / 1000);
      if (out.status !== 0) throw new Error(`gdlab fit failed: ${out.stderr}`);
      const report = JSON.parse(out.stdout);
      cliLoss = report.final?.loss ?? NaN;
    }
    line('gdlab fit, whole process (median of 3)', `${median(cli).toFixed(2)} s (${cli.map((s) => s.toFixed(2)).join(', ')})`);
    // The engine in this process: the CSV load and the same fit, no start-up.
    const inProcess: number[] = [];
    let inProcessLoss = NaN;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const dataset = await loadDatasetFile(csv);
      const features = Array.from({ length: D }, (_, j) => `x${j + 1}`);
      const data = prepareData(dataset, { target: 'y', features, standardize: true });
      const fit = new FitRun(data, buildModel({ kind: 'linear' }, features), { loss: { name: 'mse' }, optimizer: { name: 'sgd', lr: 0.01 }, batchSize: 64, epochs: 5, shuffle: true, seed: 1 });
      while (!fit.finished) fit.advance(1 << 16);
      inProcess.push((performance.now() - t0) / 1000);
      inProcessLoss = fit.epochs.at(-1)!.loss;
    }
    line('the engine in this process: load + fit', `${median(inProcess).toFixed(2)} s (${inProcess.map((s) => s.toFixed(2)).join(', ')}); final loss ${inProcessLoss === cliLoss ? 'the same as gdlab fit’s' : `${inProcessLoss} (DIFFERS)`}`);
    line('gdlab fit / the engine in this process', `${(median(cli) / median(inProcess)).toFixed(2)}×  (target ≤ 3×)`);
    if (!existsSync(CHROMIUM)) {
      console.log(`  the lab: skipped, no browser at ${CHROMIUM}`);
      return;
    }
    const { page, close } = await openWebBuild();
    try {
      await page.getByRole('tab', { name: 'Data' }).click();
      await page.getByLabel('Open dataset').setInputFiles(csv);
      await page.getByTestId('dataset-summary').filter({ hasText: 'wide.csv' }).waitFor({ timeout: 60_000 });
      // One run, as the command makes.
      while ((await page.getByRole('button', { name: /^Remove / }).count()) > 1) await page.getByRole('button', { name: /^Remove / }).last().click();
      await page.getByLabel('Optimizer').first().selectOption('sgd');
      for (const [selector, value] of [['input[id$="-lr"]', '0.01'], ['input[id^="bs-"]', '64'], ['input[id^="ep-"]', '5'], ['input[id^="seed-"]', '1']]) {
        await page.locator(selector).first().fill(value);
        await page.locator(selector).first().press('Tab');
      }
      const lab: number[] = [];
      let longest = 0;
      let longTasks = 0;
      let labLoss = NaN;
      for (let rep = 0; rep < 3; rep++) {
        const r = await page.evaluate(async () => {
          const longs: number[] = [];
          const observer = new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) longs.push(entry.duration);
          });
          observer.observe({ type: 'longtask', buffered: false });
          const status = () => document.querySelector('[data-testid^="status-"]');
          const t0 = performance.now();
          (document.querySelector('button.primary') as HTMLButtonElement).click();
          // The previous fit's status stays until the engine has taken the new run.
          while (status()?.getAttribute('data-status') === 'max_steps' && performance.now() - t0 < 10_000) await new Promise((resolve) => setTimeout(resolve, 2));
          while (status()?.getAttribute('data-status') !== 'max_steps' && performance.now() - t0 < 300_000) await new Promise((resolve) => setTimeout(resolve, 20));
          const seconds = (performance.now() - t0) / 1000;
          observer.disconnect();
          return { seconds, longs, text: status()?.textContent ?? '' };
        });
        lab.push(r.seconds);
        longTasks += r.longs.length;
        longest = Math.max(longest, ...r.longs, 0);
        labLoss = Number(/training loss ([-\d.e+]+)/.exec(r.text)?.[1]);
      }
      line('the lab, Run to finished (median of 3)', `${median(lab).toFixed(2)} s (${lab.map((s) => s.toFixed(2)).join(', ')})`);
      line('the lab / gdlab fit', `${(median(lab) / median(cli)).toFixed(2)}×  (target ≤ 1.5×)`);
      line('long tasks (> 50 ms) on the page, 3 fits', `${longTasks}${longTasks ? `, longest ${longest.toFixed(0)} ms` : ''}`);
      line('final training loss, gdlab fit / the lab', `${cliLoss} / ${labLoss} (the lab shows 6 digits)`);
    } finally {
      await close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
