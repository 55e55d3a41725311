import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  // The renderer's `.svelte.ts` modules (runes) compile for the tests as they do for the page.
  plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/renderer/state/**'], environment: 'node' } },
      // The renderer's state in Node, compiled as the page's is (its effects run) and driving the real engine in this process.
      { extends: true, resolve: { conditions: ['browser'] }, test: { name: 'state', include: ['test/renderer/state/**/*.test.ts'], environment: './test/renderer/clientEnvironment.ts' } },
      // A poll waits up to 10 s by default (vitest's own default is 1 s): long enough on a loaded machine, and still a bound.
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.e2e.test.ts'], environment: 'node', globalSetup: ['test/e2e/globalSetup.ts'], fileParallelism: false, expect: { poll: { timeout: 10_000, interval: 50 } } } },
    ],
  },
});
