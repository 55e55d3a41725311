// Every fixture session, opened in the browser build and saved again from the lab: the saved problem
// and runs equal the original ones field for field (settings, schedule parameters, warm-up, clipping,
// the changes made during runs, and each result with its history), and re-running the saved session
// gives every history again, bit for bit.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab } from './browser';
import { parseSession } from '../../engine/session/open';
import { rerun } from '../../engine/session/rerun';
import { datasetFromSource } from '../../engine/session/runs';
import { decodeHistory } from '../../engine/session/codec';
import type { Session } from '../../engine/spec/session';

let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
});

afterAll(async () => {
  await context?.close();
});

const FIXTURES = new URL('../fixtures/sessions/', import.meta.url);
const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.gdlab')).sort();

async function fileMenu(item: string) {
  await page.getByRole('button', { name: /^File/ }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

describe('fixture sessions reopen exactly', () => {
  it('covers step schedules, warm-up, clipping, changes during runs and a paused run', () => {
    const sessions = files.map((f) => parseSession(readFileSync(new URL(f, FIXTURES)), f));
    const runs = sessions.flatMap((s) => s.runs);
    expect(runs.some((r) => r.schedule?.type === 'step' && r.schedule.step_size === 20)).toBe(true);
    expect(runs.some((r) => r.warmup !== null)).toBe(true);
    expect(runs.some((r) => r.clipNorm !== null)).toBe(true);
    expect(runs.some((r) => r.changes.length > 0)).toBe(true);
    expect(runs.some((r) => r.result?.status === 'paused')).toBe(true);
    expect(sessions.some((s) => s.problem.kind === 'data') && sessions.some((s) => s.problem.kind === 'function')).toBe(true);
  });

  for (const file of files) {
    it(`${file}: saved again from the lab, field for field, and re-run bit for bit`, async () => {
      const original = parseSession(readFileSync(new URL(file, FIXTURES)), file);
      const chooser = page.waitForEvent('filechooser');
      await fileMenu('Open…');
      await (await chooser).setFiles(new URL(file, FIXTURES).pathname);
      await expect.poll(() => page.getByTestId('banner').textContent(), { timeout: 30_000 }).toMatch(new RegExp(`Opened ${file.replace('.', '\\.')}`));
      const download = page.waitForEvent('download');
      await fileMenu('Save');
      const saved: Session = parseSession(readFileSync(await (await download).path()), file);
      expect(saved.problem).toEqual(original.problem);
      expect(saved.notes).toBe(original.notes);
      expect(saved.runs).toEqual(original.runs);
      const dataset = saved.problem.kind === 'data' ? (await datasetFromSource(saved.problem.dataset)).dataset : null;
      for (const run of saved.runs) {
        if (!run.result || run.result.status === 'paused') continue;
        const { run: again } = rerun(saved, run, dataset);
        const h = again.history;
        expect(Array.from(h.rows(0, h.count)), run.name).toEqual(Array.from(decodeHistory(run.result.history)));
      }
      expect(errors).toEqual([]);
    });
  }
});
