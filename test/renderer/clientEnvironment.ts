// Node, with modules transformed as the page's are (Vite's client environment): the renderer's `.svelte.ts`
// state then compiles for the browser, so its effects run, as they do in the lab. No DOM is provided.
import type { Environment } from 'vitest/environments';

export default <Environment>{
  name: 'renderer-state',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
};
