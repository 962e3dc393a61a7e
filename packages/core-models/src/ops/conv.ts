import type { GraphNode } from '../graph';
import type { OpEntry } from './types';

type Conv = Extract<GraphNode, { op: 'conv' }>;

export const conv: OpEntry<Conv> = {
  forward: (n, c) => c.ops.conv2d(c.v(n.x), c.P(`${n.param}.w`), n.stride, n.bias ? c.P(`${n.param}.b`) : undefined),
  // a conv adds (k-1)/2 pixels at its own resolution
  extent: (n, at) => {
    const x = at(n.x);
    return { hw: x.hw / (n.stride * n.stride), radius: x.radius + (Math.max(n.k, n.kw ?? n.k) - 1) / 2 / x.res, res: x.res / n.stride };
  },
  flops: (n, at) => (2 * at(n.x).hw * n.k * (n.kw ?? n.k) * n.inCh * n.outCh) / (n.stride * n.stride),
};
