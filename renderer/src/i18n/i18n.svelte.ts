/**
 * The interface's languages. Every string a person reads comes from `t(key)`,
 * whose texts are the JSON files under `renderer/src/locales/<language>/<area>.json`
 * (one area per part of the lab, the key's first segment). i18next resolves keys,
 * plurals (`key_one`, `key_other`, by Intl.PluralRules) and `{{value}}` slots.
 *
 * `t` reads the current language, a rune, so every template and derived value
 * that calls it follows a switch of language without a reload.
 */
import i18next from 'i18next';
import { isLanguage, LANGUAGES, matchLanguage, type LanguageCode } from '../../../engine/spec/desktop';
import { readStored, writeStored } from '../lib/storage';

export { isLanguage, LANGUAGES, matchLanguage };
export type Language = LanguageCode;

const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', { eager: true, import: 'default' });

/** Every language's texts: `{ language: { area: { key: text } } }`. */
export const CATALOGS: Record<Language, Record<string, Record<string, unknown>>> = { en: {}, 'pt-BR': {}, 'zh-CN': {} };
for (const [path, texts] of Object.entries(files)) {
  const match = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (match && match[1] in CATALOGS) CATALOGS[match[1] as Language][match[2]] = texts;
}

const STORAGE_KEY = 'gdlab.language';

function stored(): Language | null {
  const value = readStored<string>(STORAGE_KEY);
  return isLanguage(value) ? value : null;
}

let current = $state<Language>('en');

void i18next.init({
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: LANGUAGES.map((l) => l.code),
  resources: Object.fromEntries(Object.entries(CATALOGS).map(([lng, areas]) => [lng, { translation: areas }])),
  initAsync: false,
  // Svelte escapes what it puts in the page; the texts are ours.
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
} as Parameters<typeof i18next.init>[0]);

/** The text of `key` (`area.name`) in the current language, with `{{slots}}` filled from `values`. */
export function t(key: string, values?: Record<string, unknown>): string {
  // Reading the rune makes the caller follow a change of language.
  void current;
  return i18next.t(key, values ?? {}) as string;
}

/** Whether `key` has a text for these values (for ids that come from elsewhere, such as the engine's). */
export function hasText(key: string, values?: Record<string, unknown>): boolean {
  return i18next.exists(key, values ?? {});
}

/** A number for a sentence, in the current language's digits and separators (never for formulas or files). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  // Making a formatter costs far more than using one: statuses and axes format many numbers a frame.
  const key = `${current}/${options ? JSON.stringify(options) : ''}`;
  return (formatters[key] ??= new Intl.NumberFormat(current, options)).format(value);
}

/** Formatters by language, digits and grouping: a cache, not state. */
const formatters: Record<string, Intl.NumberFormat> = {};
function formatter(digits: number, grouping = true): Intl.NumberFormat {
  const key = `${current}/${digits}/${grouping}`;
  return (formatters[key] ??= new Intl.NumberFormat(current, { maximumSignificantDigits: digits, useGrouping: grouping }));
}

/** ∞ and NaN as every language writes them (no English word). */
function nonFinite(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
}

/**
 * The one way the lab shows a number in sentences, tables, statuses and charts: `digits` significant
 * digits in the language's notation (0,025 and 2.000 in Portuguese; 0.025 and 2,000 in English and
 * Chinese), scientific (1,5e-7) below 1e-4 and from 1e6 (from 10^digits for whole numbers' digits).
 * Fields, formulas and files keep the decimal point: they never use this.
 */
export function showNumber(v: number, digits = 4, grouping = true): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return formatter(digits, grouping).format(+v.toPrecision(digits));
  return showScientific(v, digits);
}

/** A number as m·10ᵉ written `1,5e-7` (Portuguese) or `1.5e-7`, with at most `digits` significant digits. */
export function showScientific(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  const [mantissa, exponent] = v.toExponential(digits - 1).split('e');
  return `${formatter(digits).format(+mantissa)}e${Number(exponent)}`;
}

/** The separator between a vector's numbers: "; " where the decimal separator is a comma (0,5; 1,25), else ", ". */
export function listSeparator(): string {
  return formatNumber(0.5).includes(',') ? '; ' : ', ';
}

/** A vector's numbers as the engine computed them, every digit kept, in the language's notation. */
export function showVector(values: readonly number[]): string {
  return values.map((v) => showWritten(String(v), false)).join(listSeparator());
}

/** A number the engine wrote as text (`0.001`, `1.4e220`, `Infinity`) in the language's notation, its digits kept. */
export function showWritten(text: string, grouping = true): string {
  if (text === 'Infinity' || text === '-Infinity' || text === 'NaN') return nonFinite(Number(text));
  const m = /^(-?)(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return text;
  const significant = m[2].replace('.', '').replace(/^0+/, '').length;
  const digits = Math.min(21, Math.max(1, significant));
  const body = formatter(digits, grouping).format(Number(m[1] + m[2]));
  return m[3] === undefined ? body : `${body}e${Number(m[3])}`;
}

/** The space between a label and its text, or between sentences: none in Chinese, whose punctuation is full-width. */
export function gap(): string {
  return current === 'zh-CN' ? '' : ' ';
}

/** Sentences put one after the other, as the language writes them. */
export function joinSentences(parts: readonly string[]): string {
  return parts.filter(Boolean).join(gap());
}

/** A list of names for a sentence ("a, b and c"), in the current language. */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(current, { type: 'conjunction' }).format(items);
}

export const i18n = {
  get language(): Language {
    return current;
  },
  /** Switches every text at once and remembers the choice for the next start. */
  set(language: Language): void {
    apply(language);
    writeStored(STORAGE_KEY, language);
  },
  /** The first start follows the system's locale; later starts, the person's choice (this window's, or the one the shell kept). */
  start(system: { locale: string | null; language: string | null }): void {
    apply(stored() ?? (isLanguage(system.language) ? system.language : matchLanguage(system.locale)));
  },
};

function apply(language: Language): void {
  current = language;
  void i18next.changeLanguage(language);
  if (typeof document === 'undefined') return;
  document.documentElement.lang = language;
  // Canvas text (chart axes, legends) is drawn, not bound: charts redraw on this event.
  dispatchEvent(new Event('gdlab:language'));
}
