/** Runs as a map's export draws them: each one's path through the two plotted variables up to the step shown. */
import type { MapRun } from './chartExport';
import type { Trajectory } from './plugins';

/** At most this many points of a path: every step up to it, evenly thinned beyond. */
const MAX_POINTS = 4000;

export function mapRuns(runs: Array<Trajectory & { name: string }>, [ax, ay]: [number, number], step: number | null, startGradient?: (k: number) => number[] | null): MapRun[] {
  return runs.map((run, k) => {
    const t = run.trace;
    const last = t && t.params[ax] && t.params[ay] ? t.rowAt(step) : -1;
    const points: Array<[number, number]> = [];
    if (t && last >= 0) {
      const stride = Math.max(1, Math.ceil(last / MAX_POINTS));
      for (let i = 0; i < last; i += stride) points.push([t.params[ax][i], t.params[ay][i]]);
      points.push([t.params[ax][last], t.params[ay][last]]);
    }
    const start = run.start && run.start.length > Math.max(ax, ay) ? ([run.start[ax], run.start[ay]] as [number, number]) : null;
    // The downhill arrow the map draws: at the start before the run has a step, else where it stands until it settles.
    let downhill: MapRun['downhill'];
    if (t && last >= 0) {
      const g = t.gradients;
      if (!(run.settled && last === t.count - 1) && g.length > Math.max(ax, ay)) downhill = { at: points[points.length - 1], gradient: [g[ax][last], g[ay][last]] };
    } else {
      const g = startGradient?.(k);
      if (g && start && g.length > Math.max(ax, ay)) downhill = { at: start, gradient: [g[ax], g[ay]] };
    }
    return { label: run.name, color: run.color, points, start, ...(downhill ? { downhill } : {}) };
  });
}
