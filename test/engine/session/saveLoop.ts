// Child process for the kill-during-save test: saves two different sessions over
// one file, alternately, until it is killed. Bundled to plain JS by the test.
import { readFileSync } from 'node:fs';
import { atomicWrite } from '../../../engine/session/file';

const [target, a, b] = process.argv.slice(2);
const texts = [readFileSync(a, 'utf8'), readFileSync(b, 'utf8')];
let k = 0;
process.send?.('ready');
for (;;) await atomicWrite(target, texts[k++ % 2]);
