import type { GraphNode } from '../graph';
import type { OpEntry } from './types';

type Upsample = Extract<GraphNode, { op: 'pixelShuffle' | 'upNearest' }>;

/** An r× upsample: r² as many pixels, each r× finer, the receptive radius (in input pixels) unchanged. */
const upsample = (f: 'depthToSpace' | 'upNearest'): OpEntry<Upsample> => ({
  forward: (n, c) => c.ops[f](c.v(n.x), n.r),
  extent: (n, at) => {
    const x = at(n.x);
    return { hw: x.hw * n.r * n.r, radius: x.radius, res: x.res * n.r };
  },
  flops: () => 0,
});

export const pixelShuffle = upsample('depthToSpace');
export const upNearest = upsample('upNearest');
