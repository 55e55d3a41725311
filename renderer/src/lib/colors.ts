/** Run colours, in the order new runs take them (distinguishable, and AA-contrast on both themes' backgrounds). */
export const RUN_COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d'];

/** A run's colour: its own, or the palette's by its place. */
export function colorOf(run: { color: string | null }, index: number): string {
  return run.color ?? RUN_COLORS[index % RUN_COLORS.length];
}
