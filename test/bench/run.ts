/** `npm run bench`: every benchmark, each printed as rates and ratios measured in this same run. */
import { benchEngineSteps } from './engineSteps';
import { benchDataFit } from './dataFit';
import { benchBrowserStreaming } from './browserStreaming';
import { benchMemory } from './memory';
import { benchExperiments } from './experiments';
import { benchCli } from './cli';
import { benchLabFit } from './labFit';
import { benchNetwork } from './network';

const sections: Array<[string, () => void | Promise<void>]> = [
  ['engine', benchEngineSteps],
  ['data', benchDataFit],
  ['browser', benchBrowserStreaming],
  ['memory', benchMemory],
  ['experiments', benchExperiments],
  ['cli', benchCli],
  ['labfit', benchLabFit],
  ['network', benchNetwork],
];
const only = process.argv[2];

console.log(`Gradient Descent Lab benchmarks — Node ${process.version}, ${new Date().toISOString()}\n`);
for (const [name, bench] of sections) {
  if (only && only !== name) continue;
  await bench();
  console.log('');
}
