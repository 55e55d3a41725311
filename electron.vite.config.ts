import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// main and the engine's utility-process entry share one Node build; the sandboxed
// preload is CommonJS; the renderer bundles its own libraries (they are devDependencies).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { main: resolve('app/main.ts'), engine: resolve('engine/host/utilityProcess.ts') },
        output: { entryFileNames: '[name].js', format: 'es' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve('app/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    build: { outDir: 'out/renderer', rollupOptions: { input: resolve('renderer/index.html') } },
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
    worker: { format: 'es' },
  },
});
