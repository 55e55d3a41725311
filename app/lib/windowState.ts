/** Window size and position remembered between launches, kept on a visible display. */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState extends Rect {
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 };
export const MIN_SIZE = { width: 960, height: 640 };

/** A saved state if it still fits a display (at least 100×50 px of it visible), else a default centred on the primary display. */
export function restoreWindowState(saved: unknown, displays: readonly Rect[], primary: Rect): WindowState {
  const fallback = (): WindowState => {
    const width = Math.min(DEFAULT_SIZE.width, primary.width);
    const height = Math.min(DEFAULT_SIZE.height, primary.height);
    return { x: primary.x + Math.round((primary.width - width) / 2), y: primary.y + Math.round((primary.height - height) / 2), width, height, maximized: false };
  };
  if (!saved || typeof saved !== 'object') return fallback();
  const s = saved as Record<string, unknown>;
  const nums = ['x', 'y', 'width', 'height'].map((k) => s[k]);
  if (!nums.every((v) => typeof v === 'number' && Number.isFinite(v))) return fallback();
  const [x, y, w, h] = nums as number[];
  const width = Math.max(MIN_SIZE.width, Math.round(w));
  const height = Math.max(MIN_SIZE.height, Math.round(h));
  const visible = displays.some((d) => {
    const overlapX = Math.min(x + width, d.x + d.width) - Math.max(x, d.x);
    const overlapY = Math.min(y + height, d.y + d.height) - Math.max(y, d.y);
    return overlapX >= 100 && overlapY >= 50;
  });
  if (!visible) return fallback();
  return { x: Math.round(x), y: Math.round(y), width, height, maximized: s.maximized === true };
}
