import type { GraphNode } from '../graph';
import { noFlops, OpEntry, passExtent } from './types';

export const scale: OpEntry<Extract<GraphNode, { op: 'scale' }>> = {
  forward: (n, c) => c.ops.mul(c.v(n.x), n.s),
  extent: passExtent,
  flops: noFlops,
};
