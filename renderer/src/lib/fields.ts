/**
 * Fields that check their value as it is typed. Each field reports its
 * problem (or none) to the registry the app provides; Run refuses to start
 * while any field holds a value that is not valid.
 */
import { getContext, setContext } from 'svelte';
import { formatNumber, showNumber, t } from '../i18n/i18n.svelte';

export type Parsed<T> = { value: T } | { error: string };

export interface FieldRegistry {
  set(id: string, error: string | null): void;
}

const KEY = Symbol('fields');

export function provideFields(registry: FieldRegistry): void {
  setContext(KEY, registry);
}

export function fieldRegistry(): FieldRegistry {
  return getContext<FieldRegistry | undefined>(KEY) ?? { set: () => undefined };
}

/**
 * A number, optionally whole and within bounds. The messages are worded in the current language when the
 * text is checked (a field that shows one re-checks on a switch of language); `what` ("a whole number of
 * steps") is best given as a function returning `t(…)`, so that it is worded then too.
 */
export function numberParser(options: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean; what?: string | (() => string) } = {}): (text: string) => Parsed<number> {
  return (text) => {
    const trimmed = text.trim();
    if (trimmed === '') {
      const what = typeof options.what === 'function' ? options.what() : options.what ?? t('runs.fields.aNumber');
      return { error: t('runs.fields.type', { what }) };
    }
    const v = Number(trimmed);
    if (!Number.isFinite(v)) return { error: notANumber(trimmed) };
    if (options.integer && !Number.isInteger(v)) return { error: t('runs.fields.notWhole', { text: trimmed }) };
    if (options.min !== undefined && (options.exclusiveMin ? v <= options.min : v < options.min)) return { error: t(options.exclusiveMin ? 'runs.fields.above' : 'runs.fields.atLeast', { min: showNumber(options.min, 6) }) };
    if (options.max !== undefined && v > options.max) return { error: t('runs.fields.atMost', { max: showNumber(options.max, 6) }) };
    return { value: v };
  };
}

/** Why a text is not a number; a decimal comma (0,01) is told to use a point, as fields and the engine read it. */
function notANumber(text: string): string {
  return DECIMAL_COMMA.test(text) ? t('runs.fields.decimalComma', { text, number: text.replace(',', '.') }) : t('runs.fields.notNumber', { text });
}
const DECIMAL_COMMA = /^[+-]?\d*,\d+(e[+-]?\d+)?$/i;

/** A list of `count` numbers separated by commas or spaces. */
export function pointParser(count: () => number | null): (text: string) => Parsed<number[]> {
  return (text) => {
    const parts = text.split(/[,\s]+/).filter(Boolean);
    const n = count();
    if (parts.length === 0) return { error: t('runs.fields.typePoint') };
    const bad = parts.find((p) => !Number.isFinite(Number(p)));
    if (bad !== undefined) return { error: t('runs.fields.pointNotNumber', { text: bad }) };
    if (n !== null && parts.length !== n) return { error: t('runs.fields.pointCount', { count: n, n: formatNumber(n), given: formatNumber(parts.length) }) };
    return { value: parts.map(Number) };
  };
}
