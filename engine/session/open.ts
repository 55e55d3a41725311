/**
 * Opening a session file: every way a file can be wrong gets its own message
 * saying what is wrong and what to do, and nothing in the file can reach
 * anything but the returned, schema-checked value (hostile keys such as
 * `__proto__` are refused before the schema sees the document).
 */
import { resolveHyperparameters } from '../optim/registry';
import { MAX_SESSION_BYTES, SESSION_FORMAT, SESSION_VERSION, SessionSchema, type Session } from '../spec/session';
import { MIGRATIONS } from './migrate';

export class SessionError extends Error {
  override name = 'SessionError';
}

const HOSTILE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function decode(bytes: Uint8Array, name: string): string {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (bytes.indexOf(0) >= 0) throw new SessionError(`${name} is not a Gradient Descent Lab session: it is a binary file. Sessions are the .gdlab files the lab saves.`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    throw new SessionError(`${name} is not a Gradient Descent Lab session: it is not UTF-8 text. Sessions are the .gdlab files the lab saves.`);
  }
}

function parseJson(text: string, name: string): unknown {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) {
    const start = JSON.stringify(trimmed.slice(0, 24));
    throw new SessionError(`${name} is not a Gradient Descent Lab session: it is not a JSON document (it starts with ${start}). Open datasets from the Data panel; sessions are the .gdlab files the lab saves.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    if (/end of JSON input|Unterminated/i.test(message)) {
      throw new SessionError(`${name} is truncated: its JSON ends early, after ${text.length.toLocaleString('en')} characters. The save that wrote it was probably interrupted; an autosave or an older copy may hold the session.`);
    }
    const position = /position (\d+)/.exec(message);
    const where = position ? ` at ${lineColumn(text, Number(position[1]))}` : '';
    throw new SessionError(`${name} is corrupt: invalid JSON${where} (${message.replace(/ in JSON at position \d+.*$/, '')}). It was changed outside the lab or damaged.`);
  }
}

/** The path of the first key that could reach an object's prototype, or null. */
function hostileKey(value: unknown, path: string): string | null {
  if (value === null || typeof value !== 'object') return null;
  for (const key of Object.keys(value)) {
    const here = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (HOSTILE_KEYS.has(key)) return here;
    const found = hostileKey((value as Record<string, unknown>)[key], here);
    if (found) return found;
  }
  return null;
}

/** Parses and checks a session file's bytes (or text). Throws a SessionError with a message for a person. */
export function parseSession(input: Uint8Array | string, name = 'The file'): Session {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > MAX_SESSION_BYTES) throw new SessionError(`${name} is ${Math.round(size / 2 ** 20)} MiB; sessions are at most ${MAX_SESSION_BYTES / 2 ** 20} MiB. It is not a session this lab wrote.`);
  if (size === 0) throw new SessionError(`${name} is empty: it holds no session. The save that wrote it may have been interrupted.`);
  const text = typeof input === 'string' ? input : decode(input, name);
  const doc = parseJson(text, name);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new SessionError(`${name} is not a Gradient Descent Lab session: its JSON is not an object.`);
  }
  const hostile = hostileKey(doc, '');
  if (hostile) throw new SessionError(`${name} was refused: it contains the key "${hostile.split(/[.[]/).pop()?.replace(']', '')}" at ${hostile}, which no session has. The file may have been tampered with; nothing in it was used.`);
  const record = doc as Record<string, unknown>;
  if (record.format !== SESSION_FORMAT) {
    const what = typeof record.format === 'string' ? `its format is "${record.format.slice(0, 60)}"` : 'it has no "format": "gdlab-session" field';
    throw new SessionError(`${name} is not a Gradient Descent Lab session: ${what}.`);
  }
  const version = record.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SessionError(`${name} is corrupt: its format version is ${JSON.stringify(version)}, not a whole number from 1.`);
  }
  if (version > SESSION_VERSION) {
    throw new SessionError(`${name} was saved by a newer Gradient Descent Lab (session format version ${version}); this version opens sessions up to version ${SESSION_VERSION}. Update the lab to open it; the file was not changed.`);
  }
  let migrated: Record<string, unknown> = record;
  for (let v = version; v < SESSION_VERSION; v++) migrated = MIGRATIONS[v](migrated);
  const parsed = SessionSchema.safeParse(migrated);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : 'the top level';
    throw new SessionError(`${name} is damaged: at ${where}, ${issue.message.replace(/^Invalid input: /, '')}. It was changed outside the lab or written by a faulty program.`);
  }
  const session = parsed.data;
  const ids = new Set<string>();
  for (const run of session.runs) {
    if (ids.has(run.id)) throw new SessionError(`${name} is damaged: two runs have the id "${run.id}".`);
    ids.add(run.id);
    const { name: optimizer, ...hyper } = run.optimizer;
    try {
      resolveHyperparameters(optimizer, hyper);
    } catch (error) {
      throw new SessionError(`${name}: run "${run.name}" cannot be used: ${(error as Error).message}.`);
    }
  }
  return session;
}

/** The file's text: the session checked against the schema first, so the lab never writes a file it would refuse. */
export function serializeSession(session: Session): string {
  const checked = SessionSchema.parse(session);
  return `${JSON.stringify(checked, null, 1)}\n`;
}
