/**
 * Who draws the 3-D surface view: a worker, on the view's canvas handed over as an OffscreenCanvas
 * (so that the page's frames never wait on WebGL), or, where this browser cannot draw WebGL in a
 * worker, the page itself with the same scene code. The view talks to either the same way.
 */
import { probeWebGl } from './surfaceProbe';
import { SurfaceScene, type SurfaceMessage } from './surfaceScene';

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
  /** The drawing could not start after all (the worker could not load or make its renderer). */
  onFailed: (why: string) => void;
  /** Whether the view still wants a drawer (it may have gone while the worker was asked). */
  wanted: () => boolean;
}

/** A page canvas holding a picture (an ImageBitmap from the worker, or a canvas). */
function pageCanvas(source: CanvasImageSource & { width: number; height: number }): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = source.width;
  out.height = source.height;
  out.getContext('2d')!.drawImage(source, 0, 0);
  return out;
}

/** The view's drawer on this canvas: a worker's where it can draw WebGL, else the page's; null if the view went meanwhile. Throws where neither can draw. */
export async function startDrawer(canvas: HTMLCanvasElement, events: DrawerEvents): Promise<SurfaceDrawer | null> {
  const drawer = await workerDrawer(canvas, events);
  if (drawer === 'gone' || !events.wanted()) {
    if (drawer && drawer !== 'gone') drawer.dispose();
    return null;
  }
  return drawer ?? pageDrawer(canvas, events);
}

/** Whether this browser can hand a canvas to a worker at all. */
export function canDrawOffscreen(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && typeof HTMLCanvasElement.prototype.transferControlToOffscreen === 'function';
}

async function workerDrawer(canvas: HTMLCanvasElement, events: DrawerEvents): Promise<SurfaceDrawer | null | 'gone'> {
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
    // It answers before loading three.js: a slow start is not taken for a worker without WebGL.
    const timer = setTimeout(() => resolve(null), 30_000);
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
  if (!probed || !events.wanted()) {
    worker.terminate();
    return probed ? 'gone' : null;
  }
  const offscreen = canvas.transferControlToOffscreen();
  let asked = 0;
  let draws = 0;
  const waiting = new Map<number, (picture: HTMLCanvasElement | null) => void>();
  /** Exports waiting for a picture get none once the worker cannot draw. */
  const giveUp = () => {
    for (const resolve of waiting.values()) resolve(null);
    waiting.clear();
  };
  worker.onmessage = (event) => {
    const data = event.data;
    if (data?.type === 'frame') events.onFrame(data.frames, data.asked);
    else if (data?.type === 'failed') {
      giveUp();
      events.onFailed(data.why);
    } else if (data?.type === 'trouble') console.warn(`3-D view: ${data.why}`);
    else if (data?.type === 'exported') {
      const bitmap = data.bitmap as ImageBitmap | null;
      waiting.get(data.id)?.(bitmap ? pageCanvas(bitmap) : null);
      waiting.delete(data.id);
      bitmap?.close();
    }
  };
  // An error the worker did not catch: said on the console; the view goes on with its next message.
  worker.onerror = (event) => {
    event.preventDefault();
    giveUp();
    console.warn(`3-D view: ${event.message || 'an error in its worker'}`);
  };
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
      giveUp();
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
