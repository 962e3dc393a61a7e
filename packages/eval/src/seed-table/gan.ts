/** The GAN: DCGAN-style generator and patch discriminator, LSGAN loss (as in the seed). */
import { tf, createModel, ganStep } from '@diffgan/core-models';
import { Family, LATENT_DIM, ganDiscriminatorSpec, ganGeneratorSpec, hostGenerate, realBatch, run } from './common';

export const ganFamily: Family = {
  id: 'gan',
  label: 'GAN (DCGAN-style, LSGAN)',
  stepNote: 'one D update (real vs detached fake) + one G update, LSGAN loss',
  groups: (seed) => ({
    g: { model: createModel(ganGeneratorSpec(), seed * 10 + 1), adam: { lr: 2e-4, beta1: 0.5, beta2: 0.99 }, ema: 0.999 },
    d: { model: createModel(ganDiscriminatorSpec(), seed * 10 + 2), adam: { lr: 2e-4, beta1: 0.5, beta2: 0.99 } },
  }),
  step(tr, ctx) {
    const G = tr.groups.g.model, D = tr.groups.d.model, n = ctx.batch;
    const real = realBatch(tr, ctx);
    const losses = ganStep(tr, {
      kind: 'lsgan', g: 'g', d: 'd', real,
      generate: () => run(G, { z: tf.tensor2d(tr.rng.normalArray(n * LATENT_DIM), [n, LATENT_DIM]) }),
      discriminate: (x) => run(D, { x }),
    });
    real.dispose();
    return losses;
  },
  exports: { g: { group: 'g', ema: true } },
  samplers: [{ id: 'gan', label: 'GAN', nfe: 1, sample: (nets, n, rng) => hostGenerate(nets.g, n, rng, LATENT_DIM) }],
};
