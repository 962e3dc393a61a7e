import type { GraphNode } from '../graph';
import { noFlops, OpEntry } from './types';

/**
 * The factor of a bilinear resize (GraphBuilder.resizeBilinear) checked and split: an integer
 * r >= 2 up, or 1/k for an even k down (k = 2 is a 2x2 average; k = 4 averages the middle
 * 2x2 of each 4x4 block, as PyTorch's non-antialiased bilinear does).
 */
export function resizeFactor(factor: number): { up: number; down: number } {
  if (Number.isInteger(factor) && factor >= 2) return { up: factor, down: 0 };
  const k = Math.round(1 / factor);
  if (factor > 0 && factor < 1 && k % 2 === 0 && Math.abs(1 / factor - k) < 1e-6) return { up: 0, down: k };
  throw new Error(`resizeBilinear: the factor must be an integer >= 2 or 1/k for an even k (1/2, 1/4), got ${factor}`);
}

/**
 * Upsampling by r as fixed weights: phase q (output pixel r·i + q) reads the source coordinate
 * i + (q + 0.5)/r - 0.5 (PyTorch's half-pixel mapping; clamping it at 0 and at n - 1 equals
 * reading a replicated edge pixel), so it blends x[i - 1], x[i], x[i + 1] with weights w[q][0..2].
 */
export function upPhases(r: number): number[][] {
  return Array.from({ length: r }, (_, q) => {
    const s = (q + 0.5) / r - 0.5,
      lo = Math.floor(s),
      f = s - lo,
      w = [0, 0, 0];
    w[lo + 1] += 1 - f;
    w[lo + 2] += f;
    return w;
  });
}

/**
 * Bilinear resize (GraphBuilder.resizeBilinear). Receptive radius: an upsampled pixel reads its
 * source pixel's neighbours (1 source pixel), a downsampled one lies inside its k x k block
 * (k - 1, as avgPool). FLOPs: none counted, like the other elementwise/gather ops.
 */
export const resizeBilinear: OpEntry<Extract<GraphNode, { op: 'resizeBilinear' }>> = {
  forward: (n, c) => c.ops.resizeBilinear(c.v(n.x), n.factor),
  extent: (n, at) => {
    const x = at(n.x),
      f = resizeFactor(n.factor);
    return f.up
      ? { hw: x.hw * f.up * f.up, radius: x.radius + 1 / x.res, res: x.res * f.up }
      : { hw: x.hw / (f.down * f.down), radius: x.radius + (f.down - 1) / x.res, res: x.res / f.down };
  },
  flops: noFlops,
};
