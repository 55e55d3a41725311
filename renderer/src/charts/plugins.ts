/**
 * What charts paint over uPlot's axes, each a plugin on the draw hook that
 * reads what to paint from a getter at every draw: contour bands, runs'
 * trajectories with their downhill arrows, tangents and sign changes on a
 * curve, class regions, the replay step. Every number painted is the engine's:
 * positions and gradients from the runs' recorded histories, bands and regions
 * from its answers.
 */
import uPlot from 'uplot';
import type { ContourBand } from '../../../engine';
import type { RunTrace } from '../state/trace';
import { clipToPlot, paintBands } from './contourPaint';

/** A run as the maps draw it: its colour, its start, its history, and whether it has settled (no arrow then). */
export interface Trajectory {
  color: string;
  start: number[] | null;
  trace: RunTrace | undefined;
  settled: boolean;
}

/** Filled contour bands, painted once per view into an offscreen canvas that each frame copies. */
export function bandsPlugin(get: () => readonly ContourBand[] | null): uPlot.Plugin {
  let cache: { canvas: HTMLCanvasElement; key: string; bands: readonly ContourBand[] | null } | null = null;
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const bands = get();
          if (!bands) return;
          const ctx = u.ctx;
          const key = `${u.scales.x.min}:${u.scales.x.max}:${u.scales.y.min}:${u.scales.y.max}:${ctx.canvas.width}:${ctx.canvas.height}`;
          if (!cache || cache.key !== key || cache.bands !== bands) {
            const canvas = cache?.canvas ?? document.createElement('canvas');
            canvas.width = ctx.canvas.width;
            canvas.height = ctx.canvas.height;
            const off = canvas.getContext('2d')!;
            off.clearRect(0, 0, canvas.width, canvas.height);
            off.save();
            off.beginPath();
            off.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
            off.clip();
            paintBands(u, off, bands);
            off.restore();
            cache = { canvas, key, bands };
          }
          ctx.drawImage(cache.canvas, 0, 0);
        },
      ],
    },
  };
}

/** The longest downhill arrow, in CSS pixels; shorter ones show a smaller gradient. */
export const ARROW_MAX = 48;
/** Arrows shorter than this are not drawn (the gradient is too small to see at this zoom). */
const ARROW_MIN = 3;

/**
 * The downhill arrow at a point: −∇f over the two plotted variables, drawn as the step it would
 * take with a learning rate of 1 in the plot's units, clamped to ARROW_MAX pixels; none where that
 * is under ARROW_MIN pixels.
 */
export function arrowOf(u: uPlot, gx: number, gy: number): { dx: number; dy: number } | null {
  if (!Number.isFinite(gx) || !Number.isFinite(gy)) return null;
  const sx = u.bbox.width / (u.scales.x.max! - u.scales.x.min!);
  const sy = u.bbox.height / (u.scales.y.max! - u.scales.y.min!);
  const dpr = uPlot.pxRatio || 1;
  // Canvas pixels: y grows downward.
  let dx = -gx * sx;
  let dy = gy * sy;
  const length = Math.hypot(dx, dy);
  if (!(length >= ARROW_MIN * dpr)) return null;
  const scale = Math.min(1, (ARROW_MAX * dpr) / length);
  dx *= scale;
  dy *= scale;
  return { dx, dy };
}

function drawArrow(ctx: CanvasRenderingContext2D, x: number, y: number, dx: number, dy: number, color: string): void {
  const ex = x + dx;
  const ey = y + dy;
  const a = Math.atan2(dy, dx);
  const head = Math.min(8, Math.hypot(dx, dy) * 0.4);
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(ex, ey);
  ctx.lineTo(ex - head * Math.cos(a - 0.4), ey - head * Math.sin(a - 0.4));
  ctx.moveTo(ex, ey);
  ctx.lineTo(ex - head * Math.cos(a + 0.4), ey - head * Math.sin(a + 0.4));
  ctx.stroke();
}

/**
 * Each run's path over two of its parameters up to the shown step, its start (a ring), where it is (a
 * dot) and, until it settles, the downhill direction there (an arrow from its recorded gradient, or
 * from `startGradient` before it has run).
 */
export function trajectoriesPlugin(get: () => { axes: [number, number]; step: number | null; runs: Trajectory[]; startGradient?: (k: number) => number[] | null }): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const { axes: [ax, ay], step, runs, startGradient } = get();
          const ctx = clipToPlot(u);
          const px = (x: number) => u.valToPos(x, 'x', true);
          const py = (y: number) => u.valToPos(y, 'y', true);
          runs.forEach((run, k) => {
            const t = run.trace;
            ctx.fillStyle = run.color;
            ctx.strokeStyle = run.color;
            ctx.lineWidth = 2;
            if (run.start && run.start.length > Math.max(ax, ay)) {
              ctx.beginPath();
              ctx.arc(px(run.start[ax]), py(run.start[ay]), 4, 0, 2 * Math.PI);
              ctx.stroke();
            }
            const last = t && t.params[ax] && t.params[ay] ? t.rowAt(step) : -1;
            if (!t || last < 0) {
              const g = startGradient?.(k);
              const arrow = g && run.start ? arrowOf(u, g[ax], g[ay]) : null;
              if (arrow && run.start) drawArrow(ctx, px(run.start[ax]), py(run.start[ay]), arrow.dx, arrow.dy, run.color);
              return;
            }
            // Software rasterization of long anti-aliased polylines, not the JS, limits the frame rate
            // while runs stream: a point closer than 1.5 px to the last one drawn adds nothing and is left
            // out. Every step is considered up to 2,000 of them, so a zig-zag that flips every step is
            // drawn as one (keeping every other step would hide it).
            const stride = Math.max(1, Math.ceil(last / 2000));
            let lx = px(t.params[ax][0]);
            let ly = py(t.params[ay][0]);
            ctx.beginPath();
            ctx.moveTo(lx, ly);
            for (let i = stride; i < last; i += stride) {
              const x = px(t.params[ax][i]);
              const y = py(t.params[ay][i]);
              if (Math.abs(x - lx) + Math.abs(y - ly) < 1.5) continue;
              ctx.lineTo(x, y);
              lx = x;
              ly = y;
            }
            const cx = px(t.params[ax][last]);
            const cy = py(t.params[ay][last]);
            ctx.lineTo(cx, cy);
            ctx.stroke();
            ctx.beginPath();
            ctx.arc(cx, cy, 5, 0, 2 * Math.PI);
            ctx.fill();
            ctx.strokeStyle = '#fff';
            ctx.lineWidth = 1.5;
            ctx.stroke();
            const settledHere = run.settled && last === t.count - 1;
            const g = t.gradients;
            const arrow = !settledHere && g.length > Math.max(ax, ay) ? arrowOf(u, g[ax][last], g[ay][last]) : null;
            if (arrow) drawArrow(ctx, cx, cy, arrow.dx, arrow.dy, run.color);
          });
          ctx.restore();
        },
      ],
    },
  };
}

/** A run on the curve of f(x): its history (x, f and f′ at each step), and f and f′ at its start before it runs. */
export interface CurveRun {
  color: string;
  trace: RunTrace | undefined;
  start: { x: number; value: number; slope: number } | null;
}

/** Indices k of a history where f′ changed sign from row k − 1 to row k (a step jumped over a minimum or maximum). */
export function signChanges(t: RunTrace, last: number): number[] {
  const out: number[] = [];
  const slope = t.gradients[0];
  if (!slope) return out;
  for (let k = 1; k <= last; k++) if (slope[k - 1] * slope[k] < 0) out.push(k);
  return out;
}

/**
 * Each run on the curve: the points it visited (faint), where its derivative changed sign between
 * two consecutive steps (a dashed line at the step that crossed, labelled beside it on a backing
 * the line never crosses), and its tangent y = f(x₀) + f′(x₀)(x − x₀) at the shown step.
 */
export function tangentsPlugin(get: () => { step: number | null; runs: CurveRun[]; background: string }): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const { step, runs, background } = get();
          const ctx = clipToPlot(u);
          const { top, height } = u.bbox;
          const px = (x: number) => u.valToPos(x, 'x', true);
          const py = (y: number) => u.valToPos(y, 'y', true);
          const dpr = uPlot.pxRatio || 1;
          ctx.font = `${11 * dpr}px system-ui, sans-serif`;
          runs.forEach((run, row) => {
            const t = run.trace;
            ctx.fillStyle = run.color;
            let at = run.start;
            const last = t && t.params[0] ? t.rowAt(step) : -1;
            if (t && last >= 0) {
              ctx.globalAlpha = 0.35;
              const stride = Math.max(1, Math.ceil(last / 300));
              for (let i = 0; i <= last; i += stride) {
                ctx.beginPath();
                ctx.arc(px(t.params[0][i]), py(t.values[i]), 2.5, 0, 2 * Math.PI);
                ctx.fill();
              }
              ctx.globalAlpha = 1;
              const labelled: number[] = [];
              const labels: Array<{ x: number; k: number }> = [];
              for (const k of signChanges(t, last)) {
                const x = px(t.params[0][k]);
                ctx.globalAlpha = 0.85;
                ctx.strokeStyle = run.color;
                ctx.lineWidth = 1;
                ctx.setLineDash([3, 3]);
                ctx.beginPath();
                ctx.moveTo(x, top);
                ctx.lineTo(x, top + height);
                ctx.stroke();
                ctx.setLineDash([]);
                ctx.globalAlpha = 1;
                // One label per 72 px of a run's marks; each on its run's row, to the right of its line.
                if (labelled.some((l) => Math.abs(x - l) < 72 * dpr)) continue;
                labelled.push(x);
                labels.push({ x, k });
              }
              // Labels after every line, on their backing: no dashed line crosses one.
              for (const { x, k } of labels) {
                const text = `f′ ${t.gradients[0][k - 1] > 0 ? '+→−' : '−→+'}`;
                const w = ctx.measureText(text).width;
                const y = top + (4 + 14 * (row % 4)) * dpr;
                ctx.fillStyle = background;
                ctx.fillRect(x + 2 * dpr, y, w + 4 * dpr, 13 * dpr);
                ctx.fillStyle = run.color;
                ctx.textBaseline = 'top';
                ctx.fillText(text, x + 4 * dpr, y + 1 * dpr);
              }
              at = { x: t.params[0][last], value: t.values[last], slope: t.gradients[0]?.[last] ?? NaN };
            }
            if (!at) return;
            if (Number.isFinite(at.slope)) {
              const [x0, x1] = [u.scales.x.min!, u.scales.x.max!];
              ctx.strokeStyle = run.color;
              ctx.lineWidth = 1.5;
              ctx.beginPath();
              ctx.moveTo(px(x0), py(at.value + at.slope * (x0 - at.x)));
              ctx.lineTo(px(x1), py(at.value + at.slope * (x1 - at.x)));
              ctx.stroke();
            }
            ctx.beginPath();
            ctx.arc(px(at.x), py(at.value), 6 * dpr, 0, 2 * Math.PI);
            ctx.fill();
          });
          ctx.restore();
        },
      ],
    },
  };
}

/** Class regions: a grid of predicted classes painted once into an image, scaled over its window at each draw. */
export function regionsPlugin(get: () => { cells: Uint8Array; nx: number; ny: number; x: [number, number]; y: [number, number]; rgb: number[][] } | null): uPlot.Plugin {
  let painted: { canvas: HTMLCanvasElement; cells: Uint8Array } | null = null;
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const r = get();
          if (!r) return;
          if (painted?.cells !== r.cells) {
            const canvas = painted?.canvas ?? document.createElement('canvas');
            canvas.width = r.nx;
            canvas.height = r.ny;
            const pc = canvas.getContext('2d')!;
            const image = pc.createImageData(r.nx, r.ny);
            for (let row = 0; row < r.ny; row++) {
              for (let col = 0; col < r.nx; col++) {
                const [red, green, blue] = r.rgb[r.cells[row * r.nx + col] % r.rgb.length];
                const o = 4 * ((r.ny - 1 - row) * r.nx + col);
                image.data[o] = red;
                image.data[o + 1] = green;
                image.data[o + 2] = blue;
                image.data[o + 3] = 64;
              }
            }
            pc.putImageData(image, 0, 0);
            painted = { canvas, cells: r.cells };
          }
          const ctx = clipToPlot(u);
          const dx = (r.x[1] - r.x[0]) / (r.nx - 1) / 2;
          const dy = (r.y[1] - r.y[0]) / (r.ny - 1) / 2;
          const left = u.valToPos(r.x[0] - dx, 'x', true);
          const right = u.valToPos(r.x[1] + dx, 'x', true);
          const top = u.valToPos(r.y[1] + dy, 'y', true);
          const bottom = u.valToPos(r.y[0] - dy, 'y', true);
          ctx.imageSmoothingEnabled = true;
          ctx.drawImage(painted.canvas, left, top, right - left, bottom - top);
          ctx.restore();
        },
      ],
    },
  };
}

/** A dashed vertical line at the replay step. */
export function replayPlugin(get: () => number | null): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const step = get();
          if (step === null) return;
          const x = u.valToPos(step, 'x', true);
          const ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = '#888';
          ctx.setLineDash([4, 4]);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.restore();
        },
      ],
    },
  };
}

/** Ranges a chart's scales are held at by the person (the document's `pinned`), or null to follow the data. */
export type Pinned = { x: [number, number]; y: [number, number] } | null;

/**
 * Drag across a chart to hold its x range there, double-click to let it follow the data again: as the
 * document's pinned ranges (saved with the session and undoable), never as uPlot's own scale state.
 * The chart's cursor needs `drag: { x: true, setScale: false }`.
 */
export function zoomPlugin(pinned: () => Pinned, onPin: (pinned: Pinned) => void): uPlot.Plugin {
  return {
    hooks: {
      setSelect: (u: uPlot) => {
        const { left, width } = u.select;
        if (width < 3) return;
        const a = u.posToVal(left, 'x');
        const b = u.posToVal(left + width, 'x');
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        onPin({ x: [Math.min(a, b), Math.max(a, b)], y: [u.scales.y.min ?? 0, u.scales.y.max ?? 1] });
      },
      ready: (u: uPlot) => {
        u.over.addEventListener('dblclick', () => {
          if (pinned()) onPin(null);
        });
      },
    },
  };
}
