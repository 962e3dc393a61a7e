/**
 * Samplers are functions of a denoiser; models do not know how they are sampled.
 * A Denoiser maps (x_t, timestep indices) to a raw prediction in some parameterisation.
 */
import * as tf from '../tf';
import { Rng } from '../rng';
import { Parameterisation, predictionToX0Eps, perSample } from './objective';
import { alphaBarAt, posteriorCoefs, respace, Schedule } from './schedule';

export type Denoiser = (xt: tf.Tensor4D, t: number[]) => tf.Tensor4D;
export interface SamplerOptions { param: Parameterisation; steps?: number; clip?: [number, number]; onStep?: (i: number, n: number) => void }

export function gaussian(rng: Rng, shape: number[]): tf.Tensor4D {
  return tf.tensor(rng.normalArray(shape.reduce((a, b) => a * b, 1)), shape as [number, number, number, number]) as tf.Tensor4D;
}

const clipX0 = (x0: tf.Tensor4D, clip?: [number, number]): tf.Tensor4D => (clip ? (x0.clipByValue(clip[0], clip[1]) as tf.Tensor4D) : x0);

/**
 * Ancestral DDPM sampling (Ho et al. 2020) on the respaced schedule: `steps` = T gives
 * the original sampler, fewer steps the respaced one of Nichol & Dhariwal.
 */
export function ddpmSample(denoiser: Denoiser, s: Schedule, shape: number[], rng: Rng, o: SamplerOptions): tf.Tensor4D {
  const { timesteps, schedule: rs } = respace(s, o.steps ?? s.T);
  let x = gaussian(rng, shape);
  const n = shape[0];
  for (let k = timesteps.length - 1; k >= 0; k--) {
    const next = tf.tidy(() => {
      const t = new Array(n).fill(timesteps[k]);
      const { x0 } = predictionToX0Eps(o.param, s, denoiser(x, t), x, t);
      const c = posteriorCoefs(rs, k);
      const mean = clipX0(x0, o.clip).mul(c.c0).add(x.mul(c.ct));
      return k > 0 ? mean.add(gaussian(rng, shape).mul(Math.sqrt(c.variance))) : mean;
    });
    x.dispose();
    x = next as tf.Tensor4D;
    o.onStep?.(timesteps.length - k, timesteps.length);
  }
  return x;
}

/** DDIM (Song et al. 2021) with any step count; eta = 0 is deterministic. */
export function ddimSample(denoiser: Denoiser, s: Schedule, shape: number[], rng: Rng, o: SamplerOptions & { eta?: number }): tf.Tensor4D {
  const { timesteps } = respace(s, o.steps ?? 50);
  const eta = o.eta ?? 0;
  let x = gaussian(rng, shape);
  const n = shape[0];
  for (let k = timesteps.length - 1; k >= 0; k--) {
    const next = tf.tidy(() => {
      const t = new Array(n).fill(timesteps[k]);
      const pred = predictionToX0Eps(o.param, s, denoiser(x, t), x, t);
      const x0 = clipX0(pred.x0, o.clip);
      const eps = o.clip ? predictionToX0Eps('x0', s, x0, x, t).eps : pred.eps;
      if (k === 0) return x0;
      const ab = alphaBarAt(s, timesteps[k]), abPrev = alphaBarAt(s, timesteps[k - 1]);
      const sigma = eta * Math.sqrt(((1 - abPrev) / (1 - ab)) * (1 - ab / abPrev));
      let out = x0.mul(Math.sqrt(abPrev)).add(eps.mul(Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma))));
      if (sigma > 0) out = out.add(gaussian(rng, shape).mul(sigma));
      return out;
    });
    x.dispose();
    x = next as tf.Tensor4D;
    o.onStep?.(timesteps.length - k, timesteps.length);
  }
  return x;
}

export { perSample };
