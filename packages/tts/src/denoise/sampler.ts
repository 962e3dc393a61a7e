/**
 * Inference of the spectrogram denoiser: deterministic DDIM (eta 0) with the network's
 * x0-prediction, over `steps` evenly spaced timesteps of the training schedule (cosine,
 * T = 1000). The state is the normalised log-magnitude residual (real - generator).
 */
import { cosineNoiseSchedule, Rng } from '@diffgan/core-models';
import type { Runner } from '@diffgan/core-models';
import { N_BINS, DIFFUSION_T } from '../synth/nets';

/** Deterministic DDIM (eta 0, x0-parameterisation) over `steps` evenly spaced timesteps. */
export async function denoiseResidual(den: Runner, cond: Float32Array, frames: number, steps: number, seed = 0): Promise<Float32Array> {
  const s = cosineNoiseSchedule(DIFFUSION_T);
  const ts = Array.from({ length: steps }, (_, i) => Math.round((DIFFUSION_T - 1) * (1 - i / steps)));
  const rng = new Rng(seed);
  let x: Float32Array = Float32Array.from({ length: frames * N_BINS }, () => rng.normal());
  let x0 = new Float32Array(x.length);
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    const res = await den.run({ x: { data: x, shape: [1, frames, 1, N_BINS] }, cond: { data: cond, shape: [1, frames, 1, N_BINS] }, t: { data: new Float32Array([t]), shape: [1] } });
    x0 = Float32Array.from(res.out.data);
    const ab = s.alphaBars[t], abNext = i + 1 < ts.length ? s.alphaBars[ts[i + 1]] : 1;
    const next = new Float32Array(x.length);
    for (let j = 0; j < x.length; j++) {
      const eps = (x[j] - Math.sqrt(ab) * x0[j]) / Math.sqrt(Math.max(1 - ab, 1e-8));
      next[j] = Math.sqrt(abNext) * x0[j] + Math.sqrt(1 - abNext) * eps;
    }
    x = next;
  }
  return x0;
}

