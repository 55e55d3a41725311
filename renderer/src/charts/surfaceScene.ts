/**
 * The 3-D surface view's drawing: a three.js scene of f's height field, the box with its labels and
 * each run's path as a tube, drawn by WebGL on a canvas. The same code draws in a worker (on an
 * OffscreenCanvas handed over by the page, so that the page never waits on WebGL) and, where a
 * worker cannot draw WebGL, on the page itself. It knows nothing of the page: the page sends the
 * camera, the sizes, the colours and the data as plain values (see SurfaceMessage).
 */
import * as THREE from 'three';
import { heightField, HEIGHT, tube } from './surface3d';

export { probeWebGl } from './surfaceProbe';

/** Any canvas WebGL can draw on: the page's or an OffscreenCanvas. */
type AnyCanvas = HTMLCanvasElement | OffscreenCanvas;

export interface SurfaceLabel {
  text: string;
  at: [number, number, number];
  /** Height on screen, in CSS pixels. */
  px: number;
}

export interface SurfacePath {
  id: string;
  color: string;
  /** x, y, height per point, in the view's units (pathPoints). */
  points: Float32Array;
}

export interface CameraPose {
  position: [number, number, number];
  quaternion: [number, number, number, number];
  aspect: number;
}

/** What the page tells the drawing, one message at a time (to a worker, or to a scene on the page). */
export type SurfaceMessage =
  | { type: 'size'; width: number; height: number; pixelRatio: number }
  | { type: 'ground'; color: string }
  | { type: 'camera'; pose: CameraPose }
  | { type: 'field'; values: Float64Array; nx: number; ny: number; x: [number, number]; y: [number, number]; log: boolean }
  | { type: 'labels'; labels: SurfaceLabel[]; ink: string }
  /** Paths that changed, and the ids of every run still shown (others are removed). */
  | { type: 'paths'; changed: SurfacePath[]; keep: string[] };

/** A canvas to paint a label's text on: off the page where that exists. */
function paintCanvas(width: number, height: number): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

export class SurfaceScene {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera = new THREE.PerspectiveCamera(40, 1, 0.05, 100);
  private mesh: THREE.Mesh | null = null;
  private readonly decorations = new THREE.Group();
  private readonly paths = new Map<string, { line: THREE.Mesh; dot: THREE.Mesh }>();
  private height = 400;
  /** Frames drawn so far. */
  frames = 0;

  /** Throws where WebGL cannot start on this canvas. */
  constructor(canvas: AnyCanvas, software: boolean) {
    // Without a GPU (a software rasterizer draws WebGL on the CPU) the view draws without
    // multisampling, so that streaming runs keep their frame rate.
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: !software, alpha: false });
    this.scene.add(this.decorations);
    this.camera.up.set(0, 0, 1);
  }

  /** One message from the page. */
  apply(message: SurfaceMessage): void {
    switch (message.type) {
      case 'size':
        this.height = message.height;
        this.renderer.setPixelRatio(message.pixelRatio);
        // The page sizes the element; here only its pixels.
        this.renderer.setSize(message.width, message.height, false);
        this.sizeLabels();
        return;
      case 'ground':
        this.renderer.setClearColor(message.color);
        return;
      case 'camera': {
        const { position, quaternion, aspect } = message.pose;
        this.camera.position.set(...position);
        this.camera.quaternion.set(...quaternion);
        this.camera.aspect = aspect;
        this.camera.updateProjectionMatrix();
        this.camera.updateMatrixWorld();
        this.sizeLabels();
        return;
      }
      case 'field':
        this.setField(message.values, message.nx, message.ny, message.x, message.y, message.log);
        return;
      case 'labels':
        this.setLabels(message.labels, message.ink);
        return;
      case 'paths':
        this.setPaths(message.changed, message.keep);
        return;
    }
  }

  render(): void {
    this.renderer.render(this.scene, this.camera);
    this.frames++;
  }

  /**
   * The view drawn again at `scale` times the given size, antialiased, by a second renderer of the
   * same scene and camera on a canvas of its own. Null where that renderer cannot start.
   */
  drawScaled(width: number, height: number, scale: number): AnyCanvas | null {
    const target = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width * scale, height * scale) : paintCanvas(width * scale, height * scale);
    let off: THREE.WebGLRenderer | null = null;
    try {
      off = new THREE.WebGLRenderer({ canvas: target, antialias: true, alpha: false, preserveDrawingBuffer: true });
      off.setPixelRatio(1);
      off.setSize(width * scale, height * scale, false);
      off.setClearColor(this.renderer.getClearColor(new THREE.Color()));
      off.render(this.scene, this.camera);
      // A copy on a 2-D canvas: the WebGL context is let go below.
      const out = paintCanvas(width * scale, height * scale);
      (out.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D).drawImage(target, 0, 0);
      return out;
    } catch {
      return null;
    } finally {
      off?.dispose();
      off?.forceContextLoss();
    }
  }

  dispose(): void {
    this.setPaths([], []);
    this.setLabels([], '#000');
    this.mesh?.geometry.dispose();
    (this.mesh?.material as THREE.Material | undefined)?.dispose();
    this.mesh = null;
    this.renderer.dispose();
    // The context goes now, not when it is collected (browsers allow only a few at once).
    this.renderer.forceContextLoss();
  }

  private setField(values: Float64Array, nx: number, ny: number, x: [number, number], y: [number, number], log: boolean): void {
    const field = heightField(values, nx, ny, x, y, log);
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(field.positions, 3));
    geometry.setAttribute('color', new THREE.BufferAttribute(field.colors, 3));
    geometry.setIndex(new THREE.BufferAttribute(field.indices, 1));
    geometry.computeVertexNormals();
    // Light from above and behind the default view, baked into the colours once: an unlit material
    // then draws each frame cheaply, which matters where WebGL runs on the CPU.
    const normals = geometry.getAttribute('normal');
    const light = new THREE.Vector3(-0.4, -0.6, 0.7).normalize();
    for (let k = 0; k < normals.count; k++) {
      const lit = 0.55 + 0.45 * Math.abs(normals.getX(k) * light.x + normals.getY(k) * light.y + normals.getZ(k) * light.z);
      for (let c = 0; c < 3; c++) field.colors[3 * k + c] *= lit;
    }
    if (this.mesh) {
      this.mesh.geometry.dispose();
      this.mesh.geometry = geometry;
    } else {
      this.mesh = new THREE.Mesh(geometry, new THREE.MeshBasicMaterial({ vertexColors: true, side: THREE.DoubleSide }));
      this.scene.add(this.mesh);
    }
  }

  /** The box's edges and the axes' names and ends, painted in the page's ink. */
  private setLabels(labels: SurfaceLabel[], ink: string): void {
    for (const child of [...this.decorations.children]) {
      this.decorations.remove(child);
      if (child instanceof THREE.Sprite) {
        child.material.map?.dispose();
        child.material.dispose();
      } else if (child instanceof THREE.LineSegments) {
        child.geometry.dispose();
        (child.material as THREE.Material).dispose();
      }
    }
    if (!labels.length) return;
    const box = new THREE.LineSegments(new THREE.EdgesGeometry(new THREE.BoxGeometry(2, 2, HEIGHT)), new THREE.LineBasicMaterial({ color: 0x888888, transparent: true, opacity: 0.5 }));
    box.position.set(0, 0, HEIGHT / 2);
    this.decorations.add(box);
    for (const { text, at, px } of labels) this.decorations.add(this.label(text, at, px, ink));
    this.sizeLabels();
  }

  /** A text label facing the camera, `px` CSS pixels tall. */
  private label(text: string, at: [number, number, number], px: number, ink: string): THREE.Sprite {
    const pad = 8;
    const font = '28px system-ui, sans-serif';
    const measure = paintCanvas(1, 1).getContext('2d') as CanvasRenderingContext2D;
    measure.font = font;
    const c = paintCanvas(Math.ceil(measure.measureText(text).width) + 2 * pad, 40);
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    ctx.font = font;
    ctx.fillStyle = ink;
    ctx.textBaseline = 'middle';
    ctx.fillText(text, pad, 20);
    const texture = new THREE.CanvasTexture(c as HTMLCanvasElement);
    texture.colorSpace = THREE.SRGBColorSpace;
    const sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: texture, depthTest: false, transparent: true, sizeAttenuation: false }));
    sprite.userData = { px: (px * c.height) / 28, aspect: c.width / c.height };
    sprite.position.set(...at);
    return sprite;
  }

  /** Labels keep their size on screen, in CSS pixels, whatever the zoom and the view's size. */
  private sizeLabels(): void {
    const perPixel = 2 / (this.camera.projectionMatrix.elements[5] * this.height);
    for (const child of this.decorations.children) {
      if (!(child instanceof THREE.Sprite)) continue;
      const { px, aspect } = child.userData as { px: number; aspect: number };
      child.scale.set(px * aspect * perPixel, px * perPixel, 1);
    }
  }

  /** Each changed run's path as a tube and a dot where it is; runs no longer shown go. */
  private setPaths(changed: SurfacePath[], keep: string[]): void {
    for (const { id, color: css, points } of changed) {
      let entry = this.paths.get(id);
      const color = new THREE.Color(css);
      if (!entry) {
        // Paths are drawn over the surface (no depth test), as thin tubes, so that a valley never hides them.
        const line = new THREE.Mesh(new THREE.BufferGeometry(), new THREE.MeshBasicMaterial({ color, depthTest: false }));
        const dot = new THREE.Mesh(new THREE.SphereGeometry(0.04, 16, 12), new THREE.MeshBasicMaterial({ color, depthTest: false }));
        line.renderOrder = dot.renderOrder = 2;
        this.scene.add(line, dot);
        entry = { line, dot };
        this.paths.set(id, entry);
      }
      (entry.line.material as THREE.MeshBasicMaterial).color = color;
      (entry.dot.material as THREE.MeshBasicMaterial).color = color;
      // A path needs two points; before the first step only the dot shows.
      entry.line.visible = points.length >= 6;
      if (entry.line.visible) {
        const shape = tube(points, 0.012);
        const geometry = entry.line.geometry;
        geometry.setAttribute('position', new THREE.BufferAttribute(shape.positions, 3));
        geometry.setIndex(new THREE.BufferAttribute(shape.indices, 1));
        geometry.computeBoundingSphere();
      }
      entry.dot.visible = points.length >= 3;
      if (points.length >= 3) entry.dot.position.set(points[points.length - 3], points[points.length - 2], points[points.length - 1]);
    }
    const kept = new Set(keep);
    for (const [id, entry] of this.paths) {
      if (kept.has(id)) continue;
      this.scene.remove(entry.line, entry.dot);
      for (const mesh of [entry.line, entry.dot]) {
        mesh.geometry.dispose();
        (mesh.material as THREE.Material).dispose();
      }
      this.paths.delete(id);
    }
  }
}
