// The interface's texts as the browser tests look them up: a key's text in a language, straight from
// the catalogs the page uses.
import { CATALOGS, type Language } from '../../renderer/src/i18n/i18n.svelte';

type Tree = Record<string, unknown>;

/** The text of `area.key…` in `lang`; throws for a key that is not there. */
export function text(lang: Language, key: string): string {
  const value = key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], CATALOGS[lang]);
  if (typeof value !== 'string') throw new Error(`no text ${key} in ${lang}`);
  return value;
}
