// Layering, as the architecture fixes it: engine/ is the common layer (no electron, no DOM,
// no node: imports outside its Node-only entry points), renderer/ is the browser, app/ is Electron.
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import svelteConfig from './svelte.config.js';

const electron = { name: 'electron', message: 'Bad layering: only app/ may import electron.' };
const nodeBuiltins = { group: ['node:*'], message: 'Bad layering: this layer runs in a browser or worker too; Node built-ins only in Node entry points.' };
const appOrRenderer = { group: ['**/app/**', '**/renderer/**'], message: 'Bad layering: engine/ imports nothing from app/ or renderer/.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-output/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: tseslint.parser, svelteConfig } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='eval']", message: 'eval is never used.' }],
    },
  },
  {
    files: ['engine/**/*.ts'],
    ignores: ['engine/cli/**', 'engine/host/node*.ts', 'engine/host/utility*.ts', 'engine/data/file*.ts', 'engine/session/file*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electron], patterns: [nodeBuiltins, appOrRenderer] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage'],
    },
  },
  {
    files: ['engine/cli/**/*.ts', 'engine/host/node*.ts', 'engine/host/utility*.ts', 'engine/data/file*.ts', 'engine/session/file*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron], patterns: [appOrRenderer] }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron], patterns: [nodeBuiltins, { group: ['**/app/**'], message: 'Bad layering: renderer/ talks to app/ only through LabBridge.' }] }] },
  },
  {
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Tests run in plain Node: importing electron downloads its binary.' }] }] },
  },
);
