/**
 * Sampling primitives: what bilinear backward warping (engine/prims/warp.ts) is built from:
 * Floor / Clip / integer pixel indices / GatherElements, so the engine differentiates it like
 * any graph (the image gradient is GatherElements' transpose, a ScatterElements with reduction
 * 'add', opset 16+), plus the sizes read at run time for the inference export.
 */
import type { Emitter, Prim, Shape } from '../ir';
import { broadcastShape } from './elementwise';

const plain: Prim['emit'] = (e, n) => e.node(n.prim, n.inputs.map(e.name), [e.name(n.out)]);

/** Emits `out` = the size of NCHW axis `axis` of tensor `x` at run time, as a float scalar. */
function emitAxisSize(e: Emitter, x: string, axis: number, out: string): void {
  e.node('Shape', [x], [`${out}1`], { start: axis, end: axis + 1 });
  e.node('Cast', [`${out}1`], [`${out}f`], { to: 1 });
  e.node('Squeeze', [`${out}f`, e.int64([0])], [out]);
}

export const sample: Record<string, Prim> = {
  // piecewise constant: zero gradient almost everywhere (the jumps are where bilinear sampling is not differentiable)
  Floor: { infer: (s) => ({ shape: s[0] }), emit: plain, vjp: () => [null] },
  /**
   * Clamp x to [min, max] (inputs: x, min, max; the bounds scalar tensors, not differentiated). The
   * gradient passes only strictly inside: a coordinate on or past the border gets none, as PyTorch's
   * grid_sample with padding 'border' has it (clip_coordinates_set_grad: "borders are considered
   * out of bounds"), which RIFE trains with.
   */
  Clip: {
    infer: (s) => ({ shape: s[0] }),
    emit: plain,
    vjp: (g, n, dy) => {
      const [x, min, max] = n.inputs,
        zero = g.scalar(0);
      const belowMax = g.op('Where', [g.op('Less', [x, max]), dy, zero]);
      return [g.op('Where', [g.op('Greater', [x, min]), belowMax, zero]), null, null];
    },
  },
  Less: { infer: (s) => ({ shape: broadcastShape(s[0], s[1]), dtype: 'bool' }), emit: plain },
  /** y · width + x as int64 (inputs: float y, float x, float scalar width; integral values), exact at any size; not differentiable */
  PixelIndex: {
    infer: (s) => ({ shape: broadcastShape(s[0], s[1]), dtype: 'int64' }),
    emit: (e, n) => {
      const out = e.name(n.out),
        [y, x, width] = n.inputs.map(e.name);
      e.node('Cast', [y], [`${out}_y`], { to: 7 });
      e.node('Cast', [x], [`${out}_x`], { to: 7 });
      e.node('Cast', [width], [`${out}_w`], { to: 7 });
      e.node('Mul', [`${out}_y`, `${out}_w`], [`${out}_row`]);
      e.node('Add', [`${out}_row`, `${out}_x`], [out]);
    },
  },
  /** The coordinates 0 .. size - 1 of an NCHW tensor's axis 2 (as [h, 1]) or 3 (as [w]), read from its shape at run time. */
  AxisRamp: {
    infer: (s, a) => ({ shape: a.axis === 3 ? [s[0][3]] : [s[0][2], 1] }),
    emit: (e, n) => {
      const out = e.name(n.out),
        axis = n.attrs.axis as number;
      emitAxisSize(e, e.name(n.inputs[0]), axis, `${out}_size`);
      e.node('Range', [e.float([0], []), `${out}_size`, e.float([1], [])], [`${out}_ramp`]);
      e.node('Reshape', [`${out}_ramp`, e.int64(axis === 3 ? [-1] : [-1, 1])], [out]);
    },
  },
  /** The last index (size - 1) of an NCHW tensor's axis, a float scalar read from its shape at run time. */
  AxisLast: {
    infer: () => ({ shape: [] }),
    emit: (e, n) => {
      const out = e.name(n.out),
        axis = n.attrs.axis as number;
      emitAxisSize(e, e.name(n.inputs[0]), axis, `${out}_size`);
      e.node('Sub', [`${out}_size`, e.float([1], [])], [out]);
    },
  },
  /** x reshaped to the shape `like` has at run time. */
  ReshapeLike: {
    infer: (s) => ({ shape: s[1] }),
    emit: (e, n) => {
      const out = e.name(n.out);
      e.node('Shape', [e.name(n.inputs[1])], [`${out}_shape`]);
      e.node('Reshape', [e.name(n.inputs[0]), `${out}_shape`], [out]);
    },
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
};
