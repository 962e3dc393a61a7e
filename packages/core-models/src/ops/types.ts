/** What one graph op is, in one place: forward (over any `Ops`), cost and receptive field. */
import type { GraphNode, GraphSpec } from '../graph';
import type { Ops } from './ops';

export interface ForwardContext<T> {
  ops: Ops<T>;
  spec: GraphSpec;
  /** the value computed for a graph value id */
  v(id: number): T;
  /** a parameter by its full name */
  P(name: string): T;
}

/** Spatial size (pixels) and receptive field (radius, in input pixels, at a resolution relative to the input) of a value. */
export interface Extent {
  hw: number;
  radius: number;
  res: number;
}

export interface OpEntry<N extends GraphNode> {
  forward<T>(n: N, c: ForwardContext<T>): T;
  /** output extent from the inputs' extents; `at` reads an input value's */
  extent(n: N, at: (id: number) => Extent, spec: GraphSpec): Extent;
  /** multiply-add FLOPs (x2) per sample, given the extents */
  flops(n: N, at: (id: number) => Extent): number;
}

export type OpTable = { [K in GraphNode['op']]: OpEntry<Extract<GraphNode, { op: K }>> };

/** An op that keeps its input's extent and costs nothing countable (activations, scale). */
export const passExtent = <N extends { x: number }>(n: N, at: (id: number) => Extent): Extent => at(n.x);
/** A global op: its output depends on the whole input (tiling cannot be exact). */
export const globalExtent = (hw: number, res: number): Extent => ({ hw, radius: Infinity, res });
export const noFlops = (): number => 0;
