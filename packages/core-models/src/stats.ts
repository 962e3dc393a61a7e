/**
 * Mean and median of plain number lists (bench tables, timings, per-image scores). No values
 * give NaN, as 0/0 does: a report shows the gap instead of a made-up 0, and a caller that
 * needs a number checks the length itself. No imports: Node, browser and video I/O code load
 * it without tfjs.
 */

/** Arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Median (the mean of the middle two for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
