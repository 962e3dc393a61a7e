/**
 * The graph IR's ops, one entry each (one file per op): forward over any `Ops` (tfjs or the
 * ONNX engine, so both runtimes run the same code), spatial extent, receptive field and
 * FLOPs. The table's type lists every op of `GraphNode`: a missing entry is a compile error.
 */
import type { GraphNode, GraphSpec } from '../graph';
import type { Extent, ForwardContext, OpEntry, OpTable } from './types';
import type { Ops } from './ops';
import { input } from './input';
import { conv } from './conv';
import { dense } from './dense';
import { act } from './act';
import { add, mul } from './binary';
import { scale } from './scale';
import { concat } from './concat';
import { pixelShuffle, upNearest } from './upsample';
import { avgPool } from './avg-pool';
import { groupNorm } from './group-norm';
import { timeEmbed } from './time-embed';
import { vectorAsImage } from './vector-as-image';
import { warp } from './warp';
import { resizeBilinear } from './resize-bilinear';
import { slice } from './slice';

export const OPS: OpTable = {
  input,
  conv,
  dense,
  act,
  add,
  mul,
  scale,
  concat,
  pixelShuffle,
  avgPool,
  upNearest,
  groupNorm,
  timeEmbed,
  vectorAsImage,
  warp,
  resizeBilinear,
  slice,
};

const entry = (n: GraphNode): OpEntry<GraphNode> => OPS[n.op] as OpEntry<GraphNode>;

/** Runs a description on any Ops implementation; `inputs` by name, `P` resolves parameters. */
export function forwardWith<T>(ops: Ops<T>, spec: GraphSpec, P: (name: string) => T, inputs: Record<string, T>): Record<string, T> {
  const values: (T | undefined)[] = new Array(spec.values.length);
  for (const i of spec.inputs) values[i.value] = inputs[i.name];
  const c: ForwardContext<T> = { ops, spec, P, v: (id) => values[id] as T };
  for (const n of spec.nodes) if (n.op !== 'input') values[n.out] = entry(n).forward(n, c);
  const out: Record<string, T> = {};
  for (const o of spec.outputs) out[o.name] = values[o.value] as T;
  return out;
}

/** Extents of every value for an input of `inputHW` pixels; image inputs start at radius 0, resolution 1. */
function extents(spec: GraphSpec, inputHW: number): Extent[] {
  const ext: Extent[] = new Array(spec.values.length);
  for (const n of spec.nodes) {
    ext[n.out] = n.op === 'input' ? { hw: spec.values[n.out].kind === 'image' ? inputHW : 0, radius: 0, res: 1 } : entry(n).extent(n, (id) => ext[id], spec);
  }
  return ext;
}

/** Multiply-add FLOPs (x2) of one forward pass for an input size (per-pixel costs are data-independent). */
export function countFlops(spec: GraphSpec, inputHW: [number, number], batch = 1): number {
  const ext = extents(spec, inputHW[0] * inputHW[1]);
  return batch * spec.nodes.reduce((s, n) => s + (n.op === 'input' ? 0 : entry(n).flops(n, (id) => ext[id])), 0);
}

/**
 * How many input pixels on each side an output pixel depends on, in input pixels, rounded
 * up (Infinity when a global op such as group norm is on the path): what a tile needs as
 * context for tiled inference to equal the untiled run.
 */
export function receptiveRadius(spec: GraphSpec): number {
  const ext = extents(spec, 1);
  return Math.ceil(Math.max(...spec.outputs.map((o) => ext[o.value].radius)) - 1e-9);
}
