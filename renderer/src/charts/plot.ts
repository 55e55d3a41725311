/**
 * The one uPlot set-up every chart uses: a chart sized to its container (kept
 * so as the container resizes), redrawn when the theme or the language
 * changes, with the views it draws (trajectories, arrows, tangents, contour
 * bands, class regions) as plugins on its draw hook (./plugins.ts).
 */
import uPlot from 'uplot';
import { themed, ticksOf } from './axes';

export interface Plot {
  readonly chart: uPlot;
  /** Redraws what the plugins paint (the data and scales as they are). */
  redraw(): void;
  destroy(): void;
}

/** `height` gives the chart's height for a width; `relabel` puts texts uPlot keeps (title, legend) in a new language. */
export function createPlot(container: HTMLElement, options: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData, height: (width: number) => number, relabel?: (u: uPlot) => void): Plot {
  const width = container.clientWidth || 400;
  // Every axis labels its ticks in the lab's language (uPlot's own labels follow the browser's), and
  // the labels drawn are kept on the chart's element (data-ticks-0, data-ticks-1, …) for tests and tools.
  const axes = (options.axes ?? []).map((axis, i) => {
    const values = axis.values;
    const label = (u: uPlot, ticks: number[], space: number, incr: number): string[] => {
      const out = typeof values === 'function' ? (values(u, ticks, i, space, incr) as unknown[]).map((v) => (v == null ? '' : String(v))) : ticksOf(ticks);
      container.dataset[`ticks${i}`] = out.filter(Boolean).join('|');
      return out;
    };
    // A template (string or array) is uPlot's own to expand; a function or nothing is labelled here.
    return values === undefined || typeof values === 'function' ? { ...axis, values: (u: uPlot, ticks: number[], _axis: number, space: number, incr: number) => label(u, ticks, space, incr) } : axis;
  });
  const chart = new uPlot({ ...options, ...(options.axes ? { axes } : {}), width, height: height(width), plugins: [...(options.plugins ?? []), themed(relabel)] }, data, container);
  let lastWidth = width;
  const observer = new ResizeObserver(() => {
    const w = container.clientWidth;
    if (!w || w === lastWidth) return;
    lastWidth = w;
    chart.setSize({ width: w, height: height(w) });
  });
  observer.observe(container);
  return {
    chart,
    redraw: () => chart.redraw(false),
    destroy: () => {
      observer.disconnect();
      chart.destroy();
    },
  };
}

/** A map's height for its width: wide, within 300 and 520 px. */
export const mapHeight = (width: number) => Math.max(300, Math.min(520, Math.round(width * 0.72)));
