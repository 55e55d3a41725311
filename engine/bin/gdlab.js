#!/usr/bin/env node
// Launcher of the `gdlab` command: runs the TypeScript entry through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../cli/index.ts');
