/**
 * Fields that check their value as it is typed. Each field reports its
 * problem (or none) to the registry the app provides; Run refuses to start
 * while any field holds a value that is not valid.
 */
import { getContext, setContext } from 'svelte';

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

const fmt = (v: number) => String(Number(v.toPrecision(6)));

/** A number, optionally whole and within bounds. */
export function numberParser(options: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean; what?: string } = {}): (text: string) => Parsed<number> {
  return (text) => {
    const t = text.trim();
    if (t === '') return { error: `Type ${options.what ?? 'a number'}` };
    const v = Number(t);
    if (!Number.isFinite(v)) return { error: `“${t}” is not a number` };
    if (options.integer && !Number.isInteger(v)) return { error: `Type a whole number (${t} has a fraction)` };
    if (options.min !== undefined && (options.exclusiveMin ? v <= options.min : v < options.min)) return { error: `Must be ${options.exclusiveMin ? 'above' : 'at least'} ${fmt(options.min)}` };
    if (options.max !== undefined && v > options.max) return { error: `Must be at most ${fmt(options.max)}` };
    return { value: v };
  };
}

/** A list of `count` numbers separated by commas or spaces. */
export function pointParser(count: () => number | null): (text: string) => Parsed<number[]> {
  return (text) => {
    const parts = text.split(/[,\s]+/).filter(Boolean);
    const n = count();
    if (parts.length === 0) return { error: 'Type numbers separated by commas, e.g. 1, 1' };
    const bad = parts.find((p) => !Number.isFinite(Number(p)));
    if (bad !== undefined) return { error: `“${bad}” is not a number; type numbers separated by commas` };
    if (n !== null && parts.length !== n) return { error: `Type ${n} number${n === 1 ? '' : 's'}, one per variable (${parts.length} given)` };
    return { value: parts.map(Number) };
  };
}
