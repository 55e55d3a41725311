/**
 * What the engine says, in the interface's language. The engine words its messages in English
 * (`message`, for the command line and the logs) and, for the ones the lab shows, also as `Words`:
 * an id and its values, which have a text in every language under an area of the catalogs (a run's
 * end under `runs.outcome`, a formula's errors under `function.error`, a dataset's under
 * `errors.dataset`). Words without a text here keep their English.
 */
import type { Words } from '../../../engine';
import { hasText, showWritten, t } from './i18n.svelte';

type Values = Words['values'];

/** An engine error's text: a dataset error's words in the current language, else its English message. */
export function errorText(error: unknown): string {
  const info = (error as { info?: { kind?: string; words?: Words } } | null)?.info;
  const worded = info?.kind === 'dataset' ? wordsText('errors.dataset', info.words) : null;
  return worded ?? (error instanceof Error ? error.message : String(error));
}

/** The engine's values with the numbers it wrote as text in the language's notation (0,001; ∞). */
function localValues(values: Values): Values {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, TEXT.has(k) ? v : showWritten(String(v))]));
}
/** Values that are text (names, formula parts, paths) or that pick a plural form: kept as given. */
const TEXT = new Set(['name', 'column', 'columns', 'target', 'targetName', 'reason', 'hint', 'where', 'variables', 'text', 'path', 'key', 'features', 'message', 'why', 'count', 'mlp', 'sizes', 'token', 'expr', 'part', 'suggestion', 'number', 'written', 'power', 'found', 'what', 'op', 'renamed', 'variable', 'sheet', 'sheets']);

/** Why f has no value at a point (the engine's `undefinedValues`), in the current language. */
export function undefinedText(given: Values): string {
  const values = localValues(given);
  const why = t(`errors.undefined.reason.${values.why}`);
  return t(Number(values.count) === 2 ? 'errors.undefined.describe2' : 'errors.undefined.describe1', { ...values, why });
}

/** A formula's error message in the current language when the engine gave it as words with a place, else its English. */
export function formulaErrorText(error: { message: string; words?: Words }): string {
  const words = error.words;
  return (words && Number(words.values.column ?? 1) > 0 ? wordsText('function.error', words) : null) ?? error.message;
}

/** Words from the engine (a run's end, an evaluation) in the current language, or null when they have no text here. */
export function wordsText(area: string, words: Words | undefined): string | null {
  if (!words) return null;
  if (words.id === 'describe') return undefinedText(words.values);
  const key = `${area}.${words.id}`;
  const values = typeof words.values.why === 'string' ? { ...localValues(words.values), describe: undefinedText(words.values) } : localValues(words.values);
  return hasText(key, values) ? t(key, values) : null;
}
