/**
 * Backward warping on tfjs with its gradient written out (tf.customGrad): the same formula as
 * the engine's composition (engine/prims/warp.ts) and RIFE's grid_sample (bilinear, padding
 * 'border', align_corners true). tfjs's own gradient of gather needs UnsortedSegmentSum, which
 * the wasm backend lacks, so the image gradient is one scatterND (repeated indices sum).
 */
import { tf } from '../tf';

interface Corners {
  /** row indices into the [n·h·w, c] image table: top-left, top-right, bottom-left, bottom-right, each [n, h, w] */
  rows: tf.Tensor[];
  /** fractions [n, h, w, 1] */
  fx: tf.Tensor;
  fy: tf.Tensor;
  /** 1 where the unclamped coordinate is strictly inside the image (the flow gets a gradient), else 0; [n, h, w] */
  insideX: tf.Tensor;
  insideY: tf.Tensor;
}

function corners(flow: tf.Tensor, n: number, h: number, w: number): Corners {
  const axis = (ch: number, size: number, ramp: tf.Tensor) => {
    const raw = flow.slice([0, 0, 0, ch], [-1, -1, -1, 1]).reshape([n, h, w]).add(ramp);
    const s = raw.clipByValue(0, size - 1),
      lo = s.floor();
    return {
      lo,
      hi: lo.add(1).minimum(size - 1),
      frac: s.sub(lo).reshape([n, h, w, 1]),
      inside: tf.logicalAnd(raw.greater(0), raw.less(size - 1)).cast('float32'),
    };
  };
  const x = axis(0, w, tf.range(0, w)),
    y = axis(1, h, tf.range(0, h).reshape([h, 1]));
  // integer arithmetic: a float row index would be inexact from 2^24 pixels per batch on
  const first = tf
    .range(0, n, 1, 'int32')
    .mul(tf.scalar(h * w, 'int32'))
    .reshape([n, 1, 1]);
  const row = (yy: tf.Tensor, xx: tf.Tensor) => yy.cast('int32').mul(tf.scalar(w, 'int32')).add(xx.cast('int32')).add(first);
  return { rows: [row(y.lo, x.lo), row(y.lo, x.hi), row(y.hi, x.lo), row(y.hi, x.hi)], fx: x.frac, fy: y.frac, insideX: x.inside, insideY: y.inside };
}

/** out(x, y) = image(x + flow_x, y + flow_y): image [n, h, w, c], flow [n, h, w, 2] in pixels. */
export function warpTfjs(image: tf.Tensor, flow: tf.Tensor): tf.Tensor {
  const [n, h, w, c] = image.shape;
  if (flow.shape[3] !== 2) throw new Error(`warp: the flow needs 2 channels (x, y), got ${flow.shape[3]}`);
  if (flow.shape[0] !== n || flow.shape[1] !== h || flow.shape[2] !== w)
    throw new Error(`warp: image [${image.shape}] and flow [${flow.shape}] differ in batch or size`);
  const gather = (table: tf.Tensor, k: Corners) => k.rows.map((r) => tf.gather(table, r));
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [img, fl, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([img, fl]);
    const k = corners(fl, n, h, w),
      [a, b, cc, d] = gather(img.reshape([n * h * w, c]), k);
    const top = a.add(k.fx.mul(b.sub(a))),
      bottom = cc.add(k.fx.mul(d.sub(cc)));
    return {
      value: top.add(k.fy.mul(bottom.sub(top))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [im, f] = saved,
          k2 = corners(f, n, h, w),
          [a2, b2, c2, d2] = gather(im.reshape([n * h * w, c]), k2);
        const gx = k2.fx,
          gy = k2.fy,
          ox = tf.sub(1, gx),
          oy = tf.sub(1, gy);
        // image: each corner's bilinear weight times dy, summed into its row
        const updates = tf.concat(
          [ox.mul(oy), gx.mul(oy), ox.mul(gy), gx.mul(gy)].map((wgt) => dy.mul(wgt).reshape([n * h * w, c])),
          0,
        );
        const indices = tf.concat(
          k2.rows.map((r) => r.reshape([n * h * w, 1])),
          0,
        );
        const dImage = tf.scatterND(indices, updates, [n * h * w, c]).reshape([n, h, w, c]);
        // flow: d out / d fraction, summed over channels, zero where the coordinate was clamped
        const top2 = a2.add(gx.mul(b2.sub(a2))),
          bottom2 = c2.add(gx.mul(d2.sub(c2)));
        const dx = oy
          .mul(b2.sub(a2))
          .add(gy.mul(d2.sub(c2)))
          .mul(dy)
          .sum(3)
          .mul(k2.insideX);
        const dyy = bottom2.sub(top2).mul(dy).sum(3).mul(k2.insideY);
        return [dImage, tf.stack([dx, dyy], 3)];
      },
    };
  });
  return run(image, flow);
}
