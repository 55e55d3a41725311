/**
 * What a chart export's legend says of each run besides its name: its optimizer and the settings that
 * set it apart (lr, momentum or betas where not the default, a schedule, the batch size), so that a
 * slide shows what was compared.
 */
import type { RunSpec } from '../../../engine';
import { showNumber } from '../i18n/i18n.svelte';

/** An optimizer and its settings off their defaults: "sgd, lr 0.001, momentum 0.9". */
export function optimizerNote(optimizer: RunSpec['optimizer']): string {
  const o = optimizer as Record<string, unknown> & { name: string; lr: number };
  const parts = [o.name, `lr ${showNumber(o.lr, 4)}`];
  if (typeof o.momentum === 'number' && o.momentum !== 0) parts.push(`momentum ${showNumber(o.momentum, 4)}`);
  if (Array.isArray(o.betas) && (o.betas[0] !== 0.9 || o.betas[1] !== 0.999)) parts.push(`betas ${o.betas.map((b) => showNumber(b as number, 4)).join('/')}`);
  if (typeof o.weight_decay === 'number' && o.weight_decay !== 0) parts.push(`weight_decay ${showNumber(o.weight_decay, 4)}`);
  return parts.join(', ');
}

export function runNote(run: RunSpec, data: boolean): string {
  const parts = [optimizerNote(run.optimizer)];
  if (run.schedule && run.schedule.type !== 'constant') parts.push(run.schedule.type);
  if (run.clipNorm) parts.push(`clip ${showNumber(run.clipNorm, 4)}`);
  if (data) parts.push(`batch ${run.batchSize}`);
  return parts.join(', ');
}

/** The note for a legend label: the run it names (its name alone, or followed by a word such as "training"). */
export function legendNote(runs: readonly RunSpec[], data: boolean, label: string): string | null {
  const run = [...runs].sort((a, b) => b.name.length - a.name.length).find((r) => label === r.name || label.startsWith(`${r.name} `));
  return run ? runNote(run, data) : null;
}
