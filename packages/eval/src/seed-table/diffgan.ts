/**
 * Denoising diffusion GAN (Xiao et al. 2022): T = 2 or 4 large steps of a VP-SDE schedule;
 * the UNet generator (with a latent z) predicts x0 from (x_t, z, t), a time-conditioned
 * patch discriminator judges (x_{t-1}, x_t, t). Non-saturating loss + R1 as in the paper.
 */
import { tf, createModel, diffganStep, vpSdeSchedule } from '@diffgan/core-models';
import { Family, LATENT_DIM, hostDiffgan, realBatch, run, tInput, timeDiscriminatorSpec, unetSpec } from './common';

export function diffganFamily(T: number): Family {
  const schedule = () => vpSdeSchedule(T);
  return {
    id: `diffgan${T}`,
    label: `DiffGAN (denoising diffusion GAN, T=${T})`,
    stepNote: 'one D update on (x_{t-1}, x_t, t) pairs with R1 (gamma 0.05) + one G update, non-saturating loss',
    groups: (seed) => ({
      g: { model: createModel(unetSpec(LATENT_DIM, 'diffgan_g'), seed * 10 + 4), adam: { lr: 2e-4, beta1: 0.5, beta2: 0.9 }, ema: 0.999 },
      d: { model: createModel(timeDiscriminatorSpec(), seed * 10 + 5), adam: { lr: 2e-4, beta1: 0.5, beta2: 0.9 } },
    }),
    step(tr, ctx) {
      const s = schedule(), G = tr.groups.g.model, D = tr.groups.d.model;
      const real = realBatch(tr, ctx);
      const losses = diffganStep(tr, {
        schedule: s, real, latentDim: LATENT_DIM, kind: 'nonsaturating', r1Gamma: 0.05,
        generator: (xt, z, t) => run(G, { x: xt, z, t: tf.tensor1d(tInput(t, s.T)) }),
        discriminator: (xPrev, xt, t) => run(D, { x: tf.concat([xPrev, xt], -1), t: tf.tensor1d(tInput(t, s.T)) }),
      });
      real.dispose();
      return losses;
    },
    exports: { g: { group: 'g', ema: true } },
    samplers: [{ id: `diffgan-${T}`, label: `DiffGAN, ${T} steps`, nfe: T, sample: (nets, n, rng) => hostDiffgan(nets.g, schedule(), n, rng, LATENT_DIM) }],
  };
}
