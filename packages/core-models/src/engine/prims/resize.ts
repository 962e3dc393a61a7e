/**
 * Bilinear resizing by an integer factor (up r, or down 1/k for an even k) of an NCHW tensor,
 * as PyTorch's F.interpolate(mode 'bilinear', align_corners False): forward one ONNX Resize
 * (linear, half_pixel; it clamps the source coordinate to the image like PyTorch), for training
 * and for the inference export (sizes read at run time). The gradient is the resize's transpose
 * written in the engine's primitives (static shapes): upsampling's three-tap weights per phase
 * summed back onto the source pixels, the clamped edge folding into the first and last pixel;
 * downsampling's two-of-k pick spread back by a nearest upsample times a 0/0.5 mask per axis.
 */
import type { IrGraph, Prim } from '../ir';
import { resizeFactor, upPhases } from '../../ops/resize-bilinear';

/** The transpose of upsampling by r along axis 2 or 3 of [n, c, h, w] (dy has r x that axis). */
function upTranspose(g: IrGraph, dy: number, axis: 2 | 3, r: number): number {
  const s = g.shape(dy),
    n = s[axis] / r;
  // [.., n, r, ..]: each source pixel's r phases side by side
  const split = axis === 3 ? [s[0], s[1], s[2], n, r] : [s[0], s[1], n, r, s[3]];
  const phases = g.reshape(dy, split);
  const out = s.slice();
  out[axis] = n;
  const w = upPhases(r);
  // S_o: the gradient reaching x[i + o - 1] from the phases of source pixel i
  const tap = (o: number): number | null => {
    const weights = w.map((p) => p[o]);
    if (weights.every((v) => v === 0)) return null;
    const c = g.constant(weights, axis === 3 ? [r] : [r, 1]);
    return g.op('ReduceSum', [g.mul(phases, c)], { axes: [axis + 1], keepdims: 0 });
  };
  const slice = (x: number, start: number, end: number) => g.op('Slice', [x], { starts: [start], ends: [end], axes: [axis] });
  const pad = (x: number, before: number, after: number) => {
    const p = [0, 0, 0, 0, 0, 0, 0, 0];
    p[axis] = before;
    p[4 + axis] = after;
    return g.op('Pad', [x], { pads: p });
  };
  let dx = tap(1) ?? g.constant(new Float32Array(out.reduce((a, b) => a * b, 1)), out);
  const left = tap(0),
    right = tap(2);
  if (n === 1) {
    for (const t of [left, right]) if (t !== null) dx = g.add(dx, t);
    return dx;
  }
  // x[i - 1] clamped: S_0[i] lands on i - 1, S_0[0] on 0 as well
  if (left !== null) dx = g.add(g.add(dx, pad(slice(left, 1, n), 0, 1)), pad(slice(left, 0, 1), 0, n - 1));
  // x[i + 1] clamped: S_2[i] lands on i + 1, S_2[n - 1] on n - 1 as well
  if (right !== null) dx = g.add(g.add(dx, pad(slice(right, 0, n - 1), 1, 0)), pad(slice(right, n - 1, n), n - 1, 0));
  return dx;
}

/** The transpose of downsampling by k along axes 2 and 3 of x [n, c, h, w]: dy [n, c, h/k, w/k]. */
function downTranspose(g: IrGraph, dy: number, inShape: number[], k: number): number {
  const [, , h, w] = inShape,
    [, , oh, ow] = g.shape(dy);
  let dx = g.op('Upsample', [dy], { r: k }); // [n, c, k·oh, k·ow]
  // each output reads pixels k/2 - 1 and k/2 of its block with weight 1/2 per axis
  const mask = (len: number) => Float32Array.from({ length: len }, (_, i) => (i % k === k / 2 - 1 || i % k === k / 2 ? 0.5 : 0));
  if (k === 2) dx = g.mul(dx, g.scalar(0.25));
  else dx = g.mul(g.mul(dx, g.constant(mask(k * oh), [k * oh, 1])), g.constant(mask(k * ow), [k * ow]));
  // the remainder rows and columns the resize dropped get nothing
  if (h > k * oh || w > k * ow) dx = g.op('Pad', [dx], { pads: [0, 0, 0, 0, 0, 0, h - k * oh, w - k * ow] });
  return dx;
}

export const resize: Record<string, Prim> = {
  /** attrs: factor (an integer >= 2, or 1/k for an even k) */
  ResizeBilinear: {
    infer: (s, a) => {
      const f = resizeFactor(a.factor as number),
        [n, c, h, w] = s[0];
      const size = (d: number) => (d < 0 ? -1 : f.up ? d * f.up : Math.floor(d / f.down));
      return { shape: [n, c, size(h), size(w)] };
    },
    emit: (e, n) => {
      const f = n.attrs.factor as number;
      e.node('Resize', [e.name(n.inputs[0]), '', e.float([1, 1, f, f], [4])], [e.name(n.out)], {
        mode: 'linear',
        coordinate_transformation_mode: 'half_pixel',
      });
    },
    vjp: (g, n, dy) => {
      const f = resizeFactor(n.attrs.factor as number),
        x = g.shape(n.inputs[0]);
      return [f.up ? upTranspose(g, upTranspose(g, dy, 3, f.up), 2, f.up) : downTranspose(g, dy, x, f.down)];
    },
  },
};
