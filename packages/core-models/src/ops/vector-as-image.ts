import type { GraphNode } from '../graph';
import { globalExtent, noFlops, OpEntry } from './types';

export const vectorAsImage: OpEntry<Extract<GraphNode, { op: 'vectorAsImage' }>> = {
  forward: (n, c) => {
    const x = c.v(n.x),
      [b, ch] = c.ops.shape(x);
    return c.ops.reshape(x, [b, 1, 1, ch]);
  },
  extent: (n, at) => globalExtent(1, at(n.x).res),
  flops: noFlops,
};
