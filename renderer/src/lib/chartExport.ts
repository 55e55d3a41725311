/**
 * Charts as files: PNG (the chart's canvas under its title and legend) and SVG. uPlot draws on a
 * canvas only, so the SVG is built from the chart's own data and scales: frame, grid ticks, every
 * visible series as a polyline, title and legend.
 */
import type uPlot from 'uplot';

export interface LegendEntry {
  label: string;
  color: string;
}

/** The visible series of a uPlot chart as legend entries (its x series left out). */
export function legendOf(u: uPlot): LegendEntry[] {
  return u.series.slice(1).filter((s) => s.show !== false && s.label).map((s) => ({ label: String(s.label), color: typeof s.stroke === 'string' ? s.stroke : '#555' }));
}

/** A canvas under a title and a legend, as PNG bytes. */
export async function canvasPng(canvas: HTMLCanvasElement, title: string, legend: LegendEntry[], background: string, foreground: string): Promise<Uint8Array> {
  const scale = canvas.width / (canvas.clientWidth || canvas.width) || 1;
  const head = Math.round(headHeight(legend) * scale);
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height + head;
  const ctx = out.getContext('2d') as CanvasRenderingContext2D;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = foreground;
  ctx.font = `bold ${Math.round(14 * scale)}px sans-serif`;
  ctx.fillText(title, 8 * scale, 18 * scale);
  ctx.font = `${Math.round(12 * scale)}px sans-serif`;
  const column = out.width / 3;
  legend.forEach((entry, i) => {
    const x = (i % 3) * column + 8 * scale;
    const y = (36 + 18 * Math.floor(i / 3)) * scale;
    ctx.fillStyle = entry.color;
    ctx.fillRect(x, y - 9 * scale, 12 * scale, 10 * scale);
    ctx.fillStyle = foreground;
    ctx.fillText(entry.label, x + 18 * scale, y);
  });
  ctx.drawImage(canvas, 0, head);
  const blob = await new Promise<Blob | null>((resolve) => out.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The browser could not encode the chart as PNG');
  return new Uint8Array(await blob.arrayBuffer());
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
const n = (v: number) => Number(v.toFixed(2));

/** Height of the title and legend above a chart: a line for the title, one per three legend entries. */
const headHeight = (legend: LegendEntry[]) => 30 + 18 * Math.ceil(legend.length / 3);

/** An SVG document of the given size: white ground, the title, the legend in three columns, then `body`. */
function svgDocument(width: number, height: number, title: string, legend: LegendEntry[], body: string[]): string {
  const entries = legend.map((entry, i) => {
    const x = (i % 3) * (width / 3) + 8;
    const y = 36 + 18 * Math.floor(i / 3);
    return `<g class="legend-entry"><rect x="${n(x)}" y="${y - 9}" width="12" height="10" fill="${escape(entry.color)}"/><text x="${n(x + 18)}" y="${y}" font-family="sans-serif" font-size="12" fill="#111">${escape(entry.label)}</text></g>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escape(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="18" font-family="sans-serif" font-size="14" font-weight="bold" fill="#111">${escape(title)}</text>`,
    ...entries,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** The chart as an SVG document: title, legend, frame, the axes' ticks and every visible series. */
export function chartSvg(u: uPlot, title: string, format: (v: number) => string = (v) => String(Number(v.toPrecision(4)))): string {
  const legend = legendOf(u);
  const head = headHeight(legend);
  const width = u.width;
  const { left, top, width: w, height: h } = u.bbox;
  const dpr = u.bbox.width / (u.over.clientWidth || u.bbox.width) || 1;
  const box = { left: left / dpr, top: top / dpr + head, width: w / dpr, height: h / dpr };
  const parts: string[] = [];
  parts.push(`<rect x="${n(box.left)}" y="${n(box.top)}" width="${n(box.width)}" height="${n(box.height)}" fill="none" stroke="#999"/>`);
  // Ticks: what uPlot computed for each axis.
  u.axes.forEach((axis, k) => {
    const splits = (axis as { _splits?: number[] })._splits ?? [];
    const scale = k === 0 ? 'x' : 'y';
    for (const v of splits) {
      if (v == null || !Number.isFinite(v)) continue;
      const p = u.valToPos(v, scale);
      if (k === 0) parts.push(`<text x="${n(box.left + p)}" y="${n(box.top + box.height + 14)}" text-anchor="middle" font-family="sans-serif" font-size="11" fill="#333">${escape(format(v))}</text>`);
      else parts.push(`<text x="${n(box.left - 4)}" y="${n(box.top + p + 4)}" text-anchor="end" font-family="sans-serif" font-size="11" fill="#333">${escape(format(v))}</text>`);
    }
  });
  const xs = u.data[0];
  u.series.forEach((series, k) => {
    if (k === 0 || series.show === false) return;
    const ys = u.data[k];
    const color = typeof series.stroke === 'string' ? series.stroke : '#555';
    let path = '';
    for (let i = 0; i < xs.length; i++) {
      const y = ys[i];
      if (y == null || !Number.isFinite(y)) {
        path += ' ';
        continue;
      }
      const px = u.valToPos(xs[i] as number, 'x');
      const py = u.valToPos(y, 'y');
      if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
      path += `${path.endsWith(' ') || path === '' ? 'M' : 'L'}${n(box.left + px)},${n(box.top + py)}`;
    }
    if (path.trim()) parts.push(`<path d="${path.trim()}" fill="none" stroke="${escape(color)}" stroke-width="${series.width ?? 1.5}"/>`);
  });
  return svgDocument(width, u.height + head, title, legend, parts);
}

/**
 * A chart painted on its canvas (contour bands, a loss surface) as SVG: the drawn image embedded,
 * under a vector title and legend, since its fills are pixels rather than series.
 */
export async function rasterSvg(canvas: HTMLCanvasElement, title: string, legend: LegendEntry[]): Promise<string> {
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  const head = headHeight(legend);
  return svgDocument(width, height + head, title, legend, [`<image x="0" y="${head}" width="${width}" height="${height}" href="${canvas.toDataURL('image/png')}"/>`]);
}
