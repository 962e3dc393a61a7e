/** DDPM: the UNet on the linear 1000-step schedule, eps prediction; sampled with DDPM-1000 and DDIM 50 / 10. */
import { linearSchedule, LossEnv } from '@diffgan/core-models';
import { createModel, diffusionLoss } from '@diffgan/core-models/train';
import { Family, indices, noiseImages, sampleUnet, tTensor, timesteps, unetSpec } from './common';

export const DDPM_T = 1000;
export const ddpmSchedule = () => linearSchedule(DDPM_T);
const CLIP: [number, number] = [-1, 1];

export const ddpmFamily: Family = {
  id: 'ddpm',
  label: 'DDPM (UNet, eps, linear T=1000)',
  stepNote: 'one diffusion-loss update (uniform t, MSE on eps)',
  groups: (seed) => ({ den: { model: createModel(unetSpec(), seed * 10 + 3), adam: { lr: 5e-4 }, ema: 0.999 } }),
  phases: ['den'],
  stepInputs: (rng, n) => ({ t: timesteps(rng, n, DDPM_T), eps: noiseImages(rng, n) }),
  objective<T>(e: LossEnv<T>): T {
    const s = ddpmSchedule();
    return diffusionLoss(
      'eps',
      s,
      (xt: T, ti: number[]) => e.run('den', { x: xt, t: tTensor(e.ops, ti, s.T) }),
      e.input('real'),
      indices(e.shard.t),
      e.input('eps'),
      e.ops,
    );
  },
  exports: { den: { group: 'den', ema: true } },
  samplers: [
    {
      id: 'ddpm-1000',
      label: 'DDPM, 1000 steps',
      nfe: 1000,
      sample: (nets, n, rng) => sampleUnet(nets.den, ddpmSchedule(), n, rng, { sampler: 'ddpm', steps: 1000, clip: CLIP }),
    },
    {
      id: 'ddim-50',
      label: 'DDPM model, DDIM 50 steps',
      nfe: 50,
      sample: (nets, n, rng) => sampleUnet(nets.den, ddpmSchedule(), n, rng, { sampler: 'ddim', steps: 50, clip: CLIP }),
    },
    {
      id: 'ddim-10',
      label: 'DDPM model, DDIM 10 steps',
      nfe: 10,
      sample: (nets, n, rng) => sampleUnet(nets.den, ddpmSchedule(), n, rng, { sampler: 'ddim', steps: 10, clip: CLIP }),
    },
  ],
};
