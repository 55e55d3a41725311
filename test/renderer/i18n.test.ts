// The interface's languages: every text exists in English, Português (Brasil) and 中文 (简体), with the
// same slots; every key the code asks for exists; no Portuguese or Chinese text is left in English;
// the first language follows the system's locale and a switch changes what `t` returns.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGS, formatNumber, i18n, LANGUAGES, matchLanguage, t, type Language } from '../../renderer/src/i18n/i18n.svelte';
import { buildMenuTemplate, type MenuItemSpec } from '../../app/lib/menu';
import { UNTRANSLATED_OK } from './i18nAllow';
import { numberParser, pointParser } from '../../renderer/src/lib/fields';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every leaf of a catalog as `area.key.sub` → text. */
function leaves(tree: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else if (value && typeof value === 'object') for (const [k, v] of leaves(value as Record<string, unknown>, path)) out.set(k, v);
    else throw new Error(`${path} is neither a text nor a group`);
  }
  return out;
}

const texts = Object.fromEntries(LANGUAGES.map(({ code }) => [code, leaves(CATALOGS[code])])) as Record<Language, Map<string, string>>;
/** Keys without their plural ending: what the code asks for. */
const baseKeys = (lang: Language) => new Set([...texts[lang].keys()].map((k) => k.replace(PLURAL, '')));
const slots = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).filter((s) => s !== 'count').sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

describe('the catalogs', () => {
  it('have areas and a few hundred texts', () => {
    expect(Object.keys(CATALOGS.en).length).toBeGreaterThanOrEqual(5);
    expect(texts.en.size).toBeGreaterThan(200);
  });

  it('give every key in every language', () => {
    const en = baseKeys('en');
    for (const { code } of LANGUAGES) {
      const keys = baseKeys(code);
      expect([...en].filter((k) => !keys.has(k)), `missing in ${code}`).toEqual([]);
      expect([...keys].filter((k) => !en.has(k)), `only in ${code}`).toEqual([]);
    }
  });

  it('give English and Portuguese both plural forms, and Chinese its one form', () => {
    for (const key of texts.en.keys()) {
      if (!PLURAL.test(key)) continue;
      const base = key.replace(PLURAL, '');
      for (const lang of ['en', 'pt-BR'] as const) for (const form of ['one', 'other']) expect(texts[lang].has(`${base}_${form}`), `${lang} ${base}_${form}`).toBe(true);
      expect(texts['zh-CN'].has(`${base}_other`), `zh-CN ${base}_other`).toBe(true);
    }
  });

  it('keep the same slots in every language', () => {
    for (const [key, text] of texts.en) {
      const base = key.replace(PLURAL, '');
      for (const lang of ['pt-BR', 'zh-CN'] as const) {
        const other = texts[lang].get(key) ?? texts[lang].get(`${base}_other`);
        expect(other, `${lang} ${key}`).toBeDefined();
        // `reason` and `what` carry English (mathjs's syntax messages, the engine's name of an operator): a
        // translation may leave them out, and say the operator by its symbol (`op`) instead.
        const english = ['reason', 'what', 'takes'];
        const mine = slots(other!).filter((slot) => !(slot === 'op' && slots(text).includes('what')) && !(['min', 'max'].includes(slot) && slots(text).includes('takes')));
        expect(mine, `${lang} ${key}`).toEqual(slots(text).filter((slot) => !english.includes(slot) || slots(other!).includes(slot)));
      }
    }
  });

  it('leave no Portuguese or Chinese text in English, names and units aside', () => {
    for (const lang of ['pt-BR', 'zh-CN'] as const) {
      const same = [...texts.en].filter(([key, text]) => texts[lang].get(key) === text && !UNTRANSLATED_OK.has(text) && /[A-Za-z]{3}/.test(text.replace(/\{\{[^}]*\}\}/g, '')));
      expect(same.map(([key, text]) => `${key}: ${text}`), lang).toEqual([]);
    }
  });

  it('hold every key the interface and the menus ask for', () => {
    const en = baseKeys('en');
    const asked = new Set<string>();
    for (const file of [...sourceFiles('renderer/src'), 'app/lib/menu.ts']) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\bt\(\s*'([\w.]+)'/g)) asked.add(file === 'app/lib/menu.ts' ? `menu.${m[1]}` : m[1]);
    }
    expect(asked.size).toBeGreaterThan(100);
    expect([...asked].filter((k) => !en.has(k))).toEqual([]);
  });
});

describe('choosing a language', () => {
  it('follows the system locale on a first start', () => {
    expect(matchLanguage('pt-BR')).toBe('pt-BR');
    expect(matchLanguage('pt-PT')).toBe('pt-BR');
    expect(matchLanguage('zh-CN')).toBe('zh-CN');
    expect(matchLanguage('zh-Hans-SG')).toBe('zh-CN');
    expect(matchLanguage('en-GB')).toBe('en');
    expect(matchLanguage('de-DE')).toBe('en');
    expect(matchLanguage(undefined)).toBe('en');
    i18n.start({ locale: 'zh-TW', language: null });
    expect(i18n.language).toBe('zh-CN');
    // A language the shell kept wins over the system's locale.
    i18n.start({ locale: 'zh-CN', language: 'pt-BR' });
    expect(i18n.language).toBe('pt-BR');
  });

  it('switches texts, plurals and numbers at once', () => {
    i18n.set('en');
    expect(t('app.run')).toBe('Run');
    expect(t('app.fixFields', { count: 2, first: 'lr' })).toBe('Fix the 2 highlighted fields first: lr');
    expect(formatNumber(1234.5)).toBe('1,234.5');
    i18n.set('pt-BR');
    expect(t('app.run')).toBe('Executar');
    expect(t('app.fixFields', { count: 1, first: 'lr' })).toBe('Corrija primeiro o campo destacado: lr');
    expect(formatNumber(1234.5)).toBe('1.234,5');
    i18n.set('zh-CN');
    expect(t('app.run')).toBe('运行');
    expect(t('app.fixFields', { count: 2, first: 'lr' })).toBe('请先修正 2 个标出的字段：lr');
    i18n.set('en');
  });
});

describe('the desktop menus', () => {
  const labels = (items: MenuItemSpec[]): string[] => items.flatMap((i) => [...(i.label ? [i.label] : []), ...labels(i.submenu ?? [])]);
  const english = labels(buildMenuTemplate({ platform: 'darwin', appName: 'Gradient Descent Lab', recent: [], theme: 'system', language: 'en' }));

  it('speak each language, every item labelled, Electron roles included', () => {
    for (const language of ['pt-BR', 'zh-CN'] as const) {
      for (const platform of ['darwin', 'linux', 'win32']) {
        const template = buildMenuTemplate({ platform, appName: 'Gradient Descent Lab', recent: [], theme: 'system', language });
        const walk = (items: MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...walk(i.submenu ?? [])]);
        for (const item of walk(template)) if (item.type !== 'separator') expect(item.label, JSON.stringify(item)).toBeTruthy();
        const left = labels(template).filter((l) => english.includes(l) && !UNTRANSLATED_OK.has(l));
        expect(left, `${language} ${platform}`).toEqual([]);
      }
    }
  });

  it('offer the languages, the current one checked', () => {
    const view = buildMenuTemplate({ platform: 'linux', appName: 'Lab', recent: [], theme: 'system', language: 'zh-CN' }).find((m) => m.label === '视图')!;
    const languages = view.submenu!.find((m) => m.label === '语言')!.submenu!;
    expect(languages.map((l) => [l.label, l.command, l.checked])).toEqual([
      ['English', 'view.language.en', false],
      ['Português (Brasil)', 'view.language.pt-BR', false],
      ['中文 (简体)', 'view.language.zh-CN', true],
    ]);
  });
});

describe('number fields', () => {
  it('read a point as the decimal separator in every language, and tell a decimal comma to use one', () => {
    const lr = numberParser({ min: 0, exclusiveMin: true });
    for (const lang of LANGUAGES.map((l) => l.code)) {
      i18n.set(lang);
      expect(lr('0.01')).toEqual({ value: 0.01 });
      expect(lr('1e-3')).toEqual({ value: 0.001 });
      expect(lr('0,01')).toEqual({ error: t('runs.fields.decimalComma', { text: '0,01', number: '0.01' }) });
      expect(lr(',5')).toEqual({ error: t('runs.fields.decimalComma', { text: ',5', number: '.5' }) });
      expect(lr('abc')).toEqual({ error: t('runs.fields.notNumber', { text: 'abc' }) });
      // A point's coordinates are separated by commas: "0,01" there is two numbers.
      expect(pointParser(() => 2)('0,01')).toEqual({ value: [0, 1] });
    }
    i18n.set('pt-BR');
    expect(lr('2,5')).toEqual({ error: '“2,5” não é um número: nos campos, decimais levam ponto, 2.5' });
    i18n.set('en');
  });
});
