/** The GAN: DCGAN-style generator and patch discriminator, LSGAN loss (as in the seed). */
import { LossEnv } from '@diffgan/core-models';
import { createModel, discriminatorLoss, generatorLoss } from '@diffgan/core-models/train';
import { Family, LATENT_DIM, ganDiscriminatorSpec, ganGeneratorSpec, hostGenerate, latents, perSampleScore, run, vector } from './common';

export const ganFamily: Family = {
  id: 'gan',
  label: 'GAN (DCGAN-style, LSGAN)',
  stepNote: 'one D update (real vs detached fake) + one G update, LSGAN loss',
  groups: (seed) => ({
    g: { model: createModel(ganGeneratorSpec(), seed * 10 + 1), adam: { lr: 2e-4, beta1: 0.5, beta2: 0.99 }, ema: 0.999 },
    d: { model: createModel(ganDiscriminatorSpec(), seed * 10 + 2), adam: { lr: 2e-4, beta1: 0.5, beta2: 0.99 } },
  }),
  phases: ['d', 'g'],
  discriminator: {
    lossAtChance: 0.25,
    threshold: 0.5,
    probe: ({ g: G, d: D }, real, rng) => [
      { condition: 'all', real: perSampleScore(run(D, { x: real })), fake: perSampleScore(run(D, { x: run(G, { z: vector(latents(rng, real.shape[0])) }) })) },
    ],
  },
  // separate latents for the D and the G update
  stepInputs: (rng, n) => ({ zD: latents(rng, n), zG: latents(rng, n) }),
  objective<T>(e: LossEnv<T>): T {
    // gradients are taken w.r.t. the phase's group only: G is not updated in the D phase
    const D = (x: T) => e.run('d', { x }),
      G = (z: string) => e.run('g', { z: e.input(z) });
    if (e.phase === 'd') return discriminatorLoss('lsgan', D(e.input('real')), D(G('zD')), e.ops);
    return generatorLoss('lsgan', D(G('zG')), e.ops);
  },
  exports: { g: { group: 'g', ema: true } },
  samplers: [{ id: 'gan', label: 'GAN', nfe: 1, sample: (nets, n, rng) => hostGenerate(nets.g, n, rng, LATENT_DIM) }],
};
