/**
 * Charts as files that look like the screen. uPlot draws on a canvas only, so a line chart's SVG is
 * built from the chart's own data and scales: title, legend in the run colours, frame, ticks with
 * the labels the screen shows, axis titles, and every visible series as a path. A painted chart
 * (contours, surfaces, maps) embeds its image under a vector title and legend. PNG is the SVG
 * rasterized at twice the device pixels or more, so that it is at least 1200 px wide.
 */
import uPlot from 'uplot';
import type { ContourBand } from '../../../engine';
import { showNumber, t } from '../i18n/i18n.svelte';
import { colorStops } from './colorScale';
import { bandColor } from './contourPaint';
import { arrowOf } from './plugins';

export interface LegendEntry {
  label: string;
  color: string;
  /** A dashed series (validation curves): its swatch is a dashed line. */
  dashed?: boolean;
}

/** Colours of the export: the screen's background and text. */
export interface Ink {
  background: string;
  foreground: string;
}

/** What the lab adds to a legend label in exports (a run's optimizer and settings), set once by the app. */
let noteOf: (label: string) => string | null = () => null;
export function setLegendNotes(note: (label: string) => string | null): void {
  noteOf = note;
}
let notesOff = false;
/** Builds an export whose legend entries stay as they are (a sweep's series span the setting a note would state). */
export function withoutNotes<T>(build: () => T): T {
  notesOff = true;
  try {
    return build();
  } finally {
    notesOff = false;
  }
}

/** The smallest width of an exported PNG, in pixels. */
export const PNG_MIN_WIDTH = 1200;

/** A series' stroke as a colour: uPlot keeps a given colour as a function of the chart after init. */
export function strokeOf(u: uPlot, k: number): string {
  const stroke = u.series[k]?.stroke as unknown;
  const value = typeof stroke === 'function' ? (stroke as (u: uPlot, k: number) => unknown)(u, k) : stroke;
  return typeof value === 'string' ? value : '#555555';
}

/** The visible series of a uPlot chart that have something drawn, as legend entries (its x series left out). */
export function legendOf(u: uPlot): LegendEntry[] {
  return u.series
    .map((s, k) => ({ s, k }))
    .filter(({ s, k }) => k > 0 && s.show !== false && s.label && Array.from(u.data[k] ?? []).some((v) => v != null && Number.isFinite(v)))
    .map(({ s, k }) => ({ label: String(s.label), color: strokeOf(u, k), ...(Array.isArray(s.dash) && s.dash.length ? { dashed: true } : {}) }));
}

/** The screen's colours around an element: its background variable and its text colour. */
export function inkOf(element: Element): Ink {
  const style = getComputedStyle(element);
  return { background: style.getPropertyValue('--bg').trim() || '#ffffff', foreground: style.color || '#111111' };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
const n = (v: number) => Number(v.toFixed(2));

/** Wide characters (CJK ideographs, kana, hangul, full-width forms): about one em each. */
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;

/** Text widths for laying out titles and legends, in sans-serif at the given size (an upper estimate). */
const textWidth = (text: string, size: number) => {
  let width = 0;
  for (const c of text) width += size * (WIDE.test(c) ? 1 : 0.6);
  return width;
};

/**
 * A word's pieces a line may break between: the word itself, or in text without spaces (Chinese)
 * after each wide character, though never after opening or before closing punctuation.
 */
const pieces = (word: string) => word.split(/(?<=[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFF60])(?<![\u3008\u300A\u300C\u300E\u3010\uFF08])(?![\u3001\u3002\u300D\u300F\u3011\uFF01\uFF09\uFF0C\uFF1A\uFF1B\uFF1F])/u);

/**
 * Where the title's lines and the legend's entries go across `width`: the title wrapped at spaces,
 * then the entries one after another, each on the next line when it would cross the right edge.
 */
function head(width: number, title: string, legend: LegendEntry[]): { lines: string[]; entries: Array<{ x: number; y: number }>; height: number } {
  const lines: string[] = [];
  for (const word of title.split(' ')) {
    pieces(word).forEach((piece, k) => {
      const last = lines.at(-1);
      const joined = `${last}${k === 0 ? ' ' : ''}${piece}`;
      if (last !== undefined && textWidth(joined, 14) <= width - 16) lines[lines.length - 1] = joined;
      else lines.push(piece);
    });
  }
  let x = 8;
  let y = 18 * lines.length + 18;
  const entries = legend.map((entry) => {
    const w = 18 + textWidth(entry.label, 12) + 16;
    if (x > 8 && x + w > width - 8) {
      x = 8;
      y += 18;
    }
    const at = { x, y };
    x += w;
    return at;
  });
  return { lines, entries, height: (legend.length ? y : 18 * lines.length) + 12 };
}

/** Legend entries as exported: each run named with its optimizer and settings. */
const noted = (legend: LegendEntry[]) => legend.map((entry) => {
  const note = notesOff ? null : noteOf(entry.label);
  return note ? { ...entry, label: `${entry.label} (${note})` } : entry;
});

/** Height of the title and legend above a chart of this width. */
const headHeight = (width: number, title: string, legend: LegendEntry[]) => head(width, title, noted(legend)).height;

/** An SVG document of the given size: the screen's ground, the title, the legend, then `body`. */
function svgDocument(width: number, height: number, title: string, given: LegendEntry[], body: string[], ink: Ink): string {
  const fg = escape(ink.foreground);
  const legend = noted(given);
  const layout = head(width, title, legend);
  const entries = legend.map((entry, i) => {
    const { x, y } = layout.entries[i];
    const color = escape(entry.color);
    const swatch = entry.dashed
      ? `<line x1="${n(x)}" y1="${y - 4}" x2="${n(x + 12)}" y2="${y - 4}" stroke="${color}" stroke-width="2.5" stroke-dasharray="4 2"/>`
      : `<rect x="${n(x)}" y="${y - 9}" width="12" height="10" fill="${color}"/>`;
    return `<g class="legend-entry">${swatch}<text x="${n(x + 18)}" y="${y}" font-family="sans-serif" font-size="12" fill="${fg}">${escape(entry.label)}</text></g>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escape(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="${escape(ink.background)}"/>`,
    ...layout.lines.map((line, i) => `<text x="8" y="${18 + 18 * i}" font-family="sans-serif" font-size="14" font-weight="bold" fill="${fg}">${escape(line)}</text>`),
    ...entries,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** The plot area of a uPlot chart in the SVG's units (CSS pixels), below a head of height `top0`. */
function plotBox(u: uPlot, top0: number): { left: number; top: number; width: number; height: number } {
  const { left, top, width: w, height: h } = u.bbox;
  const dpr = u.bbox.width / (u.over.clientWidth || u.bbox.width) || 1;
  return { left: left / dpr, top: top / dpr + top0, width: w / dpr, height: h / dpr };
}

/** The frame, the axes' ticks with the labels the screen shows, and the axis titles, as SVG. */
function axesParts(u: uPlot, box: { left: number; top: number; width: number; height: number }, ink: Ink, format: (v: number) => string, grid = true): string[] {
  const fg = escape(ink.foreground);
  const text = (x: number, y: number, anchor: string, body: string, extra = '') =>
    `<text x="${n(x)}" y="${n(y)}" text-anchor="${anchor}" font-family="sans-serif" font-size="11" fill="${fg}"${extra}>${escape(body)}</text>`;
  const parts: string[] = [];
  parts.push(`<rect x="${n(box.left)}" y="${n(box.top)}" width="${n(box.width)}" height="${n(box.height)}" fill="none" stroke="#999"/>`);
  // Ticks and their labels, as uPlot computed and formatted them for the screen.
  u.axes.forEach((axis, k) => {
    const drawn = axis as { _splits?: number[]; _values?: Array<string | number | null> };
    const splits = drawn._splits ?? [];
    const scale = k === 0 ? 'x' : 'y';
    splits.forEach((v, i) => {
      if (v == null || !Number.isFinite(v)) return;
      const label = drawn._values?.[i] ?? format(v);
      if (label === null || label === '') return;
      const p = u.valToPos(v, scale);
      // Gridlines where the screen draws them, under the series that follow.
      if (grid && (axis.grid as { show?: boolean } | undefined)?.show !== false && p > 0.5 && p < (k === 0 ? box.width : box.height) - 0.5) {
        parts.push(k === 0
          ? `<line class="grid" x1="${n(box.left + p)}" y1="${n(box.top)}" x2="${n(box.left + p)}" y2="${n(box.top + box.height)}" stroke="rgba(128,128,128,0.25)" stroke-width="1"/>`
          : `<line class="grid" x1="${n(box.left)}" y1="${n(box.top + p)}" x2="${n(box.left + box.width)}" y2="${n(box.top + p)}" stroke="rgba(128,128,128,0.25)" stroke-width="1"/>`);
      }
      if (k === 0) parts.push(text(box.left + p, box.top + box.height + 14, 'middle', String(label)));
      else parts.push(text(box.left - 4, box.top + p + 4, 'end', String(label)));
    });
    // A label given as a function (one that follows the language) is read as the screen draws it.
    const label = typeof axis.label === 'function' ? axis.label(u, k, 0, 0) : typeof axis.label === 'string' ? axis.label : '';
    if (!label) return;
    if (k === 0) parts.push(text(box.left + box.width / 2, box.top + box.height + 32, 'middle', label, ' font-weight="bold" class="axis-title"'));
    else parts.push(`<g transform="translate(${n(Math.max(12, box.left - 48))},${n(box.top + box.height / 2)}) rotate(-90)">${text(0, 0, 'middle', label, ' font-weight="bold" class="axis-title"')}</g>`);
  });
  return parts;
}

/** The chart as an SVG document: title, legend, frame, the axes' ticks and titles, and every visible series. */
export function chartSvg(u: uPlot, title: string, ink: Ink, format: (v: number) => string = (v) => showNumber(v, 4), marks: Array<{ x: number; color: string }> = []): string {
  const legend = legendOf(u);
  const width = u.width;
  const box = plotBox(u, headHeight(width, title, legend));
  const parts = axesParts(u, box, ink, format);
  const xs = u.data[0];
  u.series.forEach((series, k) => {
    if (k === 0 || series.show === false) return;
    const ys = u.data[k];
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
    if (path.trim()) parts.push(`<path d="${path.trim()}" fill="none" stroke="${escape(strokeOf(u, k))}" stroke-width="${series.width ?? 1.5}"/>`);
  });
  // Points marked rather than drawn (a diverged run's): a × along the top of the plot at their x.
  for (const m of marks) {
    const x = box.left + u.valToPos(m.x, 'x');
    const y = box.top + 6;
    parts.push(`<path class="mark" d="M${n(x - 4)},${n(y - 4)}L${n(x + 4)},${n(y + 4)}M${n(x + 4)},${n(y - 4)}L${n(x - 4)},${n(y + 4)}" stroke="${escape(m.color)}" stroke-width="2"/>`);
  }
  return svgDocument(width, Math.ceil(box.top + box.height + 44), title, legend, parts, ink);
}

/**
 * A chart painted on its canvas (contour bands, a loss surface) as SVG: the drawn image embedded,
 * under a vector title and legend, since its fills are pixels rather than series.
 */
export function rasterSvg(canvas: HTMLCanvasElement, title: string, legend: LegendEntry[], ink: Ink): string {
  // A canvas drawn for the export at a multiple of its screen size says so (data-scale): it is placed at the screen's size.
  const scale = Number(canvas.dataset.scale ?? 1) || 1;
  const width = canvas.clientWidth || canvas.width / scale;
  const height = canvas.clientHeight || canvas.height / scale;
  const top = headHeight(width, title, legend);
  return svgDocument(width, height + top, title, legend, [`<image x="0" y="${top}" width="${width}" height="${height}" href="${canvas.toDataURL('image/png')}"/>`], ink);
}

/** Slide sizes an export can take, in pixels; 1600 × 900 unless the person chooses another. */
export const SLIDE_SIZES: ReadonlyArray<[number, number]> = [[1280, 720], [1600, 900], [1920, 1080]];

/**
 * An SVG document set on a slide of `width` × `height` pixels: its content, laid out at half that
 * size (so that its text reads at twice its screen size), centred on the slide's ground.
 */
export function onSlide(svg: string, width: number, height: number, ink: Ink): string {
  const size = /<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"[^>]*>/.exec(svg);
  if (!size) throw new Error(t('charts.svgNoSize'));
  const [w, h] = [Number(size[1]), Number(size[2])];
  const vw = Math.max(w, (h * width) / height);
  const vh = Math.max(h, (w * height) / width);
  const [x, y] = [n((w - vw) / 2), n((h - vh) / 2)];
  const open = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${x} ${y} ${n(vw)} ${n(vh)}">\n<rect x="${x}" y="${y}" width="${n(vw)}" height="${n(vh)}" fill="${escape(ink.background)}"/>`;
  return svg.replace(size[0], open);
}

/**
 * An SVG document as PNG bytes, at `scale` pixels per SVG unit: by default at least 2, and at least
 * 1200 px wide; a slide is drawn at its own size (scale 1).
 */
export async function svgPng(svg: string, fixedScale?: number): Promise<Uint8Array> {
  const size = /<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(svg);
  if (!size) throw new Error(t('charts.svgNoSize'));
  const [width, height] = [Number(size[1]), Number(size[2])];
  const scale = fixedScale ?? Math.max(2, PNG_MIN_WIDTH / width);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const out = document.createElement('canvas');
    out.width = Math.ceil(width * scale);
    out.height = Math.ceil(height * scale);
    const ctx = out.getContext('2d') as CanvasRenderingContext2D;
    ctx.drawImage(image, 0, 0, out.width, out.height);
    const blob = await new Promise<Blob | null>((resolve) => out.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error(t('charts.pngEncodeFailed'));
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A painted chart's element as PNG: its canvas under the title and legend (the whole-map menu command). */
export async function canvasPng(canvas: HTMLCanvasElement, title: string, legend: LegendEntry[], ink: Ink): Promise<Uint8Array> {
  return svgPng(rasterSvg(canvas, title, legend, ink));
}

/** One panel of a grid chart (a two-setting sweep): its name and each cell's fill, row by row from the bottom. */
export interface GridPanel {
  name: string;
  /** A colour, or `url(#diverged)` for the striped mark of a diverged run. */
  fills: string[];
}

/** The striped mark of a diverged cell, as the screen draws it. */
export const DIVERGED_FILL = 'url(#diverged)';

/**
 * A grid chart (one panel per run of a two-setting sweep) as vector SVG: each cell a rectangle in
 * the screen's colour, the settings' names and end values as text, the key as the legend.
 */
export function gridSvg(
  spec: { title: string; legend: LegendEntry[]; panels: GridPanel[]; nx: number; ny: number; x: { name: string; ticks: [string, string] }; y: { name: string; ticks: [string, string] } },
  ink: Ink,
): string {
  const fg = escape(ink.foreground);
  const cell = Math.max(4, Math.min(24, Math.floor(240 / Math.max(spec.nx, spec.ny))));
  const [gw, gh] = [cell * spec.nx, cell * spec.ny];
  const panelWidth = gw + 90;
  const width = Math.max(360, 16 + panelWidth * spec.panels.length);
  const top = headHeight(width, spec.title, spec.legend) + 8;
  const text = (x: number, y: number, anchor: string, body: string, extra = '', size = 11) =>
    `<text x="${n(x)}" y="${n(y)}" text-anchor="${anchor}" font-family="sans-serif" font-size="${size}" fill="${fg}"${extra}>${escape(body)}</text>`;
  const body = [
    '<defs><pattern id="diverged" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fca5a5"/><rect width="3" height="6" fill="#b91c1c"/></pattern></defs>',
  ];
  spec.panels.forEach((panel, p) => {
    const left = 8 + p * panelWidth + 70;
    const y0 = top + 18;
    body.push(`<g class="grid-panel">`);
    body.push(text(left, top + 8, 'start', panel.name, ' font-weight="bold"', 12));
    for (let r = 0; r < spec.ny; r++) {
      for (let c = 0; c < spec.nx; c++) {
        const fill = panel.fills[r * spec.nx + c] ?? 'none';
        body.push(`<rect class="cell" x="${left + c * cell}" y="${y0 + (spec.ny - 1 - r) * cell}" width="${cell}" height="${cell}" fill="${escape(fill)}"/>`);
      }
    }
    body.push(`<rect x="${left}" y="${y0}" width="${gw}" height="${gh}" fill="none" stroke="#999"/>`);
    body.push(text(left - 4, y0 + 9, 'end', spec.y.ticks[1]), text(left - 4, y0 + gh, 'end', spec.y.ticks[0]));
    body.push(`<g transform="translate(${n(left - 52)},${n(y0 + gh / 2)}) rotate(-90)">${text(0, 0, 'middle', spec.y.name, ' font-weight="bold" class="axis-title"')}</g>`);
    body.push(text(left, y0 + gh + 14, 'start', spec.x.ticks[0]), text(left + gw, y0 + gh + 14, 'end', spec.x.ticks[1]));
    body.push(text(left + gw / 2, y0 + gh + 30, 'middle', spec.x.name, ' font-weight="bold" class="axis-title"'));
    body.push('</g>');
  });
  return svgDocument(width, Math.ceil(top + 18 + gh + 42), spec.title, spec.legend, body, ink);
}

/** A path through points in SVG units, broken where a point is not finite (a diverged run's last steps). */
function polyline(points: ReadonlyArray<readonly [number, number]>): string {
  let d = '';
  let open = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      open = false;
      continue;
    }
    d += `${open ? 'L' : 'M'}${n(x)},${n(y)}`;
    open = true;
  }
  return d;
}

/** A map's run drawn over it: its path through the two plotted variables, start and current point. */
export interface MapRun {
  label: string;
  color: string;
  /** The path's points in data units; the last is where the run stands. */
  points: Array<[number, number]>;
  start: [number, number] | null;
  /** −∇f drawn as an arrow at `at`, as the map on screen draws it (plugins.ts arrowOf). */
  downhill?: { at: [number, number]; gradient: [number, number] };
}

/**
 * A contour map as vector SVG: the filled bands and their outlines as paths (clipped to the plot),
 * each run's path, start and current point, the axes as text, and the colour bar under the plot with
 * its labelled levels. Nothing in it is a bitmap.
 */
/** A downhill arrow as the map draws it (arrowOf's length and clamp, in CSS pixels), as a path with its head. */
function svgArrow(u: uPlot, [x0, y0]: [number, number], [gx, gy]: [number, number], color: string): string[] {
  const arrow = arrowOf(u, gx, gy);
  if (!arrow) return [];
  const dpr = uPlot.pxRatio || 1;
  const [dx, dy] = [arrow.dx / dpr, arrow.dy / dpr];
  const [ex, ey] = [x0 + dx, y0 + dy];
  const a = Math.atan2(dy, dx);
  const head = Math.min(8, Math.hypot(dx, dy) * 0.4);
  const d = `M${n(x0)},${n(y0)}L${n(ex)},${n(ey)}L${n(ex - head * Math.cos(a - 0.4))},${n(ey - head * Math.sin(a - 0.4))}M${n(ex)},${n(ey)}L${n(ex - head * Math.cos(a + 0.4))},${n(ey - head * Math.sin(a + 0.4))}`;
  return [`<path class="downhill" d="${d}" fill="none" stroke="${escape(color)}" stroke-width="2"/>`];
}

export function contourSvg(u: uPlot, title: string, ink: Ink, map: { bands: readonly ContourBand[]; what: string; runs: MapRun[] }, format: (v: number) => string = (v) => showNumber(v, 4)): string {
  const legend = map.runs.map((r) => ({ label: r.label, color: r.color }));
  const width = u.width;
  const box = plotBox(u, headHeight(width, title, legend));
  const px = (x: number) => n(box.left + u.valToPos(x, 'x'));
  const py = (y: number) => n(box.top + u.valToPos(y, 'y'));
  const fg = escape(ink.foreground);
  const body: string[] = [`<defs><clipPath id="plot"><rect x="${n(box.left)}" y="${n(box.top)}" width="${n(box.width)}" height="${n(box.height)}"/></clipPath></defs>`];
  const rings = (band: ContourBand) => band.polygons.flatMap((polygon) => polygon.map((ring) => {
    let d = `M${px(ring[0])},${py(ring[1])}`;
    for (let i = 2; i < ring.length; i += 2) d += `L${px(ring[i])},${py(ring[i + 1])}`;
    return `${d}Z`;
  })).join('');
  body.push('<g clip-path="url(#plot)">');
  map.bands.forEach((band, k) => body.push(`<path class="band" d="${rings(band)}" fill="${bandColor(k, map.bands.length)}" fill-rule="evenodd" stroke="rgba(255,255,255,0.35)" stroke-width="0.5"/>`));
  for (const run of map.runs) {
    const color = escape(run.color);
    if (run.start) body.push(`<circle cx="${px(run.start[0])}" cy="${py(run.start[1])}" r="4" fill="none" stroke="${color}" stroke-width="2"/>`);
    if (run.points.length === 0) continue;
    const path = polyline(run.points.map(([x, y]) => [box.left + u.valToPos(x, 'x'), box.top + u.valToPos(y, 'y')]));
    if (path) body.push(`<path class="run-path" d="${path}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`);
    // Where it stands: its last finite point.
    const end = [...run.points].reverse().find(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (end) body.push(`<circle cx="${px(end[0])}" cy="${py(end[1])}" r="5" fill="${color}" stroke="#fff" stroke-width="1.5"/>`);
  }
  for (const run of map.runs) if (run.downhill) body.push(...svgArrow(u, [px(run.downhill.at[0]), py(run.downhill.at[1])], run.downhill.gradient, run.color));
  body.push('</g>');
  body.push(...axesParts(u, box, ink, format, false));
  // The colour bar: one cell per band, low to high, and the levels the screen labels.
  const barTop = box.top + box.height + 46;
  const cell = box.width / Math.max(1, map.bands.length);
  const bar = [`<g class="colorbar"><text x="${n(box.left - 6)}" y="${n(barTop + 9)}" text-anchor="end" font-family="sans-serif" font-size="11" font-style="italic" fill="${fg}">${escape(map.what)}</text>`];
  map.bands.forEach((_band, k) => bar.push(`<rect x="${n(box.left + k * cell)}" y="${n(barTop)}" width="${n(cell + 0.5)}" height="10" fill="${bandColor(k, map.bands.length)}"/>`));
  const last = Math.max(1, map.bands.length - 1);
  for (const stop of colorStops(map.bands)) {
    const anchor = stop.k === 0 ? 'start' : stop.k === map.bands.length - 1 ? 'end' : 'middle';
    bar.push(`<text x="${n(box.left + (box.width * stop.k) / last)}" y="${n(barTop + 24)}" text-anchor="${anchor}" font-family="sans-serif" font-size="11" fill="${fg}">${escape(stop.text)}</text>`);
  }
  bar.push('</g>');
  body.push(...(map.bands.length ? bar : []));
  return svgDocument(width, Math.ceil(barTop + (map.bands.length ? 34 : 0)), title, legend, body, ink);
}

/** What a data fit's chart draws, for its vector export (charts/FitChart.svelte). */
export interface FitPicture {
  points: Array<{ x: number; y: number; color: string; square: boolean }>;
  lines: Array<{ color: string; xs: number[]; ys: number[] } | { color: string; boundary: [number, number, number] }>;
  /** Class regions: a class per grid cell (rows from the bottom), painted faintly under the points. */
  regions: { cells: Uint8Array; nx: number; ny: number; x: [number, number]; y: [number, number]; rgb: number[][] } | null;
}

/**
 * A data fit as vector SVG: the class regions as rectangles (a row's run of one class as one), the
 * points as circles or squares in their class colours, each run's curve or boundary as a path, and
 * the axes as text.
 */
export function fitSvg(u: uPlot, title: string, ink: Ink, legend: LegendEntry[], picture: FitPicture, format: (v: number) => string = (v) => showNumber(v, 4)): string {
  const width = u.width;
  const box = plotBox(u, headHeight(width, title, legend));
  const px = (x: number) => box.left + u.valToPos(x, 'x');
  const py = (y: number) => box.top + u.valToPos(y, 'y');
  const body: string[] = [`<defs><clipPath id="plot"><rect x="${n(box.left)}" y="${n(box.top)}" width="${n(box.width)}" height="${n(box.height)}"/></clipPath></defs>`, '<g clip-path="url(#plot)">'];
  const r = picture.regions;
  // Opaque cells under one translucent group, so that where neighbours overlap no seam shows.
  if (r) body.push('<g class="regions" opacity="0.25">');
  if (r) {
    const dx = (r.x[1] - r.x[0]) / (r.nx - 1);
    const dy = (r.y[1] - r.y[0]) / (r.ny - 1);
    for (let row = 0; row < r.ny; row++) {
      const v = r.y[0] + row * dy;
      const [top, bottom] = [py(v + dy / 2), py(v - dy / 2)];
      for (let col = 0; col < r.nx;) {
        const k = r.cells[row * r.nx + col];
        let end = col + 1;
        while (end < r.nx && r.cells[row * r.nx + end] === k) end++;
        const [left, right] = [px(r.x[0] + (col - 0.5) * dx), px(r.x[0] + (end - 0.5) * dx)];
        const [red, green, blue] = r.rgb[k % r.rgb.length];
        body.push(`<rect class="region" x="${n(left)}" y="${n(top)}" width="${n(right - left + 0.3)}" height="${n(bottom - top + 0.3)}" fill="rgb(${red},${green},${blue})"/>`);
        col = end;
      }
    }
    body.push('</g>');
  }
  for (const p of picture.points) {
    const [x, y] = [px(p.x), py(p.y)];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    body.push(p.square ? `<rect class="point" x="${n(x - 2.6)}" y="${n(y - 2.6)}" width="5.2" height="5.2" fill="${escape(p.color)}"/>` : `<circle class="point" cx="${n(x)}" cy="${n(y)}" r="2.8" fill="${escape(p.color)}"/>`);
  }
  for (const line of picture.lines) {
    let d = '';
    if ('boundary' in line) {
      const [w1, w2, b] = line.boundary;
      const [x0, x1] = [u.scales.x.min!, u.scales.x.max!];
      if (Math.abs(w2) > 1e-12 && [w1, w2, b].every(Number.isFinite)) d = `M${n(px(x0))},${n(py(-(w1 * x0 + b) / w2))}L${n(px(x1))},${n(py(-(w1 * x1 + b) / w2))}`;
    } else {
      d = polyline(line.xs.map((x, i) => [px(x), py(line.ys[i])]));
    }
    if (d) body.push(`<path class="fit-line" d="${d}" fill="none" stroke="${escape(line.color)}" stroke-width="2.5"/>`);
  }
  body.push('</g>', ...axesParts(u, box, ink, format));
  return svgDocument(width, Math.ceil(box.top + box.height + 44), title, legend, body, ink);
}
