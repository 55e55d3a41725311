/**
 * The one validated IPC entrance: an allowlist of channels, each with a
 * schema for its payload. main.ts registers exactly these handlers, each
 * behind the sender check in security.ts.
 */
import { z } from 'zod';

import { IPC } from './channels';
import { MAX_SESSION_BYTES } from '../../engine/session/format';

export { IPC };

export const IPC_SCHEMAS = {
  [IPC.openFile]: z.object({ kind: z.enum(['dataset', 'session']) }),
  [IPC.saveFile]: z.object({
    kind: z.enum(['session', 'csv', 'png', 'svg', 'python']),
    suggestedName: z.string().max(255).regex(/^[^/\\:*?"<>|\0]+$/, 'a file name without folders'),
    data: z.union([z.string().max(512 * 1024 * 1024), z.instanceof(Uint8Array)]),
    path: z.string().max(4096).nullable(),
  }),
  [IPC.readPath]: z.object({ path: z.string().min(1).max(4096) }),
  [IPC.appInfo]: z.object({}).strict(),
  [IPC.setTitle]: z.object({ filePath: z.string().max(4096).nullable(), dirty: z.boolean() }),
  [IPC.recentFiles]: z.object({}).strict(),
  [IPC.setTheme]: z.object({ theme: z.enum(['system', 'light', 'dark']) }),
  [IPC.requestEnginePort]: z.object({}).strict(),
  [IPC.confirmDiscard]: z.object({ action: z.enum(['close', 'open', 'new']) }),
  [IPC.autosave]: z.object({ text: z.string().max(MAX_SESSION_BYTES).nullable() }),
  [IPC.recoverable]: z.object({}).strict(),
  [IPC.copyImage]: z.object({ png: z.instanceof(Uint8Array).refine((b) => b.byteLength <= 64 * 2 ** 20 && b[0] === 0x89 && b[1] === 0x50, 'a PNG image of at most 64 MiB') }),
} as const;

export type IpcChannel = keyof typeof IPC_SCHEMAS;

/** Validates a payload for a channel; throws an Error that names the field on failure. */
export function validateIpc<C extends IpcChannel>(channel: C, payload: unknown): z.infer<(typeof IPC_SCHEMAS)[C]> {
  const schema = IPC_SCHEMAS[channel];
  if (!schema) throw new Error(`Unknown IPC channel ${channel}`);
  const result = schema.safeParse(payload ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`Invalid ${channel} request${issue.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue.message}`);
  }
  return result.data as z.infer<(typeof IPC_SCHEMAS)[C]>;
}

export const FILE_FILTERS = {
  dataset: [{ name: 'Datasets', extensions: ['csv', 'tsv', 'txt', 'json'] }],
  session: [{ name: 'Gradient Descent Lab session', extensions: ['gdlab'] }],
  csv: [{ name: 'CSV', extensions: ['csv'] }],
  png: [{ name: 'PNG image', extensions: ['png'] }],
  svg: [{ name: 'SVG image', extensions: ['svg'] }],
  python: [{ name: 'Python script', extensions: ['py'] }],
} as const;
