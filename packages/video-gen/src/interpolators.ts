/** Non-learned interpolators: the baselines a model has to beat. */
import { Frame, assertSameSize } from './frame';
import type { Interpolator } from './interpolate';

/** Frame repetition: every in-between frame is a copy of the earlier frame. */
export const duplicateInterpolator: Interpolator = (a) => a;

/** Per-pixel linear cross-fade, (1 - t)·a + t·b, rounded to the nearest integer. */
export const blendInterpolator: Interpolator = (a: Frame, b: Frame, t: number): Frame => {
  assertSameSize(a, b);
  const out = new Uint8Array(a.data.length);
  const wa = 1 - t;
  for (let i = 0; i < out.length; i++) out[i] = Math.round(wa * a.data[i] + t * b.data[i]);
  return { data: out, width: a.width, height: a.height };
};
