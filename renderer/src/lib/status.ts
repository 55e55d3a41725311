/**
 * A run's status line after its state ("paused · "): the step and, for a formula, f there; for a
 * data fit, the loss on the whole training set at the last epoch's end (what a fit is judged by),
 * the validation loss when rows are held out, and for mini-batch runs the loss of the batch the next
 * update uses, named as such. A loss that includes a penalty says so.
 */
import { formatNumber, showNumber, t } from '../i18n/i18n.svelte';

export interface StatusFacts {
  mode: 'function' | 'data';
  step: number;
  value: number;
  epoch: { epoch: number; loss: number; valLoss: number } | undefined;
  miniBatch: boolean;
  /** Whether the training loss includes an L1/L2 penalty, which the status then says. */
  penalized?: boolean;
}

export const statusNumber = (v: number): string => showNumber(v, 6);

export function statusDetail(f: StatusFacts): string {
  const parts = [t('function.status.step', { step: formatNumber(f.step) })];
  if (f.mode === 'function') parts.push(`f = ${statusNumber(f.value)}`);
  else {
    if (f.epoch) {
      parts.push(t(f.penalized ? 'function.status.epochPenalized' : 'function.status.epoch', { epoch: formatNumber(f.epoch.epoch), loss: statusNumber(f.epoch.loss) }));
      if (Number.isFinite(f.epoch.valLoss)) parts.push(t('function.status.validationLoss', { loss: statusNumber(f.epoch.valLoss) }));
    }
    if (f.miniBatch) parts.push(t('function.status.nextBatchLoss', { loss: statusNumber(f.value) }));
    else if (!f.epoch) parts.push(t(f.penalized ? 'function.status.trainingLossPenalized' : 'function.status.trainingLoss', { loss: statusNumber(f.value) }));
  }
  return parts.join(' · ');
}
