/** Runs as a map's export draws them: each one's path through the two plotted variables up to the step shown. */
import type { MapRun } from './chartExport';
import type { Trajectory } from './plugins';

/** At most this many points of a path: every step up to it, evenly thinned beyond. */
const MAX_POINTS = 4000;

export function mapRuns(runs: Array<Trajectory & { name: string }>, [ax, ay]: [number, number], step: number | null): MapRun[] {
  return runs.map((run) => {
    const t = run.trace;
    const last = t && t.params[ax] && t.params[ay] ? t.rowAt(step) : -1;
    const points: Array<[number, number]> = [];
    if (t && last >= 0) {
      const stride = Math.max(1, Math.ceil(last / MAX_POINTS));
      for (let i = 0; i < last; i += stride) points.push([t.params[ax][i], t.params[ay][i]]);
      points.push([t.params[ax][last], t.params[ay][last]]);
    }
    const start = run.start && run.start.length > Math.max(ax, ay) ? ([run.start[ax], run.start[ay]] as [number, number]) : null;
    return { label: run.name, color: run.color, points, start };
  });
}
