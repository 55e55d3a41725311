/**
 * Whether a context (the page, or the 3-D view's worker) can draw WebGL 2, and whether a GPU or a
 * software rasterizer draws it. Apart from three.js, so that the worker answers before loading it.
 */

/** Any canvas WebGL can draw on: the page's or an OffscreenCanvas. */
type AnyCanvas = HTMLCanvasElement | OffscreenCanvas;

/** Whether WebGL on this context is drawn by a software rasterizer (SwiftShader, llvmpipe) rather than a GPU. */
export function isSoftware(gl: WebGLRenderingContext | WebGL2RenderingContext): boolean {
  const name = String(gl.getParameter(gl.RENDERER) ?? '');
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const unmasked = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL) ?? '') : '';
  return /swiftshader|llvmpipe|software|softpipe/i.test(`${name} ${unmasked}`);
}

/** Whether this context (page or worker) can draw WebGL 2 on a canvas, and in software or not; null when it cannot. */
export function probeWebGl(make: () => AnyCanvas): { software: boolean } | null {
  try {
    const gl = make().getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return null;
    const software = isSoftware(gl);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { software };
  } catch {
    return null;
  }
}

