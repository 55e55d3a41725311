/** Run colours, in the order new runs take them (distinguishable, and AA-contrast on both themes' backgrounds). */
export const RUN_COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d'];

/** A run's colour: its own, or the palette's by its place. */
export function colorOf(run: { color: string | null }, index: number): string {
  return run.color ?? RUN_COLORS[index % RUN_COLORS.length];
}

/**
 * Class colours and marks in scatter plots: apart from every run colour (runs draw their fitted
 * boundaries over the classes), and told apart by shape as well as colour.
 */
export const CLASS_STYLES: ReadonlyArray<{ color: string; shape: 'circle' | 'square' }> = [
  { color: '#e69f00', shape: 'circle' },
  { color: '#56b4e9', shape: 'square' },
  { color: '#009e73', shape: 'circle' },
  { color: '#cc79a7', shape: 'square' },
  { color: '#f0e442', shape: 'circle' },
  { color: '#0072b2', shape: 'square' },
  { color: '#d55e00', shape: 'circle' },
  { color: '#999999', shape: 'square' },
  { color: '#882255', shape: 'circle' },
  { color: '#44aa99', shape: 'square' },
];

/** A class's style (classes past the palette's ten repeat it). */
export const classStyle = (k: number) => CLASS_STYLES[k % CLASS_STYLES.length];
