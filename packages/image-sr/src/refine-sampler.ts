/**
 * The refiner's sampling loop and constants (runtime-free, shared with the browser entry).
 *
 * Few-step diffusion refinement (DiffGAN style) of the generator's output. The refiner
 * models the residual r = (HR − G(LR))·RES_SCALE, conditioned on G(LR): a small UNet
 * predicts r0 from (r_t, z, t, cond) and r_{t-1} is drawn from q(r_{t-1} | r_t, r0), as in
 * the denoising diffusion GAN (Xiao et al. 2022) with T = 4 steps of a VP-SDE schedule.
 * `--refine N` runs N of the T steps from pure noise (respaced like DDIM/DDPM step skipping):
 * 1 predicts the residual once from the top noise level, where the net leans on the
 * conditioning (fidelity); 4 walks every level down to the least noisy one and ends with
 * the most synthesised texture.
 */
import { vpSdeSchedule, posteriorCoefs, alphaBarAt, respace, Rng, HostTensor, Runner, DiffganError } from '@diffgan/core-models/dist/portable';
import type { Refiner } from './core';
import type { UNetConfig } from '@diffgan/core-models';

export const REFINER_T = 4;
export const RES_SCALE = 8;
/** Time is fed to the sinusoidal embedding as index·(1000/T), the range DDPM embeddings expect. */
export const T_EMBED_SCALE = 1000 / REFINER_T;
export const LATENT_DIM = 8;
/** No normalisation layers: per-tile statistics would make tiled output depend on the tiling. */
export const REFINER_CONFIG: UNetConfig = { inChannels: 3, outChannels: 3, channels: [16, 32], blocksPerLevel: 1, embDim: 32, latentDim: LATENT_DIM, condChannels: 3 };
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

export type Net = (x: HostTensor, t: number, z: Float32Array, cond: HostTensor) => Promise<Float32Array>;

/** The sampling loop on host arrays (the network runs wherever `net` runs). */
export async function refineTile(net: Net, sr: HostTensor, steps: number, rng: Rng): Promise<Float32Array> {
  const s = refinerSchedule();
  const n = Math.max(1, Math.min(REFINER_T, Math.round(steps)));
  const [, h, w] = sr.shape;
  // the UNet halves once: work on an even-sized copy, then crop
  const H = h + (h & 1), W = w + (w & 1);
  const pad = (src: Float32Array, fill = 0): Float32Array => {
    if (H === h && W === w) return src;
    const out = new Float32Array(H * W * 3).fill(fill);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) out[(y * W + x) * 3 + c] = src[(Math.min(y, h - 1) * w + Math.min(x, w - 1)) * 3 + c];
    return out;
  };
  const cond: HostTensor = { data: pad(sr.data).map((v) => v * 2 - 1), shape: [1, H, W, 3] };
  const size = H * W * 3;
  // Always start from the top level (alphaBar ≈ 4e-5: pure noise, as in training) and visit
  // n of the T levels (respace: 1 → [3], 2 → [0, 3], 4 → all). Starting lower with a
  // zero-mean residual would feed the net an input it never saw: at level 0 half of its
  // training input is the true residual.
  const { timesteps, schedule: rs } = respace(s, n);
  let x: Float32Array = rng.normalArray(size).map((e) => e * Math.sqrt(1 - alphaBarAt(s, timesteps[n - 1])));
  let r0: Float32Array = new Float32Array(size);
  for (let i = n - 1; i >= 0; i--) {
    r0 = await net({ data: x, shape: [1, H, W, 3] }, timesteps[i] * T_EMBED_SCALE, rng.normalArray(LATENT_DIM), cond);
    if (i > 0) {
      const { c0, ct, variance } = posteriorCoefs(rs, i), sd = Math.sqrt(variance);
      const next = new Float32Array(size);
      for (let k = 0; k < size; k++) next[k] = c0 * r0[k] + ct * x[k] + sd * rng.normal();
      x = next;
    }
  }
  const out = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let c = 0; c < 3; c++) {
    const k = (y * w + xx) * 3 + c;
    out[k] = Math.min(1, Math.max(0, sr.data[k] + r0[(y * W + xx) * 3 + c] / RES_SCALE));
  }
  return out;
}

/** A Refiner over the refiner UNet loaded in any runner (onnxruntime-node, -web or tfjs). */
export function refinerFromRunner(runner: Runner): Refiner {
  const net: Net = async (x, t, z, cond) => {
    const out = await runner.run({ x, t: { data: Float32Array.of(t), shape: [1] }, z: { data: z, shape: [1, LATENT_DIM] }, cond });
    return out.out.data;
  };
  return (sr, _lr, steps, rng) => refineTile(net, sr, steps, rng);
}
