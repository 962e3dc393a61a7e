/**
 * Inference of the spectrogram denoiser: deterministic DDIM (eta 0, core-models sampleDdim)
 * with the network's x0-prediction over `steps` respaced timesteps of the training schedule
 * (cosine, T = 1000). The state is the normalised log-magnitude residual (real - generator).
 */
import { cosineNoiseSchedule, createDenoiser, runnerNet, sampleDdim, Rng } from '@diffgan/core-models';
import type { Runner } from '@diffgan/core-models';
import { N_BINS, DIFFUSION_T } from '../synth/nets';

/** The denoised residual [frames × N_BINS] for the generator's log-magnitude `cond`. */
export async function denoiseResidual(den: Runner, cond: Float32Array, frames: number, steps: number, seed = 0): Promise<Float32Array> {
  const shape = [1, frames, 1, N_BINS];
  const denoiser = createDenoiser({ net: runnerNet(den, { cond: { data: cond, shape } }), parameterisation: 'x0', schedule: cosineNoiseSchedule(DIFFUSION_T) });
  return sampleDdim(denoiser, { shape, rng: new Rng(seed), steps });
}
