/**
 * Who draws the 3-D surface view: a worker, on the view's canvas handed over as an OffscreenCanvas
 * (so that the page's frames never wait on WebGL), or, where this browser cannot draw WebGL in a
 * worker, the page itself with the same scene code. The view talks to either the same way.
 */
import { probeWebGl, SurfaceScene, type SurfaceMessage } from './surfaceScene';

export interface SurfaceDrawer {
  /** Where WebGL draws: in a worker, or on the page's own thread. */
  readonly thread: 'worker' | 'page';
  /** Whether WebGL is drawn by a software rasterizer rather than a GPU. */
  readonly software: boolean;
  send(message: SurfaceMessage, transfer?: Transferable[]): void;
  /** Draw the view again, at the next animation frame (several calls before it draw once). */
  draw(): void;
  /** The view drawn again at `scale` times `width` × `height`, antialiased, on a canvas of the page's. */
  picture(width: number, height: number, scale: number): Promise<HTMLCanvasElement | null>;
  dispose(): void;
}

export interface DrawerEvents {
  /** Frames drawn so far, after each one, and the last draw() the frame includes (its count). */
  onFrame: (frames: number, asked: number) => void;
  /** The drawing stopped: WebGL failed or its context was lost. */
  onFailed: (why: string) => void;
}

/** A page canvas holding a picture (an ImageBitmap from the worker, or a canvas). */
function pageCanvas(source: CanvasImageSource & { width: number; height: number }): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = source.width;
  out.height = source.height;
  out.getContext('2d')!.drawImage(source, 0, 0);
  return out;
}

/** The view's drawer on this canvas: a worker's where it can draw WebGL, else the page's. Throws where neither can. */
export async function startDrawer(canvas: HTMLCanvasElement, events: DrawerEvents): Promise<SurfaceDrawer> {
  return (await workerDrawer(canvas, events)) ?? pageDrawer(canvas, events);
}

/** Whether this browser can hand a canvas to a worker at all. */
export function canDrawOffscreen(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && typeof HTMLCanvasElement.prototype.transferControlToOffscreen === 'function';
}

async function workerDrawer(canvas: HTMLCanvasElement, events: DrawerEvents): Promise<SurfaceDrawer | null> {
  if (!canDrawOffscreen()) return null;
  let worker: Worker;
  try {
    worker = new Worker(new URL('./surface.worker.ts', import.meta.url), { type: 'module', name: 'gdlab-surface' });
  } catch {
    return null;
  }
  // The worker says whether it can draw WebGL before the canvas is handed over: once handed over,
  // the page can no longer draw on it itself.
  const probed = await new Promise<{ software: boolean } | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 15_000);
    worker.onmessage = (event) => {
      if (event.data?.type !== 'probed') return;
      clearTimeout(timer);
      resolve(event.data.webgl);
    };
    worker.onerror = () => {
      clearTimeout(timer);
      resolve(null);
    };
    worker.postMessage({ type: 'probe' });
  });
  if (!probed) {
    worker.terminate();
    return null;
  }
  const offscreen = canvas.transferControlToOffscreen();
  let asked = 0;
  let draws = 0;
  const waiting = new Map<number, (picture: HTMLCanvasElement | null) => void>();
  worker.onmessage = (event) => {
    const data = event.data;
    if (data?.type === 'frame') events.onFrame(data.frames, data.asked);
    else if (data?.type === 'failed') events.onFailed(data.why);
    else if (data?.type === 'exported') {
      const bitmap = data.bitmap as ImageBitmap | null;
      waiting.get(data.id)?.(bitmap ? pageCanvas(bitmap) : null);
      waiting.delete(data.id);
      bitmap?.close();
    }
  };
  worker.onerror = (event) => events.onFailed(event.message || 'the 3-D view’s worker stopped');
  worker.postMessage({ type: 'start', canvas: offscreen, software: probed.software }, [offscreen]);
  return {
    thread: 'worker',
    software: probed.software,
    send: (message, transfer = []) => worker.postMessage(message, transfer),
    draw: () => worker.postMessage({ type: 'draw', asked: ++draws }),
    picture: (width, height, scale) =>
      new Promise((resolve) => {
        const id = ++asked;
        waiting.set(id, resolve);
        worker.postMessage({ type: 'export', id, width, height, scale });
      }),
    dispose: () => {
      for (const resolve of waiting.values()) resolve(null);
      worker.terminate();
    },
  };
}

function pageDrawer(canvas: HTMLCanvasElement, events: DrawerEvents): SurfaceDrawer {
  const probed = probeWebGl(() => document.createElement('canvas'));
  if (!probed) throw new Error('WebGL 2 is not available');
  const scene = new SurfaceScene(canvas, probed.software);
  let pending = false;
  let live = true;
  let draws = 0;
  return {
    thread: 'page',
    software: probed.software,
    send: (message) => scene.apply(message),
    draw: () => {
      draws++;
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        if (!live) return;
        const includes = draws;
        scene.render();
        events.onFrame(scene.frames, includes);
      });
    },
    picture: async (width, height, scale) => {
      const drawn = scene.drawScaled(width, height, scale);
      if (drawn) return pageCanvas(drawn);
      // No second renderer: the screen's own canvas, drawn now, in this task, before the browser clears its buffer.
      scene.render();
      return canvas;
    },
    dispose: () => {
      live = false;
      scene.dispose();
    },
  };
}
