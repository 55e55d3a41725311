/**
 * What an engine error says, in the interface's language. The engine words its errors in English
 * (`message`, for the command line and the logs) and, for the ones a person meets loading and
 * fitting data, also as words: an id and its values, which have a text in every language under
 * `errors.dataset.<id>`. An error without words, or whose words have no text, keeps its English.
 */
import { hasText, t } from './i18n.svelte';

interface Worded {
  info?: { kind?: string; words?: { id: string; values: Record<string, string | number> } };
}

export function errorText(error: unknown): string {
  const info = (error as Worded | null)?.info;
  const words = info?.kind === 'dataset' ? info.words : undefined;
  if (words && hasText(`errors.dataset.${words.id}`, words.values)) return t(`errors.dataset.${words.id}`, words.values);
  return error instanceof Error ? error.message : String(error);
}

type Values = Record<string, string | number>;

/** Why f has no value at a point (the engine's `undefinedValues`), in the current language. */
export function undefinedText(values: Values): string {
  const why = t(`errors.undefined.reason.${values.why}`);
  return t(Number(values.count) === 2 ? 'errors.undefined.describe2' : 'errors.undefined.describe1', { ...values, why });
}

/** Words from the engine (a run's end, an evaluation) in the current language, or null when they have no text here. */
export function wordsText(area: string, words: { id: string; values: Values } | undefined): string | null {
  if (!words) return null;
  if (words.id === 'describe') return undefinedText(words.values);
  const key = `${area}.${words.id}`;
  const values = typeof words.values.why === 'string' ? { ...words.values, describe: undefinedText(words.values) } : words.values;
  return hasText(key, values) ? t(key, values) : null;
}
