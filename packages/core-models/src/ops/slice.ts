import type { GraphNode } from '../graph';
import { noFlops, OpEntry, passExtent } from './types';

/** Channels [from, to) of an image or vector (GraphBuilder.slice): one Slice on the channel axis, whose gradient pads the rest with zeros. */
export const slice: OpEntry<Extract<GraphNode, { op: 'slice' }>> = {
  forward: (n, c) => {
    const x = c.v(n.x),
      r = c.ops.shape(x).length;
    const begin = new Array<number>(r).fill(0),
      size = new Array<number>(r).fill(-1);
    begin[r - 1] = n.from;
    size[r - 1] = n.to - n.from;
    return c.ops.slice(x, begin, size);
  },
  extent: passExtent,
  flops: noFlops,
};
