/** A network's hidden-layer activations and size limits (no schema library: the engine's kernels import them). */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const MAX_LAYERS = 8;
export const MAX_WIDTH = 1024;
