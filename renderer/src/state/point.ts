/** A point typed as numbers: the Evaluate field's and a run's start. */
import { t } from '../i18n/i18n.svelte';

/** A comma- or space-separated list of numbers, or the reason it is not one (`count`: how many it must have). */
export function parsePoint(text: string, count: number | null): { values: number[] } | { error: string } {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  if (parts.length === 0) return { error: t('function.point.empty') };
  const bad = parts.find((p) => !Number.isFinite(Number(p)));
  if (bad !== undefined) return { error: t('function.point.notNumber', { bad }) };
  if (count !== null && parts.length !== count)
    return { error: parts.length === 1 ? t('function.point.oneValue', { count }) : t('function.point.values', { values: parts.length, count }) };
  return { values: parts.map(Number) };
}
