/**
 * Bilinear resizing on tfjs as PyTorch's F.interpolate(mode 'bilinear', align_corners False)
 * with an integer scale factor, written as slices, weighted sums and reshapes so tfjs's own
 * autodiff gives the gradient (every kernel it needs exists on the wasm backend). The same
 * formula as the engine's ONNX Resize (engine/prims/resize.ts); separable, one axis at a time.
 */
import { tf } from '../tf';
import { resizeFactor, upPhases } from './resize-bilinear';

/** Up by r along `axis` of an NHWC tensor: each output pixel r·i + q blends two of x[i - 1], x[i], x[i + 1], clamped at the ends. */
function upAxis(x: tf.Tensor, axis: number, r: number): tf.Tensor {
  const n = x.shape[axis];
  const at = (begin: number, size: number) => {
    const b = x.shape.map(() => 0),
      s = x.shape.map(() => -1);
    b[axis] = begin;
    s[axis] = size;
    return tf.slice(x, b, s);
  };
  // replicate one pixel on each side: PyTorch's clamped source index reads the edge pixel there
  const padded = tf.concat([at(0, 1), x, at(n - 1, 1)], axis);
  const window = (start: number) => {
    const b = padded.shape.map(() => 0),
      s = padded.shape.map(() => -1);
    b[axis] = start;
    s[axis] = n;
    return tf.slice(padded, b, s);
  };
  const phases = upPhases(r).map((w) => {
    // w[o]: weight of x[i + o - 1], o = 0, 1, 2
    let y: tf.Tensor | null = null;
    w.forEach((wo, o) => {
      if (wo) y = y ? y.add(window(o).mul(wo)) : window(o).mul(wo);
    });
    return y as unknown as tf.Tensor;
  });
  const shape = x.shape.slice();
  shape[axis] = n * r;
  return tf.stack(phases, axis + 1).reshape(shape);
}

/** Down by an even k along `axis`: output d is the mean of x[k·d + k/2 - 1] and x[k·d + k/2] (the source k·d + (k - 1)/2); a remainder of fewer than k pixels is dropped. */
function downAxis(x: tf.Tensor, axis: number, k: number): tf.Tensor {
  const m = Math.floor(x.shape[axis] / k);
  const b = x.shape.map(() => 0),
    s = x.shape.map(() => -1);
  s[axis] = m * k;
  const blocks = tf.slice(x, b, s).reshape([...x.shape.slice(0, axis), m, k, ...x.shape.slice(axis + 1)]);
  const pick = (j: number) => {
    const bb = blocks.shape.map(() => 0),
      ss = blocks.shape.map(() => -1);
    bb[axis + 1] = j;
    ss[axis + 1] = 1;
    return tf.slice(blocks, bb, ss);
  };
  const shape = x.shape.slice();
  shape[axis] = m;
  return pick(k / 2 - 1)
    .add(pick(k / 2))
    .mul(0.5)
    .reshape(shape);
}

/** x [n, h, w, c] resized by `factor` (an integer >= 2 up, or 1/k for an even k down). */
export function resizeBilinearTfjs(x: tf.Tensor, factor: number): tf.Tensor {
  const f = resizeFactor(factor);
  return f.up ? upAxis(upAxis(x, 1, f.up), 2, f.up) : downAxis(downAxis(x, 1, f.down), 2, f.down);
}
