// A model-based test of the lab in a real browser: fast-check draws sequences of what a person does
// (type a formula, pick a preset, press the tutorial buttons, evaluate, run, pause, step, change a
// learning rate while running or paused, add and remove runs, switch mode, load or generate a
// dataset, undo and redo, save and reopen) and after every action checks that
//   - every number on screen for the current problem is what the engine computes for it: each run's
//     status is recomputed here, in Node, from the formula or dataset on screen and the run's
//     settings and recorded changes, and the evaluation from the formula and point on screen;
//   - nothing from another problem is on screen (a stale status or evaluation would not match);
//   - Step advanced every run it could by exactly one update;
//   - the page raised no error.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab, OUTPUT } from './browser';
import { compileFormula, type CompiledFormula } from '../../engine/formula/compile';
import { buildRun } from '../../engine/run/build';
import { replayTo } from '../../engine/run/explain';
import { engineProblem, type Problem } from '../../engine/spec/problem';
import { settingsOf, type RunSpec } from '../../engine/spec/run';
import { datasetFromSource } from '../../engine/session/runs';
import type { Dataset } from '../../engine/data/table';
import { statusDetail } from '../../renderer/src/lib/status';

const SEQUENCES = Number(process.env.GDLAB_MODEL_RUNS ?? 200);
const SEED = Number(process.env.GDLAB_MODEL_SEED ?? 20261130);
const HOUSES = fileURLToPath(new URL('../fixtures/standardize/houses.csv', import.meta.url));

let context: BrowserContext;
let page: Page;
let errors: string[];
let dir: string;

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
  page.on('dialog', (d) => void d.accept());
  await page.setViewportSize({ width: 1024, height: 700 });
  dir = mkdtempSync(join(tmpdir(), 'gdlab-model-'));
});

afterAll(async () => {
  await context?.close();
});

// ---- what is on screen, read in one go ----

interface Screen {
  mode: 'function' | 'data';
  formula: string;
  evaluation: string | null;
  statuses: Array<{ id: string; status: string; text: string; message: string }>;
  banner: string;
  specs: RunSpec[];
  problem: Problem | null;
  inFlight: number;
  canStep: boolean;
  canPause: boolean;
  canResume: boolean;
}

async function screen(): Promise<Screen> {
  return page.evaluate(() => {
    const g = (window as unknown as { __gdlab: { lab: any; bridge: any } }).__gdlab;
    const lab = g.lab;
    const button = (name: string) => [...document.querySelectorAll('[role="toolbar"][aria-label="Run controls"] button')].find((b) => b.textContent?.trim() === name) as HTMLButtonElement | undefined;
    let problem = null;
    try {
      problem = lab.files.toSession().problem;
    } catch {
      // Data mode without a dataset: no problem.
    }
    return {
      mode: lab.doc.mode,
      formula: (document.querySelector('[aria-label="Formula"]') as HTMLInputElement | null)?.value ?? '',
      evaluation: document.querySelector('[data-testid="evaluation"]')?.textContent ?? null,
      statuses: [...document.querySelectorAll('[data-testid^="status-"]')].map((e) => ({
        id: e.getAttribute('data-testid')!.slice('status-'.length),
        status: e.getAttribute('data-status') ?? '',
        text: e.textContent?.trim() ?? '',
        message: e.nextElementSibling?.classList.contains('message') ? e.nextElementSibling.textContent?.trim() ?? '' : '',
      })),
      banner: document.querySelector('[data-testid="banner"]')?.textContent?.trim() ?? '',
      specs: JSON.parse(JSON.stringify(lab.doc.runs)),
      problem: problem ? JSON.parse(JSON.stringify(problem)) : null,
      inFlight: g.bridge.engine.inFlight,
      canStep: button('Step') ? !button('Step')!.disabled : false,
      canPause: button('Pause') ? !button('Pause')!.disabled : false,
      canResume: button('Resume') ? !button('Resume')!.disabled : false,
    };
  });
}

/** Waits until the engine has answered everything asked and every view has its answer (runs may still stream). */
async function settle(): Promise<Screen> {
  await page.waitForFunction(() => {
    const g = (window as unknown as { __gdlab: { lab: any; bridge: any } }).__gdlab;
    return g.bridge.engine.inFlight === 0 && g.lab.views.idle && !g.lab.runs.busy;
  }, null, { timeout: 10_000 });
  return screen();
}

// ---- the engine's answers, computed here ----

const formulas = new Map<string, CompiledFormula>();
const compile = (expr: string, vars?: string[]) => {
  const key = `${expr}|${vars?.join() ?? ''}`;
  if (!formulas.has(key)) formulas.set(key, compileFormula(expr, { vars }));
  return formulas.get(key)!;
};
const datasets = new Map<string, Dataset>();
async function datasetOf(problem: Extract<Problem, { kind: 'data' }>): Promise<Dataset> {
  const key = JSON.stringify(problem.dataset);
  if (!datasets.has(key)) datasets.set(key, (await datasetFromSource(problem.dataset)).dataset);
  return datasets.get(key)!;
}


/** The status text after its first part ("paused · "), as the engine's run reaches the step shown. */
async function expectedStatus(problem: Problem, spec: RunSpec, step: number): Promise<string> {
  const dataset = problem.kind === 'data' ? await datasetOf(problem) : undefined;
  const built = buildRun(engineProblem(problem, 'current'), settingsOf(spec), { formula: compile, dataset: () => dataset });
  replayTo(built, spec.changes, step);
  const epoch = built.fit?.epochs.filter((e) => e.step <= step).at(-1);
  const penalized = problem.kind === 'data' && (problem.reg.l1 > 0 || problem.reg.l2 > 0);
  return statusDetail({ mode: built.fit ? 'data' : 'function', step: built.run.step, value: built.run.value, epoch, miniBatch: spec.batchSize !== 'full', penalized });
}

async function checkInvariants(s: Screen, what: string): Promise<void> {
  expect(errors, `page errors after ${what}`).toEqual([]);
  const names = s.specs.map((r) => r.name);
  expect(new Set(names).size, `run names after ${what}: ${names.join(', ')}`).toBe(names.length);
  // Runs: each status shown belongs to the current problem and its settings.
  for (const st of s.statuses) {
    if (st.status === 'none' || st.status === 'failed' || st.text === 'not run yet') continue;
    const spec = s.specs.find((r) => r.id === st.id);
    expect(spec, `a status for a run that is not listed (${st.id})`).toBeDefined();
    expect(s.problem, `a run status without a problem: ${st.text}`).not.toBeNull();
    const step = Number(/ · step ([\d,]+)/.exec(st.text)?.[1].replace(/,/g, ''));
    expect(Number.isInteger(step), `no step in "${st.text}"`).toBe(true);
    const shown = st.text.slice(st.text.indexOf(' · ') + 3);
    expect(shown, `${what}: ${spec!.name} on ${s.mode === 'function' ? s.formula : 'the dataset'}`).toBe(await expectedStatus(s.problem!, spec!, step));
  }
  // The evaluation shown is the current formula's at the point shown.
  if (s.evaluation && s.mode === 'function') {
    const m = /^f\((.*)\) = (.*), ∇f = \[(.*)\]$/.exec(s.evaluation);
    expect(m, `evaluation text "${s.evaluation}"`).not.toBeNull();
    const at = m![1].split(', ').map(Number);
    const f = compile(s.formula);
    const g = new Float64Array(f.vars.length);
    expect(at.length, `${what}: evaluation "${s.evaluation}" has ${at.length} values, ${s.formula} has ${f.vars.length} variables`).toBe(f.vars.length);
    const value = f.valueAndGradient(Float64Array.from(at), g);
    expect(`${m![2]} | ${m![3]}`, `${what}: evaluation of ${s.formula}`).toBe(`${value} | ${Array.from(g).join(', ')}`);
  }
}

// ---- actions ----

type Real = { saved: string | null };
type Model = Record<string, never>;
type Cmd = fc.AsyncCommand<Model, Real>;

const FORMULAS = ['x^2 + 4*y^2', '(1 - x)^2 + 100*(y - x^2)^2', '5*x^2', '3*x^2 + y^2', 'x^4 - 3*x^2 + y^2', '2*x^2 + 6*z^2 + 7*m^3', 'sin(x) + cos(y)'];
const PRESETS = ['rosenbrock', 'beale', 'himmelblau', 'booth'];

function command(name: string, act: (real: Real) => Promise<void>): Cmd {
  return {
    check: () => true,
    async run(_m, real) {
      await act(real);
      await checkInvariants(await settle(), name);
    },
    toString: () => name,
  };
}

const toolbar = (name: string) => page.getByRole('toolbar', { name: 'Run controls' }).getByRole('button', { name, exact: true });
const onFunction = async () => (await screen()).mode === 'function';
const onData = async () => (await screen()).mode === 'data';

const typeFormula = (text: string) => command(`type ${text}`, async () => {
  if (!(await onFunction())) return;
  await page.getByLabel('Formula').fill(text);
  await page.waitForFunction((t) => document.getElementById('formula-status')?.dataset.analyzed === t, text, { timeout: 10_000 });
});
const pickPreset = (name: string) => command(`preset ${name}`, async () => {
  if (!(await onFunction())) return;
  const options = await page.getByLabel('Preset').locator('option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
  if (options.includes(name)) await page.getByLabel('Preset').selectOption(name);
});
const tutorial = (which: RegExp) => command(`tutorial ${which.source}`, async () => {
  if (!(await onFunction())) return;
  await page.getByRole('button', { name: which }).click();
});
const evaluate = (seed: number) => command(`evaluate #${seed}`, async () => {
  if (!(await onFunction())) return;
  const vars = compileSafe((await screen()).formula)?.vars.length ?? 1;
  const point = Array.from({ length: vars }, (_, k) => [1, -0.5, 2, 0.25][(seed + k) % 4]).join(', ');
  await page.getByRole('textbox', { name: 'Point', exact: true }).fill(point);
  await page.getByRole('button', { name: 'Evaluate' }).click();
});
function compileSafe(text: string): CompiledFormula | null {
  try {
    return compile(text);
  } catch {
    return null;
  }
}
const run = command('run', async () => {
  if (await toolbar('Run').isEnabled()) await toolbar('Run').click({ timeout: 5000 }).catch(() => undefined);
});
const pause = command('pause', async () => {
  if ((await screen()).canPause) await toolbar('Pause').click({ timeout: 5000 }).catch(() => undefined);
});
const resume = command('resume', async () => {
  if ((await screen()).canResume) await toolbar('Resume').click({ timeout: 5000 }).catch(() => undefined);
});
const step = command('step', async () => {
  const before = await settle();
  if (!before.canStep) return;
  try {
    await toolbar('Step').click({ timeout: 5000 });
  } catch {
    // Running runs finished meanwhile and Step was disabled: nothing was stepped.
    expect((await screen()).canStep).toBe(false);
    return;
  }
  // Step is one update of every run that can take one: idle runs start and stand at step 1.
  const stepOf = (s: Screen, id: string) => Number((/ · step ([\d,]+)/.exec(s.statuses.find((x) => x.id === id)?.text ?? '')?.[1] ?? '0').replace(/,/g, ''));
  const movable = before.statuses.filter((st) => ['none', 'idle', 'paused'].includes(st.status) || st.text === 'not run yet');
  let after = await settle();
  await expect.poll(async () => {
    after = await screen();
    return movable.every((st) => stepOf(after, st.id) !== stepOf(before, st.id) || after.statuses.find((x) => x.id === st.id)?.status === 'converged');
  }, { timeout: 5000 }).toBe(true);
  for (const st of movable) {
    const now = after.statuses.find((x) => x.id === st.id);
    // A run that starts where its stopping rule already holds (a zero gradient) ends there: no update.
    if (now?.status === 'converged' && now.message.startsWith(`Converged at step ${stepOf(before, st.id)}:`)) continue;
    expect(stepOf(after, st.id), `Step moved ${st.id} from ${stepOf(before, st.id)}: ${JSON.stringify(after.statuses)} ${after.banner}`).toBe(stepOf(before, st.id) + 1);
  }
});
const setLr = (index: number, lr: number) => command(`lr of run ${index} = ${lr}`, async () => {
  const fields = page.locator('input[id$="-lr"]');
  const count = await fields.count();
  if (count === 0) return;
  const field = fields.nth(index % count);
  await field.fill(String(lr));
  await field.press('Tab');
});
const addRun = (optimizer: string) => command(`add ${optimizer}`, async () => {
  if ((await screen()).specs.length >= 4) return;
  await page.getByRole('button', { name: 'Add run' }).click();
  await page.getByLabel('Optimizer').last().selectOption(optimizer);
});
const removeRun = (index: number) => command(`remove run ${index}`, async () => {
  const specs = (await screen()).specs;
  if (specs.length <= 1) return;
  await page.getByRole('button', { name: /^Remove / }).nth(index % specs.length).click();
});
const mode = (which: 'Function' | 'Data') => command(`mode ${which}`, async () => {
  await page.getByRole('tab', { name: which }).click();
});
const sample = (which: 'Noisy line' | 'Two blobs' | 'Noisy cubic') => command(`sample ${which}`, async () => {
  if (!(await onData())) return;
  await page.getByRole('button', { name: which }).click();
});
const loadHouses = command('load houses.csv', async () => {
  if (!(await onData())) return;
  await page.getByLabel('Open dataset').setInputFiles(HOUSES);
  await page.getByTestId('dataset-summary').filter({ hasText: 'houses.csv' }).waitFor({ timeout: 5000 });
});
const undo = command('undo', async () => {
  if (await toolbar('Undo').isEnabled()) await toolbar('Undo').click();
});
const redo = command('redo', async () => {
  if (await toolbar('Redo').isEnabled()) await toolbar('Redo').click();
});
const fileMenu = async (item: string) => {
  await page.getByRole('button', { name: /^File/ }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
};
const saveAndReopen = command('save and reopen', async () => {
  const s = await settle();
  // The runs may finish between reading the screen and the click: then there is nothing to pause.
  if (s.canPause) await toolbar('Pause').click({ timeout: 5000 }).catch(() => undefined);
  const download = page.waitForEvent('download', { timeout: 10_000 });
  await fileMenu('Save');
  const refused = page.getByTestId('banner').filter({ hasText: /^Cannot save: Load or generate a dataset/ });
  const saved = await Promise.race([download, refused.waitFor({ timeout: 10_000 }).then(() => null)]);
  if (!saved) {
    // Data mode without a dataset: there is nothing to save, and the lab says so.
    download.catch(() => undefined);
    expect(s.mode).toBe('data');
    return;
  }
  const path = join(dir, `model-${Date.now()}.gdlab`);
  await saved.saveAs(path);
  const chooser = page.waitForEvent('filechooser');
  await fileMenu('Open…');
  await (await chooser).setFiles(path);
  await page.getByTestId('banner').filter({ hasText: /Opened/ }).waitFor({ timeout: 10_000 });
});

const actions = [
  fc.constantFrom(...FORMULAS).map(typeFormula),
  fc.constantFrom(...PRESETS).map(pickPreset),
  fc.constantFrom(/5x²/, /2x² \+ 6z² \+ 7m³/).map(tutorial),
  fc.nat(8).map(evaluate),
  fc.constant(run),
  fc.constant(run),
  fc.constant(pause),
  fc.constant(resume),
  fc.constant(step),
  fc.constant(step),
  fc.tuple(fc.nat(3), fc.constantFrom(0.001, 0.003, 0.01, 0.05)).map(([i, lr]) => setLr(i, lr)),
  fc.constantFrom('sgd', 'adam', 'rmsprop').map(addRun),
  fc.nat(3).map(removeRun),
  fc.constantFrom('Function' as const, 'Data' as const).map(mode),
  fc.constantFrom('Noisy line' as const, 'Two blobs' as const, 'Noisy cubic' as const).map(sample),
  fc.constant(loadHouses),
  fc.constant(undo),
  fc.constant(redo),
  fc.constant(saveAndReopen),
];

describe('the lab under random use', () => {
  it(`keeps every number on screen true to the current problem over ${SEQUENCES} random sequences`, async () => {
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(actions, { size: 'medium', maxCommands: 20 }).filter((c) => [...c].length >= 5), async (cmds) => {
        sequences++;
        // A fresh lab at a slow speed, so that runs can be caught running, paused and stepped.
        await page.evaluate(() => (window as unknown as { __gdlab: { files: { newSession(): Promise<void> } } }).__gdlab.files.newSession());
        await page.locator('#speed').selectOption('1000');
        errors.length = 0;
        await checkInvariants(await settle(), 'a new session');
        await fc.asyncModelRun(() => ({ model: {}, real: { saved: null } }), cmds);
      }),
      { numRuns: SEQUENCES, seed: SEED, endOnFailure: !process.env.GDLAB_MODEL_PATH, verbose: 1, ...(process.env.GDLAB_MODEL_PATH ? { path: process.env.GDLAB_MODEL_PATH } : {}) },
    );
    expect(sequences).toBeGreaterThanOrEqual(SEQUENCES);
    writeFileSync(join(OUTPUT, 'model-test.txt'), `${sequences} sequences, seed ${SEED}\n`);
  }, 3_600_000);
});
