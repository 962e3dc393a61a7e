/**
 * Runtime-neutral tensor operations with tfjs's meaning: images NHWC, conv filters HWIO,
 * axes counted as tfjs counts them. Model forward passes (ops/ table) and training losses
 * are written once against this interface: `tfOps` runs them eagerly on tfjs (tfjs takes
 * the gradients), the engine's `OnnxOps` records them into an ONNX graph whose gradients
 * the engine writes (engine/prims). Nothing here imports a runtime.
 */
import type { WarpMode } from '../graph';

export interface Ops<T> {
  shape(x: T): number[];
  /**
   * Host values as a tensor: data of the step (batch entries, per-sample coefficients, noise), or
   * with `fixed` values that are the same at every step, part of the net (the onnxruntime engine
   * bakes them into the graph, once per distinct value, instead of feeding them)
   */
  constant(data: Float32Array | number[], shape: number[], fixed?: boolean): T;

  add(a: T | number, b: T | number): T;
  sub(a: T | number, b: T | number): T;
  mul(a: T | number, b: T | number): T;
  div(a: T | number, b: T | number): T;
  neg(x: T): T;
  abs(x: T): T;
  square(x: T): T;
  sqrt(x: T): T;
  exp(x: T): T;
  log(x: T): T;
  sigmoid(x: T): T;
  /** x · sigmoid(x) */
  silu(x: T): T;
  tanh(x: T): T;
  relu(x: T): T;
  leakyRelu(x: T, alpha: number): T;
  softplus(x: T): T;
  sin(x: T): T;
  cos(x: T): T;
  /** min(x, c) / max(x, c) with a constant */
  minimum(x: T, c: number): T;
  maximum(x: T, c: number): T;

  /** over `axes` (all when absent) */
  sum(x: T, axes?: number[], keepDims?: boolean): T;
  mean(x: T, axes?: number[], keepDims?: boolean): T;
  /** log Σ exp(x) over `axes`, computed stably (shifted by the max) */
  logSumExp(x: T, axes: number[], keepDims?: boolean): T;

  reshape(x: T, shape: number[]): T;
  transpose(x: T, perm: number[]): T;
  slice(x: T, begin: number[], size: number[]): T;
  concat(xs: T[], axis: number): T;

  /** [M, K] x [K, N] */
  matMul(a: T, b: T): T;
  /** NHWC x, HWIO filter, 'same' padding, optional bias [C_out] */
  conv2d(x: T, filter: T, stride: number, bias?: T): T;
  /** [n, h, w, r*r*c] -> [n, h*r, w*r, c] (DCR, the pixel shuffle) */
  depthToSpace(x: T, r: number): T;
  /** k x k windows, stride k */
  avgPool(x: T, k: number): T;
  /** nearest-neighbour upsampling by r */
  upNearest(x: T, r: number): T;
  /** group normalisation of an NHWC image without the affine part: each sample's groups to mean 0, variance 1 */
  groupNormalize(x: T, groups: number, eps: number): T;
  /** groupNormalize(x) · gamma + beta with per-channel [c] gamma and beta (the graph's groupNorm op) */
  groupNorm(x: T, groups: number, eps: number, gamma: T, beta: T): T;
  /** backward warp of an NHWC image by an [n, h, w, 2] flow in pixels: bilinear or bicubic, clamped to the border (ops/warp.ts) */
  warp(image: T, flow: T, mode?: WarpMode): T;
  /** bilinear resize of an NHWC image by an integer factor up or 1/k (k even) down, PyTorch's interpolate(align_corners False) (ops/resize-bilinear.ts) */
  resizeBilinear(x: T, factor: number): T;
}

// -- losses every task uses, written once -------------------------------------------------

/** mean |a - b| (tf.losses.absoluteDifference) */
export const l1Loss = <T>(o: Ops<T>, a: T, b: T): T => o.mean(o.abs(o.sub(a, b)));
/** mean (a - b)^2 (tf.losses.meanSquaredError) */
export const mseLoss = <T>(o: Ops<T>, a: T, b: T): T => o.mean(o.square(o.sub(a, b)));
/** per-sample coefficients as an [n, 1, 1, 1] tensor, for scaling a batch of images */
export const perSample = <T>(o: Ops<T>, values: number[]): T => o.constant(values, [values.length, 1, 1, 1]);
