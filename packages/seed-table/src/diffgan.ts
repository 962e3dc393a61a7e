/**
 * Denoising diffusion GAN (Xiao et al. 2022): T = 2 or 4 large steps of a VP-SDE schedule;
 * the UNet generator (with a latent z) predicts x0 from (x_t, z, t), a time-conditioned
 * patch discriminator judges (x_{t-1}, x_t, t). Non-saturating loss + R1 as in the paper.
 * The pair and posterior draws are core-models' diffusePair / posteriorSample, with the
 * noises drawn on the main thread; sampling is core-models' sampleDiffgan.
 */
import { alphaBarAt, sampleDiffgan, vpSdeSchedule, LossEnv } from '@diffgan/core-models';
import { tf, createModel, discriminatorLoss, generatorLoss, r1Penalty, tfOps, diffusePair, posteriorSample } from '@diffgan/core-models/train';
import {
  Family,
  LATENT_DIM,
  image,
  imageShape,
  netDenoiser,
  indices,
  latents,
  noiseImages,
  perSampleScore,
  run,
  tTensor,
  timeDiscriminatorSpec,
  DiscriminatorVariant,
  TABLE_D,
  timesteps,
  unetSpec,
  vector,
} from './common';

const R1_GAMMA = 0.05;

/**
 * The options are ablations (not table rows), to test why DiffGAN's D ends at chance:
 * `r1: false` drops D's R1 penalty; `loss: 'lsgan'` (no R1) trains with the GAN row's loss;
 * `d` another discriminator than the table's (TABLE_D): the id and label then name it.
 */
export function diffganFamily(T: number, o: { r1?: boolean; loss?: 'nonsaturating' | 'lsgan'; d?: DiscriminatorVariant } = {}): Family {
  const schedule = () => vpSdeSchedule(T);
  const lossKind = o.loss ?? 'nonsaturating';
  const lsgan = lossKind === 'lsgan';
  const r1Gamma = o.r1 === false || lsgan ? 0 : R1_GAMMA;
  // id suffix and label text of the variant; the table's own row has neither
  const [lossSuffix, lossWhat] = lsgan ? ['-lsgan', ', LSGAN, no R1'] : r1Gamma ? ['', ''] : ['-nor1', ', no R1'];
  const dv = o.d ?? TABLE_D,
    suffix = lossSuffix + (dv === TABLE_D ? '' : `-d${dv}`),
    what = lossWhat + (dv === TABLE_D ? '' : `, ${dv} D`);
  return {
    id: `diffgan${T}${suffix}`,
    label: `DiffGAN (denoising diffusion GAN, T=${T}${what})`,
    stepNote: `one D update on (x_{t-1}, x_t, t) pairs with ${r1Gamma ? `per-patch R1 (gamma ${r1Gamma})` : 'no R1'} + one G update, ${lsgan ? 'LSGAN' : 'non-saturating'} loss`,
    groups: (seed) => ({
      g: { model: createModel(unetSpec(LATENT_DIM, 'diffgan_g'), seed * 10 + 4), adam: { lr: 2e-4, beta1: 0.5, beta2: 0.9 }, ema: 0.999 },
      d: { model: createModel(timeDiscriminatorSpec(dv), seed * 10 + 5), adam: { lr: 2e-4, beta1: 0.5, beta2: 0.9 } },
    }),
    phases: ['d', 'g'],
    discriminator: {
      ...(lsgan ? { lossAtChance: 0.25, threshold: 0.5 } : { lossAtChance: 2 * Math.LN2, threshold: 0 }),
      // per step t: real pairs (x_{t-1} ~ q, x_t) against G's (posterior draw, the same x_t), as in the D update
      probe: ({ g: G, d: D }, real, rng) =>
        Array.from({ length: T }, (_, k) => {
          const s = schedule(),
            n = real.shape[0],
            t = new Array(n).fill(k),
            tt = () => tTensor(tfOps, t, T);
          const noise = () => image(noiseImages(rng, n));
          const { xPrev, xt } = diffusePair(s, real, t, noise(), noise(), tfOps);
          const disc = (x: tf.Tensor) => perSampleScore(run(D, { x: tf.concat([x, xt], -1), t: tt() }));
          const fake = posteriorSample(s, run(G, { x: xt, z: vector(latents(rng, n)), t: tt() }), xt, t, noise(), tfOps);
          return { condition: `t=${k} (alphaBar ${alphaBarAt(s, k).toFixed(3)})`, real: disc(xPrev), fake: disc(fake) };
        }),
    },
    stepInputs: (rng, n) => ({
      t: timesteps(rng, n, T),
      e1: noiseImages(rng, n),
      e2: noiseImages(rng, n),
      zD: latents(rng, n),
      postD: noiseImages(rng, n),
      zG: latents(rng, n),
      postG: noiseImages(rng, n),
    }),
    objective<U>(e: LossEnv<U>): U {
      const o = e.ops,
        s = schedule(),
        t = indices(e.shard.t),
        // one time tensor for every net call: the onnxruntime engine then traces D on x_{t-1} once
        // for the loss and R1's unmoved score, and differentiates it once
        tt = tTensor(o, t, T);
      const { xPrev, xt } = diffusePair(s, e.input('real'), t, e.input('e1'), e.input('e2'), o);
      const disc = (x: U) => e.run('d', { x: o.concat([x, xt], -1), t: tt });
      const fake = (z: string, noise: string) => posteriorSample(s, e.run('g', { x: xt, z: e.input(z), t: tt }), xt, t, e.input(noise), o);
      // R1 per patch: the loss averages 14x14 patch scores, so the penalty averages their gradients
      // (penalising the summed score made it ~196x stronger and held D at chance)
      if (e.phase === 'd') {
        const loss = discriminatorLoss(lossKind, disc(xPrev), disc(fake('zD', 'postD')), o);
        return r1Gamma ? o.add(loss, o.mul(r1Penalty(disc, xPrev, e.rng, { perPatch: true }, o), r1Gamma / 2)) : loss;
      }
      return generatorLoss(lossKind, disc(fake('zG', 'postG')), o);
    },
    exports: { g: { group: 'g', ema: true } },
    samplers: [
      {
        id: `diffgan-${T}${suffix}`,
        label: `DiffGAN, ${T} steps${what}`,
        nfe: T,
        sample: (nets, n, rng) => sampleDiffgan(netDenoiser(nets.g, schedule(), 'x0', LATENT_DIM), { shape: imageShape(n), rng }),
      },
    ],
  };
}
