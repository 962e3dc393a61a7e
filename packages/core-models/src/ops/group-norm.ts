import type { GraphNode } from '../graph';
import { globalExtent, noFlops, OpEntry } from './types';

export const groupNorm: OpEntry<Extract<GraphNode, { op: 'groupNorm' }>> = {
  forward: (n, c) => c.ops.groupNorm(c.v(n.x), n.groups, n.eps, c.P(`${n.param}.gamma`), c.P(`${n.param}.beta`)),
  extent: (n, at) => globalExtent(at(n.x).hw, at(n.x).res),
  flops: noFlops,
};
