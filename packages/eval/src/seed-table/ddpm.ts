/** DDPM: the UNet on the linear 1000-step schedule, eps prediction; sampled with DDPM-1000 and DDIM 50 / 10. */
import { tf, createModel, diffusionLoss, linearSchedule } from '@diffgan/core-models';
import { Family, hostDdim, hostDdpm, hostDenoiser, image, indices, noiseImages, run, tInput, timesteps, unetSpec } from './common';

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
  loss({ den }, b) {
    const s = ddpmSchedule();
    return diffusionLoss('eps', s, (xt, ti) => run(den, { x: xt, t: tf.tensor1d(tInput(ti, s.T)) }), image(b.real), indices(b.t), image(b.eps));
  },
  exports: { den: { group: 'den', ema: true } },
  samplers: [
    { id: 'ddpm-1000', label: 'DDPM, 1000 steps', nfe: 1000, sample: (nets, n, rng) => hostDdpm(hostDenoiser(nets.den, n, DDPM_T), ddpmSchedule(), n, rng, { steps: 1000, clip: CLIP }) },
    { id: 'ddim-50', label: 'DDPM model, DDIM 50 steps', nfe: 50, sample: (nets, n, rng) => hostDdim(hostDenoiser(nets.den, n, DDPM_T), ddpmSchedule(), n, rng, { steps: 50, clip: CLIP }) },
    { id: 'ddim-10', label: 'DDPM model, DDIM 10 steps', nfe: 10, sample: (nets, n, rng) => hostDdim(hostDenoiser(nets.den, n, DDPM_T), ddpmSchedule(), n, rng, { steps: 10, clip: CLIP }) },
  ],
};
