import type { GraphNode } from '../graph';
import type { OpEntry } from './types';

export const concat: OpEntry<Extract<GraphNode, { op: 'concat' }>> = {
  forward: (n, c) =>
    c.ops.concat(
      n.xs.map((i) => c.v(i)),
      -1,
    ),
  extent: (n, at) => ({ hw: at(n.xs[0]).hw, radius: Math.max(...n.xs.map((x) => at(x).radius)), res: at(n.xs[0]).res }),
  flops: () => 0,
};
