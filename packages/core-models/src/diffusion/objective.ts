/**
 * Forward noising, the three parameterisations, and the MSE objective, on any `Ops`
 * (tfjs by default). eps: predict the noise; x0: predict the clean image; v: predict
 * sqrt(ab)·eps − sqrt(1−ab)·x0 (Salimans & Ho 2022).
 */
import { tf } from '../tf';
import { alphaBarAt, Schedule } from './schedule';
import type { Ops } from '../ops/ops';
import { tfOps } from '../ops/tfjs-ops';
import type { Parameterisation } from './parameterisation';

export type { Parameterisation };

const TF = tfOps as unknown as Ops<never>;
const coef = <T>(o: Ops<T>, values: number[]): T => o.constant(values, [values.length, 1, 1, 1]);
/** sqrt(ab) and sqrt(1−ab) at each sample's timestep, as [N,1,1,1]: the weights of x0 and eps in x_t. */
function signalNoiseCoefs<T>(o: Ops<T>, s: Schedule, t: number[]): { sa: T; sb: T } {
  const ab = t.map((i) => alphaBarAt(s, i));
  const noise = ab.map((a) => Math.sqrt(1 - a));
  return { sa: coef(o, ab.map(Math.sqrt)), sb: coef(o, noise) };
}

/** Per-sample scalar coefficients as a [N,1,1,1] tensor, for broadcasting over images. */
export function perSample(values: number[]): tf.Tensor4D {
  return tf.tensor4d(values, [values.length, 1, 1, 1]);
}

/** q(x_t | x_0): sqrt(ab)·x0 + sqrt(1−ab)·eps, with t a timestep index per sample. */
export function qSample(s: Schedule, x0: tf.Tensor4D, t: number[], eps: tf.Tensor4D): tf.Tensor4D;
export function qSample<T>(s: Schedule, x0: T, t: number[], eps: T, o: Ops<T>): T;
export function qSample<T>(s: Schedule, x0: T, t: number[], eps: T, o: Ops<T> = TF): T {
  const { sa, sb } = signalNoiseCoefs(o, s, t);
  return o.add(o.mul(x0, sa), o.mul(eps, sb));
}

export function target(param: Parameterisation, s: Schedule, x0: tf.Tensor4D, t: number[], eps: tf.Tensor4D): tf.Tensor4D;
export function target<T>(param: Parameterisation, s: Schedule, x0: T, t: number[], eps: T, o: Ops<T>): T;
export function target<T>(param: Parameterisation, s: Schedule, x0: T, t: number[], eps: T, o: Ops<T> = TF): T {
  if (param === 'eps') return eps;
  if (param === 'x0') return x0;
  const { sa, sb } = signalNoiseCoefs(o, s, t);
  return o.sub(o.mul(eps, sa), o.mul(x0, sb));
}

/** Converts a network prediction into both x0 and eps estimates. */
export function predictionToX0Eps(param: Parameterisation, s: Schedule, pred: tf.Tensor4D, xt: tf.Tensor4D, t: number[]): { x0: tf.Tensor4D; eps: tf.Tensor4D };
export function predictionToX0Eps<T>(param: Parameterisation, s: Schedule, pred: T, xt: T, t: number[], o: Ops<T>): { x0: T; eps: T };
export function predictionToX0Eps<T>(param: Parameterisation, s: Schedule, pred: T, xt: T, t: number[], o: Ops<T> = TF): { x0: T; eps: T } {
  const { sa, sb } = signalNoiseCoefs(o, s, t);
  if (param === 'eps') return { eps: pred, x0: o.div(o.sub(xt, o.mul(sb, pred)), sa) };
  if (param === 'x0') return { x0: pred, eps: o.div(o.sub(xt, o.mul(sa, pred)), sb) };
  // v: x0 = sa·xt − sb·v, eps = sb·xt + sa·v
  return { x0: o.sub(o.mul(sa, xt), o.mul(sb, pred)), eps: o.add(o.mul(sb, xt), o.mul(sa, pred)) };
}

/** The simple DDPM objective: mean squared error against the parameterisation's target. */
export function diffusionLoss(
  param: Parameterisation,
  s: Schedule,
  net: (xt: tf.Tensor4D, t: number[]) => tf.Tensor4D,
  x0: tf.Tensor4D,
  t: number[],
  eps: tf.Tensor4D,
): tf.Scalar;
export function diffusionLoss<T>(param: Parameterisation, s: Schedule, net: (xt: T, t: number[]) => T, x0: T, t: number[], eps: T, o: Ops<T>): T;
export function diffusionLoss<T>(param: Parameterisation, s: Schedule, net: (xt: T, t: number[]) => T, x0: T, t: number[], eps: T, o: Ops<T> = TF): T {
  const xt = qSample(s, x0, t, eps, o);
  return o.mean(o.square(o.sub(target(param, s, x0, t, eps, o), net(xt, t))));
}
