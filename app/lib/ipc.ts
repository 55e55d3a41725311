/**
 * The one validated IPC entrance: an allowlist of channels, each with a
 * schema for its input, checked by the compiler against the desktop contract
 * (engine/spec/desktop.ts). main.ts registers exactly these handlers, each
 * behind the sender check in security.ts.
 */
import { z } from 'zod';
import { DESKTOP_CHANNELS, LANGUAGE_CODES, MAX_HELPERS, type DesktopCall, type DesktopInputs } from '../../engine/spec/desktop';

export { helperCount } from '../../engine/spec/desktop';
import { MAX_SESSION_BYTES } from '../../engine/spec/session';

/** The channel of each call. */
export const IPC = DESKTOP_CHANNELS;
export type IpcChannel = (typeof DESKTOP_CHANNELS)[DesktopCall];

const empty = z.strictObject({});

export const IPC_SCHEMAS = {
  openFile: z.strictObject({ kind: z.enum(['dataset', 'session']) }),
  saveFile: z.strictObject({
    kind: z.enum(['session', 'csv', 'png', 'svg', 'python', 'notebook']),
    suggestedName: z.string().max(255).regex(/^[^/\\:*?"<>|\0]+$/, 'a file name without folders'),
    data: z.union([z.string().max(512 * 1024 * 1024), z.instanceof(Uint8Array)]),
    path: z.string().max(4096).nullable(),
  }),
  readPath: z.strictObject({ path: z.string().min(1).max(4096) }),
  appInfo: empty,
  setTitle: z.strictObject({ filePath: z.string().max(4096).nullable(), dirty: z.boolean() }),
  recentFiles: empty,
  setTheme: z.strictObject({ theme: z.enum(['system', 'light', 'dark']) }),
  requestEnginePort: empty,
  requestHelperPort: z.strictObject({ index: z.number().int().min(0).max(MAX_HELPERS - 1) }),
  confirmDiscard: z.strictObject({ action: z.enum(['close', 'open', 'new']) }),
  autosave: z.strictObject({ text: z.string().max(MAX_SESSION_BYTES).nullable() }),
  recoverable: empty,
  copyImage: z.strictObject({ png: z.instanceof(Uint8Array).refine((b) => b.byteLength <= 64 * 2 ** 20 && b[0] === 0x89 && b[1] === 0x50, 'a PNG image of at most 64 MiB') }),
  setLanguage: z.strictObject({ language: z.enum(LANGUAGE_CODES) }),
} satisfies { [K in DesktopCall]: z.ZodType<DesktopInputs[K]> };

const CALL_OF = new Map<string, DesktopCall>(Object.entries(DESKTOP_CHANNELS).map(([call, channel]) => [channel, call as DesktopCall]));

/** Validates a call's input by its channel; throws an Error that names the field on failure. */
export function validateIpc<K extends DesktopCall>(channel: (typeof DESKTOP_CHANNELS)[K], payload: unknown): DesktopInputs[K] {
  const call = CALL_OF.get(channel);
  if (!call) throw new Error(`Unknown IPC channel ${channel}`);
  const result = IPC_SCHEMAS[call].safeParse(payload ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`Invalid ${channel} request${issue.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue.message}`);
  }
  return result.data as DesktopInputs[K];
}

export const FILE_FILTERS = {
  dataset: [{ name: 'Datasets', extensions: ['csv', 'tsv', 'txt', 'json', 'xlsx', 'parquet'] }],
  session: [{ name: 'Gradient Descent Lab session', extensions: ['gdlab'] }],
  csv: [{ name: 'CSV', extensions: ['csv'] }],
  png: [{ name: 'PNG image', extensions: ['png'] }],
  svg: [{ name: 'SVG image', extensions: ['svg'] }],
  python: [{ name: 'Python script', extensions: ['py'] }],
  notebook: [{ name: 'Jupyter notebook', extensions: ['ipynb'] }],
} as const;
