/** `Ops` on tfjs: eager tensors, tfjs autodiff. The reference implementation and the fallback runtime. */
import { tf } from '../tf';
import type { Ops } from './ops';
import { warpTfjs } from './warp-tfjs';
import { resizeBilinearTfjs } from './resize-bilinear-tfjs';

type T = tf.Tensor;
const t = (x: T | number): T => (typeof x === 'number' ? tf.scalar(x) : x);

export const tfOps: Ops<T> = {
  shape: (x) => x.shape,
  constant: (data, shape) => tf.tensor(data instanceof Float32Array ? data : Float32Array.from(data), shape),
  add: (a, b) => tf.add(t(a), t(b)),
  sub: (a, b) => tf.sub(t(a), t(b)),
  mul: (a, b) => tf.mul(t(a), t(b)),
  div: (a, b) => tf.div(t(a), t(b)),
  neg: (x) => tf.neg(x),
  abs: (x) => tf.abs(x),
  square: (x) => tf.square(x),
  sqrt: (x) => tf.sqrt(x),
  exp: (x) => tf.exp(x),
  log: (x) => tf.log(x),
  sigmoid: (x) => tf.sigmoid(x),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  tanh: (x) => tf.tanh(x),
  relu: (x) => tf.relu(x),
  leakyRelu: (x, alpha) => tf.leakyRelu(x, alpha),
  softplus: (x) => tf.softplus(x),
  sin: (x) => tf.sin(x),
  cos: (x) => tf.cos(x),
  minimum: (x, c) => tf.minimum(x, c),
  maximum: (x, c) => tf.maximum(x, c),
  sum: (x, axes, keepDims = false) => tf.sum(x, axes, keepDims),
  mean: (x, axes, keepDims = false) => tf.mean(x, axes, keepDims),
  logSumExp: (x, axes, keepDims = false) => tf.logSumExp(x, axes, keepDims),
  reshape: (x, shape) => tf.reshape(x, shape),
  transpose: (x, perm) => tf.transpose(x, perm),
  slice: (x, begin, size) => tf.slice(x, begin, size),
  concat: (xs, axis) => tf.concat(xs, axis),
  matMul: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
  conv2d: (x, w, stride, bias) => {
    const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, 'same');
    return bias ? y.add(bias) : y;
  },
  // reshape/transpose rather than tf.depthToSpace, which has no gradient in tfjs 4.22
  depthToSpace: (x, r) => {
    const [n, h, w, c] = x.shape,
      oc = c / (r * r);
    return x
      .reshape([n, h, w, r, r, oc])
      .transpose([0, 1, 3, 2, 4, 5])
      .reshape([n, h * r, w * r, oc]);
  },
  avgPool: (x, k) => tf.avgPool(x as tf.Tensor4D, k, k, 'valid'),
  // channel tile + pixel shuffle: tfjs-backend-cpu's ResizeNearestNeighborGrad is wrong for batch > 1
  upNearest: (x, r) => tfOps.depthToSpace(x.tile([1, 1, 1, r * r]), r),
  groupNormalize: (x, groups, eps) => {
    const [b, h, w, c] = x.shape;
    const g = x.reshape([b, h, w, groups, c / groups]);
    const { mean, variance } = tf.moments(g, [1, 2, 4], true);
    return g.sub(mean).div(variance.add(eps).sqrt()).reshape([b, h, w, c]);
  },
  groupNorm: (x, groups, eps, gamma, beta) => tf.add(tf.mul(tfOps.groupNormalize(x, groups, eps), gamma), beta),
  warp: warpTfjs,
  resizeBilinear: resizeBilinearTfjs,
};
