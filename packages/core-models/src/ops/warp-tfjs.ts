/**
 * Backward warping on tfjs with its gradient written out (tf.customGrad): the same formula as
 * the engine's composition (engine/prims/warp.ts) and RIFE's grid_sample (bilinear, padding
 * 'border', align_corners true), or Keys' bicubic (ops/cubic-weights.ts) on the same clamped
 * coordinate with its 4x4 taps clamped to the border. tfjs's own gradient of gather needs
 * UnsortedSegmentSum, which the wasm backend lacks, so the image gradient is one scatterND
 * (repeated indices sum).
 */
import type { WarpMode } from '../graph';
import { tf } from '../tf';
import { CubicArith, cubicWeightSlopes, cubicWeights } from './cubic-weights';

/** One axis's sampling taps for every output pixel. */
interface AxisTaps {
  /** pixel index of each tap along the axis, clamped to the image, [n, h, w] (float, integral) */
  at: tf.Tensor[];
  /** each tap's weight and its derivative in the source coordinate, [n, h, w, 1] */
  weight: tf.Tensor[];
  slope: tf.Tensor[];
  /** 1 where the unclamped coordinate is strictly inside the image (the flow gets a gradient), else 0; [n, h, w] */
  inside: tf.Tensor;
}

const tfArith: CubicArith<tf.Tensor> = { affine: (x, a, b) => x.mul(a).add(b), mul: (x, y) => x.mul(y) };

function axisTaps(flow: tf.Tensor, ch: number, size: number, ramp: tf.Tensor, mode: WarpMode): AxisTaps {
  const [n, h, w] = flow.shape;
  const raw = flow.slice([0, 0, 0, ch], [-1, -1, -1, 1]).reshape([n, h, w]).add(ramp);
  const s = raw.clipByValue(0, size - 1),
    lo = s.floor(),
    frac = s.sub(lo).reshape([n, h, w, 1]);
  const inside = tf.logicalAnd(raw.greater(0), raw.less(size - 1)).cast('float32');
  const offsets = mode === 'bicubic' ? [-1, 0, 1, 2] : [0, 1];
  const at = offsets.map((k) => (k === 0 ? lo : lo.add(k).clipByValue(0, size - 1)));
  if (mode === 'bicubic') return { at, weight: cubicWeights(tfArith, frac), slope: cubicWeightSlopes(tfArith, frac), inside };
  return { at, weight: [tf.sub(1, frac), frac], slope: [tf.scalar(-1), tf.scalar(1)], inside };
}

/** out(x, y) = image(x + flow_x, y + flow_y): image [n, h, w, c], flow [n, h, w, 2] in pixels. */
export function warpTfjs(image: tf.Tensor, flow: tf.Tensor, mode: WarpMode = 'bilinear'): tf.Tensor {
  const [n, h, w, c] = image.shape;
  if (flow.shape[3] !== 2) throw new Error(`warp: the flow needs 2 channels (x, y), got ${flow.shape[3]}`);
  if (flow.shape[0] !== n || flow.shape[1] !== h || flow.shape[2] !== w)
    throw new Error(`warp: image [${image.shape}] and flow [${flow.shape}] differ in batch or size`);
  /** the taps of both axes and the 2-d tap values v[j][i] (row tap j, column tap i), each [n, h, w, c] */
  const sample = (img: tf.Tensor, fl: tf.Tensor) => {
    // integer arithmetic: a float row index would be inexact from 2^24 pixels per batch on
    const first = tf
      .range(0, n, 1, 'int32')
      .mul(tf.scalar(h * w, 'int32'))
      .reshape([n, 1, 1]);
    const row = (yy: tf.Tensor, xx: tf.Tensor) => yy.cast('int32').mul(tf.scalar(w, 'int32')).add(xx.cast('int32')).add(first);
    const x = axisTaps(fl, 0, w, tf.range(0, w), mode),
      y = axisTaps(fl, 1, h, tf.range(0, h).reshape([h, 1]), mode);
    const table = img.reshape([n * h * w, c]);
    const rows = y.at.map((yy) => x.at.map((xx) => row(yy, xx)));
    return { x, y, rows, v: rows.map((r) => r.map((ri) => tf.gather(table, ri))) };
  };
  /** Σ_j wy_j · Σ_i wx_i · v_ij */
  const blend = (v: tf.Tensor[][], wx: tf.Tensor[], wy: tf.Tensor[]) => tf.addN(v.map((r, j) => tf.addN(r.map((vi, i) => vi.mul(wx[i]))).mul(wy[j])));
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [img, fl, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([img, fl]);
    const k = sample(img, fl);
    return {
      value: blend(k.v, k.x.weight, k.y.weight),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [im, f] = saved,
          { x, y, rows, v } = sample(im, f);
        // image: each tap's weight times dy, summed into its row
        const updates = tf.concat(
          y.weight.flatMap((wy) => x.weight.map((wx) => dy.mul(wx.mul(wy)).reshape([n * h * w, c]))),
          0,
        );
        const indices = tf.concat(
          rows.flat().map((r) => r.reshape([n * h * w, 1])),
          0,
        );
        const dImage = tf.scatterND(indices, updates, [n * h * w, c]).reshape([n, h, w, c]);
        // flow: d out / d coordinate (the weights' slopes), summed over channels, zero where the coordinate was clamped
        const dx = blend(v, x.slope, y.weight).mul(dy).sum(3).mul(x.inside);
        const dyy = blend(v, x.weight, y.slope).mul(dy).sum(3).mul(y.inside);
        return [dImage, tf.stack([dx, dyy], 3)];
      },
    };
  });
  return run(image, flow);
}
