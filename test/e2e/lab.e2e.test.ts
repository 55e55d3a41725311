// The lab in a real browser: the renderer built for the web, the engine in a
// Web Worker, driven by playwright-core in Debian's chromium.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab, OUTPUT } from './browser';

let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
});

afterAll(async () => {
  await context?.close();
});

const formula = () => page.getByLabel('Formula');
const statusOf = (i: number) => page.locator('[data-testid^="status-"]').nth(i);

/** Types a formula and waits until the engine has analyzed it (or said what is wrong with it). */
async function typeFormula(text: string) {
  await formula().fill(text);
  await page.waitForFunction((t) => document.getElementById('formula-status')?.dataset.analyzed === t, text);
}

describe('function mode', () => {
  it('shows the tutorial’s gradients: 5x² → 10x, and [4, 12, 21] at [1, 1, 1]', async () => {
    await typeFormula('5*x^2');
    await expect.poll(() => page.getByTestId('partial').allTextContents()).toEqual(['10 * x']);
    await page.getByRole('textbox', { name: 'Point', exact: true }).fill('1');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await expect.poll(() => page.getByTestId('gradient-value').textContent()).toBe('[10]');

    await typeFormula('2*x^2 + 6*z^2 + 7*m^3');
    await expect.poll(() => page.getByTestId('variables').textContent()).toBe('x, z, m');
    await expect.poll(() => page.getByTestId('partial').allTextContents()).toEqual(['4 * x', '12 * z', '21 * m ^ 2']);
    await page.getByRole('textbox', { name: 'Point', exact: true }).fill('1, 1, 1');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await expect.poll(() => page.getByTestId('evaluation').textContent()).toBe('f(1, 1, 1) = 15, ∇f = [4, 12, 21]');
  });

  it('the seed examples are one click away', async () => {
    await page.getByRole('button', { name: /2x² \+ 6z² \+ 7m³/ }).click();
    await expect.poll(() => page.getByTestId('gradient-value').textContent()).toBe('[4, 12, 21]');
    await page.getByRole('button', { name: /5x²/ }).click();
    await expect.poll(() => page.getByTestId('gradient-value').textContent()).toBe('[10]');
  });

  it('marks an invalid formula at the right column', async () => {
    await typeFormula('x^2 + sine(y)');
    await expect.poll(() => page.getByTestId('formula-error').textContent()).toBe('Unknown function sine at column 7 — did you mean sin?');
    await expect(page.locator('mark').textContent()).resolves.toBe('sine');
    await expect(formula().getAttribute('aria-invalid')).resolves.toBe('true');
    await typeFormula('x^2 + (y');
    await expect.poll(() => page.getByTestId('formula-error').textContent()).toMatch(/^Parenthesis \) expected at column 9/);
  });

  it('races Adam against SGD on Rosenbrock and draws both trajectories on the contour map', async () => {
    await page.getByLabel('Preset').selectOption('rosenbrock');
    await expect.poll(() => page.getByTestId('partial').count()).toBe(2);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(async () => [await statusOf(0).getAttribute('data-status'), await statusOf(1).getAttribute('data-status')], { timeout: 20_000 }).toEqual(['max_steps', 'max_steps']);
    // Both runs' colours appear on the map once it has drawn their paths: count pixels near each run colour.
    const counts = () => page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="contour-chart"] canvas') as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const near = (r: number, g: number, b: number) => {
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) < 30 && Math.abs(data[i + 1] - g) < 30 && Math.abs(data[i + 2] - b) < 30) n++;
        return n;
      };
      return { adam: near(0x25, 0x63, 0xeb), sgd: near(0xdc, 0x26, 0x26) };
    });
    await expect.poll(async () => Math.min((await counts()).adam, (await counts()).sgd)).toBeGreaterThan(100);
    const chart = page.getByTestId('contour-chart');
    await chart.screenshot({ path: join(OUTPUT, 'race-contour.png') });
    await page.screenshot({ path: join(OUTPUT, 'function-2d.png') });
    expect(await statusOf(0).textContent()).toMatch(/step 2,000/);
  });

  it('scrubs the replay to any step and back to live', async () => {
    const slider = page.getByLabel('Replay step');
    await slider.fill('500');
    await expect.poll(() => page.getByTestId('replay-step').textContent()).toBe('step 500');
    await expect.poll(() => page.getByTestId('explain-step').textContent()).toMatch(/^Update 500 \(Adam\): step 499 → 500$/);
    await expect.poll(() => page.getByTestId('explain').textContent()).toMatch(/Bias correction\s*t = 500: 1 − β₁ᵗ = 1,/);
    await page.getByRole('button', { name: 'Live' }).click();
    await expect.poll(() => page.getByTestId('replay-step').textContent()).toBe('step 2,000');
  });

  it('shows a diverging run as diverged and keeps working', async () => {
    await typeFormula('5*x^2');
    await page.getByLabel('Optimizer').first().selectOption('sgd');
    await page.locator('input[id$="-lr"]').first().fill('0.25');
    await page.locator('input[id$="-lr"]').first().press('Tab');
    await page.locator('input[id^="start-"]').first().fill('1');
    await page.locator('input[id^="start-"]').first().press('Tab');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => statusOf(0).getAttribute('data-status'), { timeout: 10_000 }).toBe('diverged');
    await expect(page.locator('.message.error').first().textContent()).resolves.toMatch(/^Diverged at step \d+/);
    await page.screenshot({ path: join(OUTPUT, 'function-1d-diverged.png') });
    // still responsive: a sensible learning rate converges
    await page.locator('input[id$="-lr"]').first().fill('0.05');
    await page.locator('input[id$="-lr"]').first().press('Tab');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => statusOf(0).getAttribute('data-status'), { timeout: 10_000 }).toMatch(/converged|max_steps/);
    await expect.poll(() => page.getByTestId('derivative-sign').first().textContent()).toMatch(/f′\(/);
  });

  it('survives the engine crashing: says which runs were lost and re-runs them', async () => {
    // A run that cannot end before it is paused, however fast or loaded the machine: 10⁹ steps at 100 a second.
    await page.getByRole('combobox', { name: 'Speed' }).selectOption('100');
    await page.locator('[id^="steps-"]').first().fill('1000000000');
    await page.locator('[id^="steps-"]').first().press('Tab');
    await page.locator('input[id$="-lr"]').first().fill('1e-9');
    await page.locator('input[id$="-lr"]').first().press('Tab');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => statusOf(0).getAttribute('data-status')).toBe('running');
    await page.evaluate(() => (window as any).__gdlab.bridge.simulateCrash());
    await expect.poll(() => page.getByTestId('banner').textContent()).toMatch(/The engine stopped .* Lost runs: SGD 1.*Your settings are kept/);
    await page.getByRole('button', { name: 'Re-run' }).click();
    await expect.poll(() => statusOf(0).getAttribute('data-status')).toBe('running');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => statusOf(0).getAttribute('data-status')).toBe('paused');
    await page.getByRole('combobox', { name: 'Speed' }).selectOption('0');
  });
});

describe('data mode', () => {
  it('loads a CSV through the file input and fits a line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdlab-e2e-'));
    const csv = join(dir, 'line.csv');
    const rows = ['x,y'];
    for (let i = 0; i < 50; i++) rows.push(`${i / 10},${3 * (i / 10) + 1}`);
    writeFileSync(csv, `${rows.join('\n')}\n`);
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByLabel('Open dataset').setInputFiles(csv);
    await expect.poll(() => page.getByTestId('dataset-summary').textContent()).toBe('line.csv: 50 rows, 2 columns');
    await page.getByLabel('Optimizer').first().selectOption('sgd');
    await page.locator('input[id$="-lr"]').first().fill('0.05');
    await page.locator('input[id$="-lr"]').first().press('Tab');
    await page.locator('[id^="ep-"]').first().fill('2000');
    await page.locator('[id^="ep-"]').first().press('Tab');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => statusOf(0).getAttribute('data-status'), { timeout: 20_000 }).toBe('max_steps');
    // Full batch: the status gives the loss on the whole training set (and names the epoch).
    await expect.poll(() => statusOf(0).textContent()).toMatch(/epoch 2,000 · training loss (\d\.\d+e-\d+|0\.0\d)/);
    // Coefficients by feature name, in original units (y = 3x + 1) beside the standardized ones.
    await expect.poll(async () => Number(await page.getByTestId('coef-original-x').textContent())).toBeCloseTo(3, 2);
    await page.screenshot({ path: join(OUTPUT, 'data-mode.png') });
    expect(Number(await page.getByTestId('coef-original-intercept').textContent())).toBeCloseTo(1, 2);
    const std = Number(await page.getByTestId('coef-standardized-x').textContent());
    const sd = Math.sqrt(Array.from({ length: 50 }, (_, i) => (i / 10 - 2.45) ** 2).reduce((a, b) => a + b) / 50);
    expect(std).toBeCloseTo(3 * sd, 2);
    await expect.poll(() => page.getByTestId('explain-step').textContent()).toMatch(/^Update 2,000 /);
  });

  it('names the problem in a malformed file instead of failing silently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdlab-e2e-'));
    const csv = join(dir, 'broken.csv');
    writeFileSync(csv, Buffer.from([0x78, 0x2c, 0x79, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x2c, 0x32, 0x0a]));
    await page.getByLabel('Open dataset').setInputFiles(csv);
    await expect.poll(() => page.getByTestId('dataset-error').textContent()).toMatch(/broken\.csv is not UTF-8 text \(the byte at offset 7/);
  });

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});

describe('desktop conveniences', () => {
  it('undoes and redoes edits of the problem and the runs', async () => {
    // Each edit is an undo step of its own: switching mode, the formula, a learning rate.
    await page.getByRole('tab', { name: 'Function' }).click();
    await typeFormula('x^2 + 3*y^2');
    await page.locator('input[id$="-lr"]').first().fill('0.123');
    await page.locator('input[id$="-lr"]').first().press('Tab');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator('input[id$="-lr"]').first().inputValue()).not.toBe('0.123');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => formula().inputValue()).not.toBe('x^2 + 3*y^2');
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => formula().inputValue()).toBe('x^2 + 3*y^2');
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => page.locator('input[id$="-lr"]').first().inputValue()).toBe('0.123');
  });

  it('resizes the side panels with the keyboard', async () => {
    const separator = page.getByRole('separator', { name: 'Width of the problem panel' });
    const before = Number(await separator.getAttribute('aria-valuenow'));
    await separator.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(Number(await separator.getAttribute('aria-valuenow'))).toBe(before + 32);
    const width = await page.locator('aside.left').evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBe(before + 32);
  });

  it('shows training and validation loss per epoch in data mode', async () => {
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Noisy line' }).click();
    await page.getByLabel('Validation').fill('0.2');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => statusOf(0).getAttribute('data-status'), { timeout: 20_000 }).toMatch(/max_steps|converged/);
    const drawn = await page.getByTestId('epoch-chart').evaluate((el) => {
      const canvas = el.querySelector('canvas') as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[i + 1]) > 60 || Math.abs(d[i + 1] - d[i + 2]) > 60) coloured++;
      return coloured;
    });
    expect(drawn).toBeGreaterThan(200);
    await page.getByRole('tab', { name: 'Function' }).click();
  });
});
