/**
 * The seed's variant: generator G(z) → noised to t_s → one step of a diffusion denoiser
 * (the DDPM UNet) → discriminator on the refined image. The denoiser also keeps its own
 * diffusion loss on real data. Sampling = 1 G + 1 UNet call.
 */
import { addNoise, linearSchedule, LossEnv, Ops, Rng } from '@diffgan/core-models';
import { createModel, diffusionLoss, discriminatorLoss, generatorLoss, predictionToX0Eps, qSample, tfOps } from '@diffgan/core-models/train';
import {
  Family,
  LATENT_DIM,
  Nets,
  perSampleScore,
  ganDiscriminatorSpec,
  ganGeneratorSpec,
  hostGenerate,
  imageShape,
  netDenoiser,
  image,
  indices,
  latents,
  noiseImages,
  run,
  tTensor,
  timesteps,
  unetSpec,
  vector,
} from './common';

export const PIPELINE_T = 1000;
/** refinement noise level: index 100 of the linear schedule (alphaBar ≈ 0.90, noise std ≈ 0.32) */
export const REFINE_T = 100;

/** G(z), noised to REFINE_T, and the denoiser's x0 prediction from there (one step). */
export async function pipelineSample(nets: Nets, n: number, rng: Rng): Promise<Float32Array> {
  const s = linearSchedule(PIPELINE_T);
  const g = await hostGenerate(nets.g, n, rng, LATENT_DIM);
  const xt = addNoise(s, g, REFINE_T, rng.normalArray(g.length));
  return netDenoiser(nets.den, s, 'eps').predictX0({ data: xt, shape: imageShape(n) }, REFINE_T);
}

/** The denoiser as a diffusion-loss net (xt, indices) → eps, given a runner of its inputs; on any Ops. */
const denoiser =
  <T>(o: Ops<T>, den: (inputs: Record<string, T>) => T) =>
  (xt: T, t: number[]): T =>
    den({ x: xt, t: tTensor(o, t, PIPELINE_T) });

/** G(z) → noised to REFINE_T with `noise` → the denoiser's x0 (differentiable), on any Ops. */
function refine<T>(o: Ops<T>, g: (z: T) => T, den: (xt: T, t: number[]) => T, z: T, noise: T): T {
  const s = linearSchedule(PIPELINE_T);
  const x = g(z),
    t = new Array(o.shape(x)[0]).fill(REFINE_T);
  const xt = qSample(s, x, t, noise, o);
  return predictionToX0Eps('eps', s, den(xt, t), xt, t, o).x0;
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
    zD: latents(rng, n),
    refD: noiseImages(rng, n),
    tDiff: timesteps(rng, n, PIPELINE_T),
    epsDiff: noiseImages(rng, n),
    zDen: latents(rng, n),
    refDen: noiseImages(rng, n),
    zG: latents(rng, n),
    refG: noiseImages(rng, n),
  }),
  discriminator: {
    lossAtChance: 0.25,
    threshold: 0.5, // LSGAN; the D phase has no other term
    probe: ({ g: G, den: Den, d: D }, real, rng) => {
      const n = real.shape[0];
      const refined = refine(
        tfOps,
        (z) => run(G, { z }),
        denoiser(tfOps, (ins) => run(Den, ins)),
        vector(latents(rng, n)),
        image(noiseImages(rng, n)),
      );
      return [{ condition: 'all', real: perSampleScore(run(D, { x: real })), fake: perSampleScore(run(D, { x: refined })) }];
    },
  },
  objective<T>(e: LossEnv<T>): T {
    // the noises come from the batch; each phase differentiates its own group only
    const o = e.ops,
      s = linearSchedule(PIPELINE_T);
    const den = denoiser(o, (ins) => e.run('den', ins));
    const refined = (z: string, noise: string) => refine(o, (zz) => e.run('g', { z: zz }), den, e.input(z), e.input(noise));
    const D = (x: T) => e.run('d', { x });
    if (e.phase === 'd') return discriminatorLoss('lsgan', D(e.input('real')), D(refined('zD', 'refD')), o);
    if (e.phase === 'den') {
      return o.add(
        diffusionLoss('eps', s, den, e.input('real'), indices(e.shard.tDiff), e.input('epsDiff'), o),
        o.mul(generatorLoss('lsgan', D(refined('zDen', 'refDen')), o), 0.1),
      );
    }
    return generatorLoss('lsgan', D(refined('zG', 'refG')), o);
  },
  exports: { g: { group: 'g', ema: true }, den: { group: 'den', ema: true } },
  samplers: [{ id: 'pipeline', label: 'Seed pipeline, G + 1 denoiser step', nfe: 2, sample: pipelineSample }],
};
