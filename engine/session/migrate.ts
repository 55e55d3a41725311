/**
 * Migrations between session format versions: MIGRATIONS[v] turns a version-v
 * document into a version v+1 document. A new version adds its predecessor's
 * migration here and a fixture of the old version under test/fixtures/sessions/.
 *
 * 1 → 2: version 2 keeps the lab's screen and experiments. A version 1 view
 * (ranges, axes, a log flag, the replay step, the selected run, the speed)
 * keeps what it had; what it lacked takes the defaults, with the value and
 * gradient-norm charts on the axis its log flag chose; there was no other
 * problem and there were no experiments.
 */
import { DEFAULT_EXPERIMENTS, DEFAULT_VIEW, defaultChartScale } from '../spec/view';

export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const toVersion2: Migration = (doc) => {
  const old = isRecord(doc.view) ? doc.view : {};
  const { logScale, ...kept } = old;
  const scale = (chart: 'value' | 'gradNorm') => ({ ...defaultChartScale(chart), logY: logScale === false ? false : 'auto' });
  return {
    ...doc,
    version: 2,
    other: null,
    view: { ...DEFAULT_VIEW, selectedRun: null, ...kept, charts: { value: scale('value'), gradNorm: scale('gradNorm') } },
    experiments: DEFAULT_EXPERIMENTS,
  };
};

export const MIGRATIONS: Readonly<Record<number, Migration>> = Object.freeze({ 1: toVersion2 });
