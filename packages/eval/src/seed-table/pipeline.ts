/**
 * The seed's variant: generator G(z) → noised to t_s → one step of a diffusion denoiser
 * (the DDPM UNet) → discriminator on the refined image. The denoiser also keeps its own
 * diffusion loss on real data (core-models seedPipelineStep). Sampling = 1 G + 1 UNet call.
 */
import {
  tf, Model, alphaBarAt, createModel, diffusionLoss, discriminatorLoss, generatorLoss, linearSchedule, predictionToX0Eps, qSample, Rng,
} from '@diffgan/core-models';
import {
  Family, LATENT_DIM, Nets, perSampleScore, ganDiscriminatorSpec, ganGeneratorSpec, hostDenoiser, hostGenerate, image, indices, latents, noiseImages, run, tInput, timesteps, unetSpec, vector,
} from './common';

export const PIPELINE_T = 1000;
/** refinement noise level: index 100 of the linear schedule (alphaBar ≈ 0.90, noise std ≈ 0.32) */
export const REFINE_T = 100;

export async function pipelineSample(nets: Nets, n: number, rng: Rng): Promise<Float32Array> {
  const s = linearSchedule(PIPELINE_T);
  const g = await hostGenerate(nets.g, n, rng, LATENT_DIM);
  const ab = alphaBarAt(s, REFINE_T), sa = Math.sqrt(ab), sb = Math.sqrt(1 - ab);
  const z = rng.normalArray(g.length), xt = new Float32Array(g.length);
  for (let i = 0; i < g.length; i++) xt[i] = sa * g[i] + sb * z[i];
  const eps = await hostDenoiser(nets.den, n, PIPELINE_T)(xt, new Array(n).fill(REFINE_T));
  const out = new Float32Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = (xt[i] - sb * eps[i]) / sa;
  return out;
}

const denoiser = (Den: Model) => (xt: tf.Tensor4D, t: number[]) => run(Den, { x: xt, t: tf.tensor1d(tInput(t, PIPELINE_T)) });

/** G(z) → noised to REFINE_T with `noise` → the denoiser's x0 (tfjs, differentiable). */
function refine(G: Model, Den: Model, z: tf.Tensor2D, noise: tf.Tensor4D): tf.Tensor4D {
  const s = linearSchedule(PIPELINE_T);
  const x = run(G, { z }), t = new Array(x.shape[0]).fill(REFINE_T);
  const xt = qSample(s, x, t, noise);
  return predictionToX0Eps('eps', s, denoiser(Den)(xt, t), xt, t).x0;
}

export const pipelineFamily: Family = {
  id: 'pipeline',
  label: 'Seed pipeline (G → denoiser → D)',
  stepNote: `one D update, one denoiser update (diffusion loss + 0.1 x adversarial through the pipeline), one G update; LSGAN; refine at t=${REFINE_T}`,
  groups: (seed) => ({
    g: { model: createModel(ganGeneratorSpec(), seed * 10 + 6), adam: { lr: 2e-4, beta1: 0.5, beta2: 0.99 }, ema: 0.999 },
    den: { model: createModel(unetSpec(), seed * 10 + 7), adam: { lr: 5e-4 }, ema: 0.999 },
    d: { model: createModel(ganDiscriminatorSpec(), seed * 10 + 8), adam: { lr: 2e-4, beta1: 0.5, beta2: 0.99 } },
  }),
  phases: ['d', 'den', 'g'],
  stepInputs: (rng, n) => ({
    zD: latents(rng, n), refD: noiseImages(rng, n), tDiff: timesteps(rng, n, PIPELINE_T), epsDiff: noiseImages(rng, n),
    zDen: latents(rng, n), refDen: noiseImages(rng, n), zG: latents(rng, n), refG: noiseImages(rng, n),
  }),
  discriminator: {
    lossAtChance: 0.25, threshold: 0.5, // LSGAN; the D phase has no other term
    probe: ({ g: G, den: Den, d: D }, real, rng) => {
      const n = real.shape[0];
      return [{ condition: 'all', real: perSampleScore(run(D, { x: real })), fake: perSampleScore(run(D, { x: refine(G, Den, vector(latents(rng, n)), image(noiseImages(rng, n))) })) }];
    },
  },
  loss({ g: G, den: Den, d: D }, b, phase) {
    // core-models seedPipelineStep with the noises from the batch; each phase differentiates its own group only
    const s = linearSchedule(PIPELINE_T);
    const refined = (z: string, noise: string) => refine(G, Den, vector(b[z]), image(b[noise]));
    const D_ = (x: tf.Tensor4D) => run(D, { x });
    if (phase === 'd') return discriminatorLoss('lsgan', D_(image(b.real)), D_(refined('zD', 'refD')));
    if (phase === 'den') {
      return diffusionLoss('eps', s, denoiser(Den), image(b.real), indices(b.tDiff), image(b.epsDiff))
        .add(generatorLoss('lsgan', D_(refined('zDen', 'refDen'))).mul(0.1)) as tf.Scalar;
    }
    return generatorLoss('lsgan', D_(refined('zG', 'refG')));
  },
  exports: { g: { group: 'g', ema: true }, den: { group: 'den', ema: true } },
  samplers: [{ id: 'pipeline', label: 'Seed pipeline, G + 1 denoiser step', nfe: 2, sample: pipelineSample }],
};
