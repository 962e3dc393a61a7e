/**
 * Forward noising, the three parameterisations, and the MSE objective.
 * eps: predict the noise; x0: predict the clean image; v: predict sqrt(ab)·eps − sqrt(1−ab)·x0
 * (Salimans & Ho 2022).
 */
import * as tf from '../tf';
import { alphaBarAt, Schedule } from './schedule';

export type Parameterisation = 'eps' | 'x0' | 'v';

/** Per-sample scalar coefficients as a [N,1,1,1] tensor, for broadcasting over images. */
export function perSample(values: number[]): tf.Tensor4D { return tf.tensor4d(values, [values.length, 1, 1, 1]); }

/** q(x_t | x_0): sqrt(ab)·x0 + sqrt(1−ab)·eps, with t a timestep index per sample. */
export function qSample(s: Schedule, x0: tf.Tensor4D, t: number[], eps: tf.Tensor4D): tf.Tensor4D {
  const ab = t.map((i) => alphaBarAt(s, i));
  return x0.mul(perSample(ab.map(Math.sqrt))).add(eps.mul(perSample(ab.map((a) => Math.sqrt(1 - a)))));
}

export function target(param: Parameterisation, s: Schedule, x0: tf.Tensor4D, t: number[], eps: tf.Tensor4D): tf.Tensor4D {
  if (param === 'eps') return eps;
  if (param === 'x0') return x0;
  const ab = t.map((i) => alphaBarAt(s, i));
  return eps.mul(perSample(ab.map(Math.sqrt))).sub(x0.mul(perSample(ab.map((a) => Math.sqrt(1 - a)))));
}

/** Converts a network prediction into both x0 and eps estimates. */
export function predictionToX0Eps(param: Parameterisation, s: Schedule, pred: tf.Tensor4D, xt: tf.Tensor4D, t: number[]): { x0: tf.Tensor4D; eps: tf.Tensor4D } {
  const ab = t.map((i) => alphaBarAt(s, i));
  const sa = perSample(ab.map(Math.sqrt)), sb = perSample(ab.map((a) => Math.sqrt(1 - a)));
  if (param === 'eps') return { eps: pred, x0: xt.sub(sb.mul(pred)).div(sa) };
  if (param === 'x0') return { x0: pred, eps: xt.sub(sa.mul(pred)).div(sb) };
  // v: x0 = sa·xt − sb·v, eps = sb·xt + sa·v
  return { x0: sa.mul(xt).sub(sb.mul(pred)), eps: sb.mul(xt).add(sa.mul(pred)) };
}

/** The simple DDPM objective: mean squared error against the parameterisation's target. */
export function diffusionLoss(param: Parameterisation, s: Schedule, net: (xt: tf.Tensor4D, t: number[]) => tf.Tensor4D,
  x0: tf.Tensor4D, t: number[], eps: tf.Tensor4D): tf.Scalar {
  const xt = qSample(s, x0, t, eps);
  return tf.losses.meanSquaredError(target(param, s, x0, t, eps), net(xt, t)) as tf.Scalar;
}
