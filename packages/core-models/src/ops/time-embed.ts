import type { GraphNode } from '../graph';
import { globalExtent, noFlops, OpEntry } from './types';

/** Sinusoidal embedding [cos | sin] of t / maxPeriod^(i / half), i < half = dim / 2. */
export function timeEmbedFrequencies(dim: number, maxPeriod: number): Float32Array {
  const half = dim / 2;
  return Float32Array.from({ length: half }, (_, i) => Math.exp((-Math.log(maxPeriod) * i) / half));
}

export const timeEmbed: OpEntry<Extract<GraphNode, { op: 'timeEmbed' }>> = {
  forward: (n, c) => {
    const o = c.ops,
      t = c.v(n.x),
      half = n.dim / 2;
    const args = o.mul(o.reshape(t, [-1, 1]), o.constant(timeEmbedFrequencies(n.dim, n.maxPeriod), [1, half], true));
    return o.concat([o.cos(args), o.sin(args)], 1);
  },
  extent: (n, at) => globalExtent(0, at(n.x).res),
  flops: noFlops,
};
