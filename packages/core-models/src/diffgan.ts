/**
 * DiffGAN, two ways.
 *
 * 1. Denoising diffusion GAN (Xiao et al., ICLR 2022): with only T = 2..4 large steps the
 *    true denoising distribution is multimodal, so a conditional GAN learns it. The
 *    generator predicts x0 from (x_t, z, t); x_{t-1} is drawn from the posterior
 *    q(x_{t-1} | x_t, x0'); a time-conditioned discriminator judges (x_{t-1}, x_t, t).
 * 2. The seed's pipeline: generator G(z) → diffusion denoiser (one step from noise level
 *    t_s) → discriminator on the refined image; the denoiser also keeps its own diffusion
 *    objective on real data.
 */
import * as tf from './tf';
import { Rng } from './rng';
import { gaussian } from './diffusion/samplers';
import { perSample, qSample, diffusionLoss, predictionToX0Eps, Parameterisation } from './diffusion/objective';
import type { Ops } from './ops/ops';
import { tfOps } from './ops/tfjs-ops';
import { alphaBarAt, posteriorCoefs, Schedule } from './diffusion/schedule';
import { discriminatorLoss, generatorLoss, GanLossKind, r1Penalty } from './gan';
import type { Trainer } from './train/trainer';

/** G(x_t, z, t) → x0' ; D(x_{t-1}, x_t, t) → scores. t is the timestep index per sample. */
export type DiffganGenerator = (xt: tf.Tensor4D, z: tf.Tensor2D, t: number[]) => tf.Tensor4D;
export type DiffganDiscriminator = (xPrev: tf.Tensor4D, xt: tf.Tensor4D, t: number[]) => tf.Tensor;

const TF = tfOps as unknown as Ops<never>;
const coef = <T>(o: Ops<T>, values: number[]): T => o.constant(values, [values.length, 1, 1, 1]);

/** x_{t-1} ~ q(x_{t-1} | x_t, x0) for per-sample indices t with the given standard normal `noise` (t = 0: x0, no noise). */
export function posteriorFrom<T>(s: Schedule, x0: T, xt: T, t: number[], noise: T, o: Ops<T> = TF): T {
  const c = t.map((i) => posteriorCoefs(s, i));
  const mean = o.add(o.mul(x0, coef(o, c.map((q) => q.c0))), o.mul(xt, coef(o, c.map((q) => q.ct))));
  return o.add(mean, o.mul(noise, coef(o, c.map((q, k) => (t[k] > 0 ? Math.sqrt(q.variance) : 0)))));
}

/** A pair (x_{t-1}, x_t) from real x0 with the given noises: x_{t-1} ~ q(·|x0) (noise e1), then one forward step (noise e2). */
export function diffusePairFrom<T>(s: Schedule, x0: T, t: number[], e1: T, e2: T, o: Ops<T> = TF): { xPrev: T; xt: T } {
  const xPrev = qSample(s, x0, t.map((i) => i - 1), e1, o);
  const alpha = t.map((i) => alphaBarAt(s, i) / alphaBarAt(s, i - 1));
  return { xPrev, xt: o.add(o.mul(xPrev, coef(o, alpha.map(Math.sqrt))), o.mul(e2, coef(o, alpha.map((a) => Math.sqrt(1 - a))))) };
}

/** Draws x_{t-1} ~ q(x_{t-1} | x_t, x0) for per-sample indices t (t = 0 gives x0 back with no noise). */
export function posteriorSample(s: Schedule, x0: tf.Tensor4D, xt: tf.Tensor4D, t: number[], rng: Rng): tf.Tensor4D {
  return posteriorFrom(s, x0, xt, t, gaussian(rng, x0.shape), tfOps) as tf.Tensor4D;
}

/** A pair (x_{t-1}, x_t) from real data: x_{t-1} ~ q(·|x0), then one forward step. */
export function diffusePair(s: Schedule, x0: tf.Tensor4D, t: number[], rng: Rng): { xPrev: tf.Tensor4D; xt: tf.Tensor4D } {
  const e1 = gaussian(rng, x0.shape), e2 = gaussian(rng, x0.shape);
  return diffusePairFrom(s, x0, t, e1, e2, tfOps) as { xPrev: tf.Tensor4D; xt: tf.Tensor4D };
}

export interface DiffganStepOptions {
  schedule: Schedule;
  real: tf.Tensor4D;
  generator: DiffganGenerator;
  discriminator: DiffganDiscriminator;
  latentDim: number;
  g?: string;
  d?: string;
  kind?: GanLossKind;
  r1Gamma?: number;
}

/** One D and one G update of the denoising diffusion GAN. */
export function diffganStep(tr: Trainer, o: DiffganStepOptions): Record<string, number> {
  const s = o.schedule, n = o.real.shape[0], rng = tr.rng, kind = o.kind ?? 'nonsaturating';
  const t = Array.from({ length: n }, () => rng.int(s.T));
  const { xPrev, xt } = tf.tidy(() => diffusePair(s, o.real, t, rng));
  const z = () => tf.tensor2d(rng.normalArray(n * o.latentDim), [n, o.latentDim]);
  const fakePrev = tf.tidy(() => posteriorSample(s, o.generator(xt, z(), t), xt, t, rng));
  const dLoss = tr.update(o.d ?? 'd', () => {
    const D = (x: tf.Tensor4D) => o.discriminator(x, xt, t);
    let l = discriminatorLoss(kind, D(xPrev), D(fakePrev));
    if (o.r1Gamma) l = l.add(r1Penalty(D, xPrev, rng).mul(o.r1Gamma / 2));
    return l as tf.Scalar;
  });
  fakePrev.dispose();
  const gLoss = tr.update(o.g ?? 'g', () => {
    const f = posteriorSample(s, o.generator(xt, z(), t), xt, t, rng);
    return generatorLoss(kind, o.discriminator(f, xt, t));
  });
  tf.dispose([xPrev, xt]);
  return { d: dLoss, g: gLoss };
}

/** Sampling: T generator calls, from x_T ~ N(0, I) down to x0. */
export function diffganSample(generator: DiffganGenerator, s: Schedule, shape: number[], latentDim: number, rng: Rng): tf.Tensor4D {
  let x = gaussian(rng, shape);
  const n = shape[0];
  for (let i = s.T - 1; i >= 0; i--) {
    const next = tf.tidy(() => {
      const t = new Array(n).fill(i);
      const x0 = generator(x, tf.tensor2d(rng.normalArray(n * latentDim), [n, latentDim]), t);
      return i === 0 ? x0 : posteriorSample(s, x0, x, t, rng);
    });
    x.dispose();
    x = next;
  }
  return x;
}

export interface SeedPipelineOptions {
  schedule: Schedule;
  param: Parameterisation;
  /** noise level index at which the denoiser refines the generator's output */
  refineT: number;
  real: tf.Tensor4D;
  generate: (z: tf.Tensor2D) => tf.Tensor4D;
  denoise: (xt: tf.Tensor4D, t: number[]) => tf.Tensor4D;
  discriminate: (x: tf.Tensor4D) => tf.Tensor;
  latentDim: number;
  kind?: GanLossKind;
  r1Gamma?: number;
}

/** G(z) noised to refineT, denoised in one step: the pipeline's output image. */
export function seedPipelineRefine(o: Pick<SeedPipelineOptions, 'schedule' | 'param' | 'refineT' | 'denoise'>, fake: tf.Tensor4D, rng: Rng): tf.Tensor4D {
  const t = new Array(fake.shape[0]).fill(o.refineT);
  const xt = qSample(o.schedule, fake, t, gaussian(rng, fake.shape));
  return predictionToX0Eps(o.param, o.schedule, o.denoise(xt, t), xt, t).x0;
}

/**
 * The seed's "generator → diffusion denoiser → discriminator" step. Groups: 'g' (generator),
 * 'den' (denoiser: diffusion loss on real data + adversarial loss through the pipeline), 'd'.
 */
export function seedPipelineStep(tr: Trainer, o: SeedPipelineOptions): Record<string, number> {
  const n = o.real.shape[0], rng = tr.rng, kind = o.kind ?? 'lsgan', s = o.schedule;
  const z = () => tf.tensor2d(rng.normalArray(n * o.latentDim), [n, o.latentDim]);
  const fake = tf.tidy(() => seedPipelineRefine(o, o.generate(z()), rng));
  const dLoss = tr.update('d', () => {
    let l = discriminatorLoss(kind, o.discriminate(o.real), o.discriminate(fake));
    if (o.r1Gamma) l = l.add(r1Penalty(o.discriminate, o.real, rng).mul(o.r1Gamma / 2));
    return l as tf.Scalar;
  });
  fake.dispose();
  const tDiff = Array.from({ length: n }, () => rng.int(s.T));
  const denLoss = tr.update('den', () => tf.add(
    diffusionLoss(o.param, s, o.denoise, o.real, tDiff, gaussian(rng, o.real.shape)),
    generatorLoss(kind, o.discriminate(seedPipelineRefine(o, tf.tidy(() => o.generate(z())), rng))).mul(0.1)) as tf.Scalar);
  const gLoss = tr.update('g', () => generatorLoss(kind, o.discriminate(seedPipelineRefine(o, o.generate(z()), rng))));
  return { d: dLoss, g: gLoss, den: denLoss };
}
