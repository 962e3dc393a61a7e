import type { GraphNode } from '../graph';
import { globalExtent, OpEntry } from './types';

export const dense: OpEntry<Extract<GraphNode, { op: 'dense' }>> = {
  forward: (n, c) => c.ops.add(c.ops.matMul(c.v(n.x), c.P(`${n.param}.w`)), c.P(`${n.param}.b`)),
  extent: (n, at) => globalExtent(0, at(n.x).res),
  flops: (n) => 2 * n.inCh * n.outCh,
};
