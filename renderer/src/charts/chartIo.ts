/** What every chart's tools reach outside the chart: saving an export, the clipboard, the message banner. */
import { getContext, setContext } from 'svelte';

export interface ChartIo {
  save(kind: 'png' | 'svg', title: string, data: Uint8Array | string): void;
  copy(png: Uint8Array): Promise<void>;
  report(kind: 'error' | 'info', message: string): void;
}

const KEY = Symbol('chart-io');

export function provideChartIo(io: ChartIo): void {
  setContext(KEY, io);
}

export function chartIo(): ChartIo {
  const io = getContext<ChartIo | undefined>(KEY);
  if (!io) throw new Error('Charts need the app’s chart IO (provideChartIo)');
  return io;
}
