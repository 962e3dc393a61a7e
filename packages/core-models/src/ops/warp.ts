import type { GraphNode } from '../graph';
import { noFlops, OpEntry } from './types';

/**
 * Backward warp (GraphBuilder.warp), bilinear or bicubic (WarpMode). Its output can read the image anywhere the flow points, so
 * its receptive radius is unbounded (Infinity, like a global op): receptiveRadius reports
 * Infinity and tiled inference cannot claim exact context for a graph with a warp. FLOPs: none
 * counted, like the other gather/elementwise ops (the table counts conv and dense multiply-adds).
 */
export const warp: OpEntry<Extract<GraphNode, { op: 'warp' }>> = {
  forward: (n, c) => c.ops.warp(c.v(n.image), c.v(n.flow), n.mode ?? 'bilinear'),
  extent: (n, at) => {
    const x = at(n.image);
    return { hw: x.hw, radius: Infinity, res: x.res };
  },
  flops: noFlops,
};
