import type { GraphNode } from '../graph';
import type { OpEntry } from './types';

export const pixelShuffle: OpEntry<Extract<GraphNode, { op: 'pixelShuffle' }>> = {
  forward: (n, c) => c.ops.depthToSpace(c.v(n.x), n.r),
  extent: (n, at) => {
    const x = at(n.x);
    return { hw: x.hw * n.r * n.r, radius: x.radius, res: x.res * n.r };
  },
  flops: () => 0,
};
