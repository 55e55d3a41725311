// The hand-written Adam loop as a process of its own (bundled by the bench): node handLoop.mjs STEPS
import { handWritten } from './handLoop';

const [x, y] = handWritten(Number(process.argv[2]));
process.stdout.write(`${JSON.stringify({ x, y })}\n`);
