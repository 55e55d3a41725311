/**
 * The window's own small settings (the language chosen, the lessons' progress), as JSON in its
 * storage. A window without storage, or with a value it cannot read, works on and forgets.
 */
export function readStored<T>(key: string): T | null {
  try {
    const text = globalThis.localStorage?.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    // Forgotten, as above.
  }
}
