import type { GraphNode } from '../graph';
import { noFlops, OpEntry, passExtent } from './types';

export const act: OpEntry<Extract<GraphNode, { op: 'act' }>> = {
  forward: (n, c) => {
    const o = c.ops,
      x = c.v(n.x);
    switch (n.fn) {
      case 'relu':
        return o.relu(x);
      case 'leakyRelu':
        return o.leakyRelu(x, n.alpha ?? 0.2);
      case 'silu':
        return o.silu(x);
      case 'sigmoid':
        return o.sigmoid(x);
      case 'tanh':
        return o.tanh(x);
    }
  },
  extent: passExtent,
  flops: noFlops,
};
