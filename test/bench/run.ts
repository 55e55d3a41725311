/** `npm run bench`: every benchmark, each printed as rates and ratios measured in this same run. */
import { benchEngineSteps } from './engineSteps';

const sections: Array<[string, () => void | Promise<void>]> = [['engine', benchEngineSteps]];
const only = process.argv[2];

console.log(`Gradient Descent Lab benchmarks — Node ${process.version}, ${new Date().toISOString()}\n`);
for (const [name, bench] of sections) {
  if (only && only !== name) continue;
  await bench();
  console.log('');
}
