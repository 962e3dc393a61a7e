/**
 * Sampling primitives: what bilinear backward warping (engine/prims/warp.ts) is built from.
 * Training composes the warp from Floor / Clip / Cast / GatherElements so the engine
 * differentiates it like any graph (the image gradient is GatherElements' transpose, a
 * ScatterElements with reduction 'add', opset 16+); the inference export, whose image sizes
 * are known only at run time, uses one GridSample node (bilinear, border, align_corners 1).
 */
import type { Prim, Shape } from '../ir';
import { broadcastShape } from './elementwise';

const plain: Prim['emit'] = (e, n) => e.node(n.prim, n.inputs.map(e.name), [e.name(n.out)]);

export const sample: Record<string, Prim> = {
  // piecewise constant: zero gradient almost everywhere (the jumps are where bilinear sampling is not differentiable)
  Floor: { infer: (s) => ({ shape: s[0] }), emit: plain, vjp: () => [null] },
  /**
   * Clamp to [min, max] (constants). The gradient passes only strictly inside: a coordinate on or
   * past the border gets none, as PyTorch's grid_sample with padding 'border' has it
   * (clip_coordinates_set_grad: "borders are considered out of bounds"), which RIFE trains with.
   */
  Clip: {
    infer: (s) => ({ shape: s[0] }),
    emit: (e, n) => e.node('Clip', [e.name(n.inputs[0]), e.float([n.attrs.min as number], []), e.float([n.attrs.max as number], [])], [e.name(n.out)]),
    vjp: (g, n, dy) => {
      const x = n.inputs[0],
        zero = g.scalar(0);
      const belowMax = g.op('Where', [g.op('Less', [x, g.scalar(n.attrs.max as number)]), dy, zero]);
      return [g.op('Where', [g.op('Greater', [x, g.scalar(n.attrs.min as number)]), belowMax, zero])];
    },
  },
  Less: { infer: (s) => ({ shape: broadcastShape(s[0], s[1]), dtype: 'bool' }), emit: plain },
  /** float -> int64 (indices); not differentiable */
  CastInt64: {
    infer: (s) => ({ shape: s[0], dtype: 'int64' }),
    emit: (e, n) => e.node('Cast', [e.name(n.inputs[0])], [e.name(n.out)], { to: 7 }),
  },
  /** ONNX GatherElements along `axis` (int64 indices of the data's rank); the gradient scatters back. */
  GatherElements: {
    infer: (s) => ({ shape: s[1] }),
    emit: (e, n) => e.node('GatherElements', n.inputs.map(e.name), [e.name(n.out)], { axis: n.attrs.axis as number }),
    vjp: (g, n, dy, need) => [need[0] ? g.op('ScatterElementsAdd', [n.inputs[1], dy], { axis: n.attrs.axis, shape: g.shape(n.inputs[0]) }) : null, null],
  },
  /** GatherElements' transpose: zeros of `shape` with `updates` added at `indices` along `axis` (repeats sum): ScatterElements, reduction 'add'. */
  ScatterElementsAdd: {
    infer: (_s, a) => ({ shape: a.shape as Shape }),
    emit: (e, n) => {
      const out = e.name(n.out);
      e.node('Expand', [e.float([0], []), e.int64(n.attrs.shape as number[])], [`${out}_zeros`]);
      e.node('ScatterElements', [`${out}_zeros`, ...n.inputs.map(e.name)], [out], { axis: n.attrs.axis as number, reduction: 'add' });
    },
    vjp: (g, n, dy, need) => [null, need[1] ? g.op('GatherElements', [dy, n.inputs[0]], { axis: n.attrs.axis }) : null],
  },
  /**
   * Backward warp of an NCHW image by an NCHW flow in pixels (channel 0 x, 1 y) as one GridSample
   * node: the grid is (pixel + flow) normalised for align_corners 1 from the sizes at run time.
   * Inference only (no gradient rule): training uses the GatherElements composition.
   */
  WarpGridSample: {
    infer: (s) => ({ shape: [s[1][0], s[0][1], s[1][2], s[1][3]] }),
    emit: (e, n) => {
      const img = e.name(n.inputs[0]),
        flow = e.name(n.inputs[1]),
        o = e.name(n.out);
      // one axis: (ramp + flow channel) * 2 / max(size - 1, 1) - 1, the ramp 0..size-1 along that axis
      const axis = (ch: number, dim: number, rampShape: number[]): string => {
        const p = `${o}_${ch}`;
        e.node('Shape', [flow], [`${p}_size1`], { start: dim, end: dim + 1 });
        e.node('Squeeze', [`${p}_size1`, e.int64([0])], [`${p}_size_i`]);
        e.node('Cast', [`${p}_size_i`], [`${p}_size`], { to: 1 });
        e.node('Range', [e.float([0], []), `${p}_size`, e.float([1], [])], [`${p}_ramp1`]);
        e.node('Reshape', [`${p}_ramp1`, e.int64(rampShape)], [`${p}_ramp`]);
        e.node('Slice', [flow, e.int64([ch]), e.int64([ch + 1]), e.int64([1])], [`${p}_flow`]);
        e.node('Add', [`${p}_flow`, `${p}_ramp`], [`${p}_pos`]);
        e.node('Sub', [`${p}_size`, e.float([1], [])], [`${p}_last`]);
        e.node('Max', [`${p}_last`, e.float([1], [])], [`${p}_span`]);
        e.node('Div', [e.float([2], []), `${p}_span`], [`${p}_scale`]);
        e.node('Mul', [`${p}_pos`, `${p}_scale`], [`${p}_scaled`]);
        e.node('Sub', [`${p}_scaled`, e.float([1], [])], [`${p}_norm`]);
        return `${p}_norm`;
      };
      const gx = axis(0, 3, [-1]),
        gy = axis(1, 2, [-1, 1]);
      e.node('Concat', [gx, gy], [`${o}_grid_nchw`], { axis: 1 });
      e.node('Transpose', [`${o}_grid_nchw`], [`${o}_grid`], { perm: [0, 2, 3, 1] });
      e.node('GridSample', [img, `${o}_grid`], [o], { mode: 'bilinear', padding_mode: 'border', align_corners: 1 });
    },
  },
};
