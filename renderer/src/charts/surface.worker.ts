/**
 * The 3-D surface view's worker: it draws the scene with WebGL on the OffscreenCanvas the page hands
 * over, so that WebGL's time (all of it on the CPU where there is no GPU) is never the page's.
 *
 * From the page: `probe` (can this worker draw WebGL? answered before three.js is loaded), then
 * `start` with the canvas, then scene messages (SurfaceMessage), `draw` when the view should be
 * drawn again, and `export` for a picture at a multiple of the view's size. To the page: `probed`,
 * `failed` (the drawing could not start), `trouble` (one message could not be taken; the view goes
 * on), `frame` (frames drawn so far) and `exported` (an ImageBitmap, or null).
 */
import { probeWebGl } from './surfaceProbe';
import type { SurfaceMessage, SurfaceScene } from './surfaceScene';

type Request =
  | { type: 'probe' }
  | { type: 'start'; canvas: OffscreenCanvas; software: boolean }
  | { type: 'draw'; asked: number }
  | { type: 'export'; id: number; width: number; height: number; scale: number }
  | SurfaceMessage;

const scope = self as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
  requestAnimationFrame?: (callback: () => void) => number;
};
let scene: SurfaceScene | null = null;
/** Messages that came while three.js was loading, taken in order once the scene is there. */
let early: Request[] | null = null;
let pending = false;
/** The last drawing the page asked for: each frame says which it includes. */
let asked = 0;

/** Frames follow the display's rate where the worker has animation frames, else about 60 a second. */
const nextFrame: (draw: () => void) => void = typeof scope.requestAnimationFrame === 'function' ? (draw) => scope.requestAnimationFrame!(draw) : (draw) => setTimeout(draw, 16);

function draw(): void {
  if (pending || !scene) return;
  pending = true;
  nextFrame(() => {
    pending = false;
    if (!scene) return;
    const includes = asked;
    try {
      scene.render();
      scope.postMessage({ type: 'frame', frames: scene.frames, asked: includes });
    } catch (error) {
      scope.postMessage({ type: 'trouble', why: (error as Error).message || String(error) });
    }
  });
}

async function start(canvas: OffscreenCanvas, software: boolean): Promise<void> {
  early = [];
  try {
    const { SurfaceScene } = await import('./surfaceScene');
    scene = new SurfaceScene(canvas, software);
  } catch (error) {
    early = null;
    scope.postMessage({ type: 'failed', why: (error as Error).message || String(error) });
    return;
  }
  const queued = early;
  early = null;
  for (const message of queued) take(message);
}

function take(message: Request): void {
  if (early) {
    early.push(message);
    return;
  }
  try {
    switch (message.type) {
      case 'probe':
        scope.postMessage({ type: 'probed', webgl: probeWebGl(() => new OffscreenCanvas(1, 1)) });
        return;
      case 'start':
        void start(message.canvas, message.software);
        return;
      case 'draw':
        asked = Math.max(asked, message.asked);
        draw();
        return;
      case 'export': {
        const picture = scene?.drawScaled(message.width, message.height, message.scale) as OffscreenCanvas | null;
        const bitmap = picture?.transferToImageBitmap() ?? null;
        scope.postMessage({ type: 'exported', id: message.id, bitmap }, bitmap ? [bitmap] : []);
        return;
      }
      default:
        scene?.apply(message);
    }
  } catch (error) {
    if (message.type === 'export') scope.postMessage({ type: 'exported', id: message.id, bitmap: null });
    scope.postMessage({ type: 'trouble', why: (error as Error).message || String(error) });
  }
}

scope.onmessage = (event: MessageEvent<Request>) => take(event.data);
