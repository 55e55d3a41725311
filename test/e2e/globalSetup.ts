// Builds the renderer as a web page (engine in a Web Worker) and serves it on
// 127.0.0.1 for the browser end-to-end tests.
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

let server: PreviewServer | null = null;

export async function setup(project: TestProject): Promise<void> {
  await build({ configFile: 'vite.web.config.ts', logLevel: 'warn' });
  server = await preview({ configFile: 'vite.web.config.ts', preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 4178;
  project.provide('webUrl', `http://127.0.0.1:${port}/`);
}

export async function teardown(): Promise<void> {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
  }
}
