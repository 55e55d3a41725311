// Learn mode, walked end to end in each language: the first-start welcome, then every lesson's task
// done in the real lab (sliders, Step, Evaluate, Run, a formula of one's own). Each lesson must notice
// the task from the lab's state, and the numbers it quotes must be the engine's: asked of the engine
// directly (evaluate) or read from the runs' streamed state, and checked against closed forms where
// there is one.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openLab } from './browser';
import { text } from './texts';
import type { Language } from '../../renderer/src/i18n/i18n.svelte';
import { LINE_LOSS } from '../../renderer/src/learn/lessons';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Live {
  status: string;
  step: number;
  value: number;
  gradNorm: number;
  params: number[];
  epochs: { loss: number }[];
}

const lesson = (page: Page) => page.getByTestId('lesson');
const values = async (page: Page) => JSON.parse((await lesson(page).getAttribute('data-values')) ?? '{}') as Record<string, number | string>;
/** The runs' state as the engine streamed it, in the runs panel's order. */
const live = (page: Page) =>
  page.evaluate(() => {
    const lab = (window as unknown as { __gdlab: { lab: { doc: { runs: { id: string }[] }; results: { live: Record<string, unknown>; info: Record<string, { batchesPerEpoch: number | null; rows: number | null }> } } } }).__gdlab.lab;
    return lab.doc.runs.map((r) => ({ ...(lab.results.live[r.id] as object), info: lab.results.info[r.id] })) as unknown as Array<Live & { info: { batchesPerEpoch: number | null; rows: number | null } }>;
  });
/** The engine's f and ∇f, asked directly. */
const evaluate = (page: Page, expr: string, at: number[]) =>
  page.evaluate(
    ([expr, at]) => (window as unknown as { __gdlab: { bridge: { engine: { request: (t: string, i: unknown) => Promise<{ value: number; gradient: number[] }> } } } }).__gdlab.bridge.engine.request('evaluate', { expr, at }),
    [expr, at] as const,
  );

async function waitDone(page: Page, id: string) {
  await expect.poll(() => lesson(page).getAttribute('data-lesson')).toBe(id);
  await expect.poll(() => lesson(page).getAttribute('data-done'), { timeout: 30_000 }).toBe('true');
  return values(page);
}

async function next(page: Page, lang: Language, id: string) {
  await lesson(page).getByRole('button', { name: text(lang, 'learn.panel.next') }).click();
  await expect.poll(() => lesson(page).getAttribute('data-lesson')).toBe(id);
  // Set up, and not done before the learner acts.
  await expect.poll(() => lesson(page).getByText(text(lang, 'learn.panel.waiting')).count()).toBe(1);
}

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

for (const lang of ['en', 'pt-BR', 'zh-CN'] as const) {
  describe(`Learn mode in ${lang}`, () => {
    it('walks every lesson from the welcome to the last, each noticing its task and quoting the engine', async () => {
      const { context, page, errors } = await openLab(inject('webUrl'), { locale: lang, welcome: true });
      try {
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
        // The welcome: two doors; Learn opens lesson 1.
        const welcome = page.getByRole('dialog', { name: text(lang, 'learn.welcome.title') });
        await welcome.waitFor();
        await welcome.getByRole('button', { name: new RegExp(`^${escape(text(lang, 'learn.welcome.learn'))}`) }).click();
        expect(await welcome.count()).toBe(0);
        await page.locator('#speed').selectOption('0');

        // 1. The loss: two sliders move the line; the loss is the engine's at that (w, b).
        await expect.poll(() => lesson(page).getAttribute('data-lesson')).toBe('loss');
        await expect.poll(() => page.getByTestId('line-loss').innerText()).not.toMatch(/…$/);
        expect(await lesson(page).getAttribute('data-done')).toBe('false');
        await lesson(page).getByRole('slider', { name: new RegExp(escape(text(lang, 'learn.line.w'))) }).fill('1.9');
        await lesson(page).getByRole('slider', { name: new RegExp(escape(text(lang, 'learn.line.b'))) }).fill('1.1');
        let v = await waitDone(page, 'loss');
        expect([v.w, v.b]).toEqual([1.9, 1.1]);
        // The run's start marker is at the sliders' line before Run, and Run descends from there.
        await expect.poll(() => page.getByTestId('contour-chart').getAttribute('data-starts')).toBe('1.9 1.1');
        const atLine = await evaluate(page, LINE_LOSS, [1.9, 1.1]);
        expect(v.loss).toBe(atLine.value);
        // Closed form: the gaps are 0, 0.1, −0.3 and 0: (0.01 + 0.09) / 4.
        expect(v.loss).toBeCloseTo(0.025, 12);
        expect(await page.getByTestId('lesson-result').innerText()).toContain(lang === 'pt-BR' ? '0,025' : '0.025');

        // 2. The derivative's sign: one Step from x = 1 on 5x².
        await next(page, lang, 'sign');
        await button(page, text(lang, 'app.step')).click();
        v = await waitDone(page, 'sign');
        expect(v.slope).toBe((await evaluate(page, '5*x^2', [1])).gradient[0]);
        expect(v.slope).toBe(10);
        const [afterOne] = await live(page);
        expect(v.x1).toBe(afterOne.params[0]);
        expect(v.x1).toBeCloseTo(1 - 0.05 * 10, 14);

        // 3. The loop: three Steps, x ← x − lr·f′(x) = 0.6x each time.
        await next(page, lang, 'loop');
        for (let k = 0; k < 3; k++) await button(page, text(lang, 'app.step')).click();
        v = await waitDone(page, 'loop');
        const [afterThree] = await live(page);
        expect([v.steps, v.x, v.f]).toEqual([afterThree.step, afterThree.params[0], afterThree.value]);
        expect(v.x).toBeCloseTo(0.6 ** 3, 14);
        // The stop rule the lesson states is the run's own: a tolerance on |f′| and a budget of steps
        // (a sign change is not one); Run then ends on the tolerance, and the lesson says so.
        const idea = text(lang, 'learn.lessons.loop.idea');
        expect(await lesson(page).innerText()).toContain(idea);
        const stop = await page.evaluate(() => (window as unknown as { __gdlab: { lab: { doc: { runs: Array<{ stop: Record<string, unknown> }> } } } }).__gdlab.lab.doc.runs[0].stop);
        expect(stop).toMatchObject({ gradTol: 0.001, maxSteps: 2000 });
        expect(stop.signChange ?? false).toBe(false);
        expect(idea).toContain(lang === 'pt-BR' ? '0,001' : '0.001');
        expect(idea).toContain(lang === 'pt-BR' ? '2.000' : '2,000');
        await button(page, text(lang, 'app.run')).click();
        await expect.poll(async () => (await values(page)).tol).toBe(0.001);
        const [stopped] = await live(page);
        expect(stopped.status).toBe('converged');
        const after = await values(page);
        expect([after.steps, after.x, after.gradNorm]).toEqual([stopped.step, stopped.params[0], stopped.gradNorm]);
        expect(Number(after.gradNorm)).toBeLessThanOrEqual(0.001);
        expect(await page.getByTestId('lesson-result').innerText()).not.toContain(text(lang, 'app.run'));

        // 4. The gradient: Evaluate at [1, 1, 1] gives [4, 12, 21].
        await next(page, lang, 'gradient');
        await button(page, text(lang, 'function.panel.evaluate')).click();
        v = await waitDone(page, 'gradient');
        const g = await evaluate(page, '2x^2 + 6z^2 + 7m^3', [1, 1, 1]);
        expect(v.gradient).toBe(`[${g.gradient.join(lang === 'pt-BR' ? '; ' : ', ')}]`);
        expect(g.gradient).toEqual([4, 12, 21]);
        expect(await page.getByTestId('lesson-result').innerText()).toContain(lang === 'pt-BR' ? '[4; 12; 21]' : '[4, 12, 21]');

        // 5. Learning rates 0.01, 0.08, 0.21: slow, fast, diverging.
        await next(page, lang, 'rate');
        await button(page, text(lang, 'app.run')).click();
        v = await waitDone(page, 'rate');
        const rates = await live(page);
        expect([v.smallSteps, v.goodSteps, v.largeStep]).toEqual(rates.map((r) => r.step));
        expect(rates.map((r) => r.status)).toEqual(['converged', 'converged', 'diverged']);
        expect(Number(v.smallSteps)).toBeGreaterThan(Number(v.goodSteps));
        // Sign-change marks only where f′ changed sign between two steps: never for 0.9ⁿ and 0.2ⁿ, at
        // every step of the run that overshoots.
        await expect.poll(() => page.getByTestId('curve-chart').getAttribute('data-sign-changes')).toBe(`0,0,${v.largeStep}`);

        // 6. The narrow valley x² + 25y²: 0.041 is past 2 / 50, so y (and only y) blows up.
        await next(page, lang, 'valley');
        await button(page, text(lang, 'app.run')).click();
        v = await waitDone(page, 'valley');
        const valley = await live(page);
        expect([v.smallSteps, v.goodSteps, v.largeStep]).toEqual(valley.map((r) => r.step));
        expect([v.largeX, v.largeY]).toEqual(valley[2].params);
        expect(valley.map((r) => r.status)).toEqual(['max_steps', 'converged', 'diverged']);
        expect(Math.abs(Number(v.largeY))).toBeGreaterThan(1e3);
        expect(Math.abs(Number(v.largeX))).toBeLessThan(1e-6);

        // 7. Batch sizes full, 16 and 1 on the noisy line: updates per epoch 1, ⌈n/16⌉, n.
        await next(page, lang, 'batch');
        await button(page, text(lang, 'app.run')).click();
        v = await waitDone(page, 'batch');
        const fits = await live(page);
        const n = fits[0].info.rows!;
        expect([v.fullUpdates, v.miniUpdates, v.oneUpdates]).toEqual([1, Math.ceil(n / 16), n]);
        expect([v.fullLoss, v.miniLoss, v.oneLoss]).toEqual(fits.map((r) => r.epochs[r.epochs.length - 1].loss));
        // The start (epoch 0) and each of the 20 epochs.
        expect(fits.map((r) => r.epochs.length)).toEqual([21, 21, 21]);

        // 8. The ravine race: the numbers are the runs' own.
        await next(page, lang, 'momentum');
        await button(page, text(lang, 'app.run')).click();
        v = await waitDone(page, 'momentum');
        const race = await live(page);
        expect([v.sgdSteps, v.momentumSteps, v.adamSteps]).toEqual(race.map((r) => r.step));
        expect([v.sgdF, v.momentumF, v.adamF]).toEqual(race.map((r) => r.value));

        // 9. Your turn: a formula of one's own, run.
        await next(page, lang, 'yours');
        await page.locator('#formula').fill('x^2 + 3*y^2 + x*y');
        await expect.poll(() => page.getByTestId('formula-tex').count()).toBe(1);
        await button(page, text(lang, 'app.run')).click();
        v = await waitDone(page, 'yours');
        expect(v.what).toBe('x^2 + 3*y^2 + x*y');
        expect(v.value).toBe((await live(page))[0].value);

        // Leaving brings back the document that was open before the lessons, as it was; File → Lessons
        // comes back to the lesson where the learner stopped.
        await lesson(page).getByRole('button', { name: text(lang, 'learn.panel.leave') }).click();
        expect(await lesson(page).count()).toBe(0);
        await expect.poll(() => page.locator('#formula').inputValue()).toBe('(1 - x)^2 + 100*(y - x^2)^2');
        expect(await page.getByTestId('document-name').textContent()).toBe(text(lang, 'session.untitled'));
        await page.getByRole('button', { name: new RegExp(`^${escape(text(lang, 'session.menu.file'))}`) }).click();
        await page.getByRole('menuitem', { name: text(lang, 'learn.menu.lessons') }).click();
        await expect.poll(() => lesson(page).getAttribute('data-lesson')).toBe('yours');
        // Every lesson is marked done in the list.
        expect(await lesson(page).locator('#lesson-pick option').evaluateAll((o) => o.map((e) => e.textContent?.endsWith('✓')))).toEqual(new Array(9).fill(true));
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
}

describe('the welcome', () => {
  it('remembers the Lab door and can be shown again from the File menu', async () => {
    const { context, page, errors } = await openLab(inject('webUrl'), { welcome: true });
    try {
      const welcome = page.getByRole('dialog', { name: 'Welcome to Gradient Descent Lab' });
      await welcome.waitFor();
      await welcome.getByRole('button', { name: /^Lab/ }).click();
      expect(await welcome.count()).toBe(0);
      expect(await lesson(page).count()).toBe(0);
      await page.reload();
      await page.locator('header .controls button.primary').waitFor();
      await page.locator('button.select').first().waitFor();
      expect(await page.getByTestId('welcome').count()).toBe(0);
      await page.getByRole('button', { name: /^File/ }).click();
      await page.getByRole('menuitem', { name: 'Welcome…' }).click();
      await welcome.waitFor();
      await page.keyboard.press('Escape');
      expect(await welcome.count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
