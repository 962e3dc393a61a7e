/**
 * The two forward-process draws of the denoising diffusion GAN (Xiao et al., ICLR 2022), on
 * any `Ops` (tfjs by default). With only T = 2..4 large steps the true denoising distribution
 * is multimodal, so a conditional GAN learns it: the generator predicts x0 from (x_t, z, t);
 * x_{t-1} is drawn from the posterior q(x_{t-1} | x_t, x0'); a time-conditioned
 * discriminator judges (x_{t-1}, x_t, t). The noises are arguments, so a training task draws
 * them on the main thread with the rest of the step's randomness; sampling is
 * `sampleDiffgan` (diffusion/sampling.ts).
 */
import { tf } from './tf';
import { qSample } from './diffusion/objective';
import type { Ops } from './ops/ops';
import { tfOps } from './ops/tfjs-ops';
import { alphaBarAt, posteriorCoefs, Schedule } from './diffusion/schedule';

const TF = tfOps as unknown as Ops<never>;
const coef = <T>(o: Ops<T>, values: number[]): T => o.constant(values, [values.length, 1, 1, 1]);

/** x_{t-1} ~ q(x_{t-1} | x_t, x0) for per-sample indices t with the given standard normal `noise` (t = 0: x0, no noise). */
export function posteriorSample(s: Schedule, x0: tf.Tensor4D, xt: tf.Tensor4D, t: number[], noise: tf.Tensor4D): tf.Tensor4D;
export function posteriorSample<T>(s: Schedule, x0: T, xt: T, t: number[], noise: T, o: Ops<T>): T;
export function posteriorSample<T>(s: Schedule, x0: T, xt: T, t: number[], noise: T, o: Ops<T> = TF): T {
  const c = t.map((i) => posteriorCoefs(s, i));
  const mean = o.add(
    o.mul(
      x0,
      coef(
        o,
        c.map((q) => q.c0),
      ),
    ),
    o.mul(
      xt,
      coef(
        o,
        c.map((q) => q.ct),
      ),
    ),
  );
  return o.add(
    mean,
    o.mul(
      noise,
      coef(
        o,
        c.map((q, k) => (t[k] > 0 ? Math.sqrt(q.variance) : 0)),
      ),
    ),
  );
}

/** A pair (x_{t-1}, x_t) from real x0 with the given noises: x_{t-1} ~ q(·|x0) (noise e1), then one forward step (noise e2). */
export function diffusePair(s: Schedule, x0: tf.Tensor4D, t: number[], e1: tf.Tensor4D, e2: tf.Tensor4D): { xPrev: tf.Tensor4D; xt: tf.Tensor4D };
export function diffusePair<T>(s: Schedule, x0: T, t: number[], e1: T, e2: T, o: Ops<T>): { xPrev: T; xt: T };
export function diffusePair<T>(s: Schedule, x0: T, t: number[], e1: T, e2: T, o: Ops<T> = TF): { xPrev: T; xt: T } {
  const xPrev = qSample(
    s,
    x0,
    t.map((i) => i - 1),
    e1,
    o,
  );
  const alpha = t.map((i) => alphaBarAt(s, i) / alphaBarAt(s, i - 1));
  return {
    xPrev,
    xt: o.add(
      o.mul(xPrev, coef(o, alpha.map(Math.sqrt))),
      o.mul(
        e2,
        coef(
          o,
          alpha.map((a) => Math.sqrt(1 - a)),
        ),
      ),
    ),
  };
}
