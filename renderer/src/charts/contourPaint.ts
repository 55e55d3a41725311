/** Filled contour bands on a uPlot chart's canvas: the function map and the data-mode loss surface share it. */
import type uPlot from 'uplot';
import type { ContourBand } from '../../../engine/host/contours';

// A perceptually ordered palette (viridis stops), low values dark.
const STOPS = ['#440154', '#46327e', '#365c8d', '#277f8e', '#1fa187', '#4ac16d', '#a0da39', '#fde725'];

export function bandColor(k: number, n: number): string {
  const t = n <= 1 ? 0 : k / (n - 1);
  return STOPS[Math.min(STOPS.length - 1, Math.floor(t * (STOPS.length - 1) + 0.5))];
}

/** Paints the bands (lowest first, so higher ones paint over) and their outlines. */
export function paintBands(u: uPlot, ctx: CanvasRenderingContext2D, bands: readonly ContourBand[]): void {
  const px = (x: number) => u.valToPos(x, 'x', true);
  const py = (y: number) => u.valToPos(y, 'y', true);
  bands.forEach((band, k) => {
    ctx.fillStyle = bandColor(k, bands.length);
    ctx.beginPath();
    for (const polygon of band.polygons) {
      for (const ring of polygon) {
        ctx.moveTo(px(ring[0]), py(ring[1]));
        for (let i = 2; i < ring.length; i += 2) ctx.lineTo(px(ring[i]), py(ring[i + 1]));
        ctx.closePath();
      }
    }
    ctx.fill('evenodd');
  });
  ctx.lineWidth = 0.5;
  ctx.strokeStyle = 'rgba(255,255,255,0.35)';
  for (const band of bands) {
    for (const polygon of band.polygons) for (const ring of polygon) {
      ctx.beginPath();
      ctx.moveTo(px(ring[0]), py(ring[1]));
      for (let i = 2; i < ring.length; i += 2) ctx.lineTo(px(ring[i]), py(ring[i + 1]));
      ctx.stroke();
    }
  }
}

/** Saves the canvas state and clips drawing to the plot area; call ctx.restore() when done. */
export function clipToPlot(u: uPlot): CanvasRenderingContext2D {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  return ctx;
}
