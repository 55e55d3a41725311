// The renderer as a web page with the engine in a Web Worker: what `npm run web`
// serves on 127.0.0.1 and what the browser end-to-end tests drive.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  worker: { format: 'es' },
  build: { outDir: resolve('out/web'), emptyOutDir: true, chunkSizeWarningLimit: 2000, minify: !process.env.GDLAB_NO_MINIFY },
  preview: { host: '127.0.0.1', port: 4178, strictPort: false },
  server: { host: '127.0.0.1' },
});
