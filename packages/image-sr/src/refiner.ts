/**
 * Few-step diffusion refinement (DiffGAN style) of the generator's output. The refiner
 * models the residual r = (HR − G(LR))·RES_SCALE, conditioned on G(LR): a small UNet
 * predicts r0 from (r_t, z, t, cond) and r_{t-1} is drawn from q(r_{t-1} | r_t, r0), as in
 * the denoising diffusion GAN (Xiao et al. 2022) with T = 4 steps of a VP-SDE schedule.
 * `--refine N` starts at the top noise level with a zero-mean residual and visits N
 * respaced levels (core-models sampleDiffgan): 1 stays close to the generator (fidelity),
 * 4 synthesises the most texture.
 */
import { unet, patchDiscriminator, createRunner, loadWeights, GraphSpec, Runner, RunnerOptions } from '@diffgan/core-models';
import type { Refiner } from './core';

import { REFINER_CONFIG, refinerFromRunner, refinerTemperature } from './refine-sampler';
export { REFINER_T, RES_SCALE, T_EMBED_SCALE, LATENT_DIM, REFINER_CONFIG, refinerSchedule, refineTile, refinerTemperature } from './refine-sampler';

export const refinerSpec = (scale: 2 | 4): GraphSpec => unet(REFINER_CONFIG, `sr_refiner_x${scale}`);
/** The training-only discriminator: D(x_{t-1} ‖ x_t ‖ cond, t), 9 input channels. */
export const refinerDiscriminatorSpec = (scale: 2 | 4): GraphSpec =>
  patchDiscriminator({ inChannels: 9, channels: [16, 32, 32], embDim: 32 }, `sr_refiner_disc_x${scale}`);

/** A refiner loaded from weights: the Refiner and the runner it holds (its owner disposes it). */
export interface LoadedRefiner {
  refiner: Refiner;
  runner: Runner;
}

/** Loads refiner weights (`sr_refiner_x{2,4}.manifest.json`) on onnxruntime-node (tfjs fallback); it samples at the manifest's temperature. */
export async function loadRefiner(manifestPath: string, opts: { threads?: number; runtime?: RunnerOptions['runtime'] } = {}): Promise<LoadedRefiner> {
  const { manifest, weights } = loadWeights(manifestPath);
  const runner = await createRunner(manifest.architecture, weights, { threads: opts.threads ?? 0, runtime: opts.runtime });
  return { refiner: refinerFromRunner(runner, refinerTemperature(manifest)), runner };
}
