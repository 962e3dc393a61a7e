/**
 * The refiner's sampling loop and constants (runtime-free, shared with the browser entry).
 *
 * Few-step diffusion refinement (DiffGAN style) of the generator's output. The refiner
 * models the residual r = (HR − G(LR))·RES_SCALE, conditioned on G(LR): a small UNet
 * predicts r0 from (r_t, z, t, cond) and r_{t-1} is drawn from q(r_{t-1} | r_t, r0), as in
 * the denoising diffusion GAN (Xiao et al. 2022) with T = 4 steps of a VP-SDE schedule.
 * `--refine N` runs N of the T steps from pure noise (core-models sampleDiffgan, respaced
 * like DDIM/DDPM step skipping): 1 predicts the residual once from the top noise level,
 * where the net leans on the conditioning (fidelity); 4 walks every level down to the least
 * noisy one and ends with the most synthesised texture. Every draw of the chain is scaled by
 * the refiner's sampling temperature (its manifest's config.temperature, default 1): a refiner
 * whose discriminator works samples from the posterior, ~3 dB below its mean at temperature 1;
 * the texture fades as the temperature drops (docs/experiments/image-sr-results.md).
 */
import { vpSdeSchedule, createDenoiser, runnerNet, sampleDiffgan, timeInput, Rng, HostTensor, Runner, DiffganError } from '@diffgan/core-models/portable';
import type { Refiner } from './core';
import type { UNetConfig } from '@diffgan/core-models';

export const REFINER_T = 4;
export const RES_SCALE = 8;
/** Time input per step index (core-models' timeInput convention: index·1000/T); the manifests record it. */
export const T_EMBED_SCALE = timeInput(1, REFINER_T);
export const LATENT_DIM = 8;
/** No normalisation layers: per-tile statistics would make tiled output depend on the tiling. */
export const REFINER_CONFIG: UNetConfig = {
  inChannels: 3,
  outChannels: 3,
  channels: [16, 32],
  blocksPerLevel: 1,
  embDim: 32,
  latentDim: LATENT_DIM,
  condChannels: 3,
};
export const refinerSchedule = () => vpSdeSchedule(REFINER_T);

/**
 * The step counts the shipped refiner has: 0 (off) or 1..REFINER_T (respaced levels of its
 * T = 4 schedule; the shipped manifests record T = 4). More steps than T do not exist.
 */
export function checkRefinerSteps(steps: number): void {
  if (!(Number.isInteger(steps) && steps >= 0 && steps <= REFINER_T)) {
    throw new DiffganError(`invalid refine steps ${steps}: the refiner has ${REFINER_T} diffusion steps, use 0 (off) or 1-${REFINER_T}`);
  }
}

/**
 * Refines one tile: the residual is sampled with the refiner conditioned on `sr` (in [0, 1])
 * and added back (/ RES_SCALE), clamped to [0, 1]. `net` is the refiner UNet (x, t, z, cond).
 */
export async function refineTile(net: Runner, sr: HostTensor, steps: number, rng: Rng, temperature = 1): Promise<Float32Array> {
  const n = Math.max(1, Math.min(REFINER_T, Math.round(steps)));
  const [, h, w] = sr.shape;
  // the UNet halves once: work on an even-sized copy, then crop
  const H = h + (h & 1),
    W = w + (w & 1);
  const pad = (src: Float32Array, fill = 0): Float32Array => {
    if (H === h && W === w) return src;
    const out = new Float32Array(H * W * 3).fill(fill);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) out[(y * W + x) * 3 + c] = src[(Math.min(y, h - 1) * w + Math.min(x, w - 1)) * 3 + c];
    return out;
  };
  const cond: HostTensor = { data: pad(sr.data).map((v) => v * 2 - 1), shape: [1, H, W, 3] };
  const den = createDenoiser({ net: runnerNet(net, { cond }), parameterisation: 'x0', schedule: refinerSchedule(), latentDim: LATENT_DIM });
  // from the top level (pure noise, as in training) down n respaced levels: the residual has mean 0
  const r0 = await sampleDiffgan(den, { shape: [1, H, W, 3], rng, steps: n, start: 'zero-mean', temperature });
  const out = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++)
    for (let xx = 0; xx < w; xx++)
      for (let c = 0; c < 3; c++) {
        const k = (y * w + xx) * 3 + c;
        out[k] = Math.min(1, Math.max(0, sr.data[k] + r0[(y * W + xx) * 3 + c] / RES_SCALE));
      }
  return out;
}

/** A Refiner over the refiner UNet loaded in any runner (onnxruntime-node, -web or tfjs), sampling at `temperature`. */
export function refinerFromRunner(runner: Runner, temperature = 1): Refiner {
  return (sr, _lr, steps, rng) => refineTile(runner, sr, steps, rng, temperature);
}

/** The largest sampling temperature a refiner manifest, the recipe and the export accept (1 = the posterior's own spread). */
export const MAX_REFINER_TEMPERATURE = 2;

/** A refiner manifest's sampling temperature: config.temperature, 1 when it has none (the refiners shipped before it). */
export function refinerTemperature(manifest: { name?: string; config?: Record<string, unknown> }): number {
  const t = manifest.config?.temperature;
  if (t === undefined) return 1;
  if (typeof t !== 'number' || !(t >= 0 && t <= MAX_REFINER_TEMPERATURE))
    throw new DiffganError(`${manifest.name ?? 'refiner'}: config.temperature ${JSON.stringify(t)} is not a number in [0, ${MAX_REFINER_TEMPERATURE}]`);
  return t;
}
