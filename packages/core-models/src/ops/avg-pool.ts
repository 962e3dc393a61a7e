import type { GraphNode } from '../graph';
import type { OpEntry } from './types';

export const avgPool: OpEntry<Extract<GraphNode, { op: 'avgPool' }>> = {
  forward: (n, c) => c.ops.avgPool(c.v(n.x), n.k),
  extent: (n, at) => {
    const x = at(n.x);
    return { hw: x.hw / (n.k * n.k), radius: x.radius + (n.k - 1) / x.res, res: x.res / n.k };
  },
  flops: () => 0,
};
