/**
 * Shared pieces of the seed-table experiment: the model sizes, the family interface, tfjs
 * wrappers used by the discriminator probes, and host-side samplers that run the exported nets on
 * onnxruntime-node (createRunner) so every model is sampled and timed on one runtime.
 *
 * The host samplers replicate core-models' tfjs samplers step for step, including the
 * order of random draws (seed-table.test.ts checks ddpm/ddim/diffgan against them).
 */
import {
  tf, forward, GraphSpec, GroupConfig, HostBatch, LossEnv, Model, Ops, Rng, Runner, Schedule,
  alphaBarAt, posteriorCoefs, respace, unet, patchDiscriminator, dcganGenerator,
} from '@diffgan/core-models';

export const IMG = 28;
export const PIXELS = IMG * IMG;
/** Every family's nets come from these configurations (sizes in README "Seed table"). */
export const UNET_CHANNELS = [16, 32, 64];
export const EMB_DIM = 32;
export const LATENT_DIM = 64;
export const GROUPS = 8;

export const unetSpec = (latentDim?: number, name = 'unet'): GraphSpec =>
  unet({ inChannels: 1, outChannels: 1, channels: UNET_CHANNELS, blocksPerLevel: 1, embDim: EMB_DIM, groups: GROUPS, latentDim }, name);
export const ganGeneratorSpec = (): GraphSpec => dcganGenerator({ latentDim: LATENT_DIM, channels: 64, outChannels: 1 }, 'dcgan_g');
/**
 * Every discriminator: three levels (28 → 14 → 7), 7x7 patch scores whose receptive field
 * spans the digit. With two levels (14x14 scores) DiffGAN's D separated real from generated
 * pairs at t = 1 only weakly (AUC 0.60) and its samples had real strokes in wrong shapes:
 * FID 133.5 vs 98.2 with this D (README, "Discriminator").
 */
export const D_CHANNELS = [32, 64, 128];
export const ganDiscriminatorSpec = (): GraphSpec => patchDiscriminator({ inChannels: 1, channels: D_CHANNELS }, 'dcgan_d');
/** D(x_{t-1}, x_t, t): the two images concatenated on channels. */
export const timeDiscriminatorSpec = (): GraphSpec => patchDiscriminator({ inChannels: 2, channels: D_CHANNELS, embDim: EMB_DIM }, 'diffgan_d');

/**
 * The nets see the timestep index on a 0..1000 scale whatever T is (index · 1000/T), so
 * the sinusoidal embedding spreads T = 2 or 4 as well as T = 1000.
 */
export const tInput = (t: number[], T: number): number[] => t.map((i) => (i * 1000) / T);
/** tInput as the nets' `t` input ([n]), on any Ops (tfOps in the probes, e.ops in the objectives). */
export const tTensor = <T>(o: Ops<T>, t: number[], steps: number): T => o.constant(tInput(t, steps), [t.length]);

// Training inputs travel as host arrays (core-models runParallel): drawn on the main thread,
// split along dim 0 across the workers, turned into tensors inside the objective (e.input).

/** n·IMG·IMG standard normal values as an image batch entry. */
export const noiseImages = (rng: Rng, n: number): HostBatch[string] => ({ data: rng.normalArray(n * PIXELS), shape: [n, IMG, IMG, 1] });
/** n latent vectors. */
export const latents = (rng: Rng, n: number, dim = LATENT_DIM): HostBatch[string] => ({ data: rng.normalArray(n * dim), shape: [n, dim] });
/** n timestep indices in [lo, T). */
export const timesteps = (rng: Rng, n: number, T: number, lo = 0): HostBatch[string] => ({ data: Float32Array.from({ length: n }, () => lo + rng.int(T - lo)), shape: [n] });
/** n images drawn with replacement from a flat set of IMGxIMG images (the training batches' draw). */
export function pickImages(images: Float32Array, n: number, rng: Rng): Float32Array {
  const count = images.length / PIXELS, out = new Float32Array(n * PIXELS);
  for (let k = 0; k < n; k++) { const i = rng.int(count); out.set(images.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS); }
  return out;
}
export const image = (e: HostBatch[string]): tf.Tensor4D => tf.tensor4d(e.data, e.shape as [number, number, number, number]);
export const vector = (e: HostBatch[string]): tf.Tensor2D => tf.tensor2d(e.data, e.shape as [number, number]);
export const indices = (e: HostBatch[string]): number[] => Array.from(e.data);

/** Runs a net on tfjs (the discriminator probes); returns its first output. */
export function run(m: Model, inputs: Record<string, tf.Tensor>): tf.Tensor4D {
  const out = forward(m.spec, m.params, inputs);
  return out[m.spec.outputs[0].name] as tf.Tensor4D;
}

/** Inference nets of a trained family: name → runner (ORT). */
export type Nets = Record<string, Runner>;

export interface SamplerDef {
  id: string;
  label: string;
  /** network evaluations per image */
  nfe: number;
  /** n images (n·784 floats, NHWC, nominally [-1, 1]) */
  sample(nets: Nets, n: number, rng: Rng): Promise<Float32Array>;
}

export interface Family {
  id: string;
  label: string;
  /** what one training step does, for the report */
  stepNote: string;
  groups(seed: number): Record<string, GroupConfig>;
  /** trainer groups updated each training step, in order */
  phases: string[];
  /** main thread: the step's randomness besides the real images (latents, timesteps, noises) for n samples */
  stepInputs(rng: Rng, n: number): HostBatch;
  /**
   * worker: the loss of `e.phase` on `e.shard` (real images in shard.real), a per-sample mean, written once for
   * tfjs and the onnxruntime engine (core-models LossEnv); `e.rng` only for R1 directions
   */
  objective<T>(e: LossEnv<T>): T;
  /** adversarial families: how to read their discriminator (diagnostics, not training) */
  discriminator?: DiscriminatorInfo;
  /** nets to export for sampling: name → [group, EMA?] */
  exports: Record<string, { group: string; ema: boolean }>;
  samplers: SamplerDef[];
}

/** One condition of a discriminator probe: D's mean score per sample on real and on generated inputs. */
export interface DiscriminatorScores { condition: string; real: tf.Tensor1D; fake: tf.Tensor1D }

export interface DiscriminatorInfo {
  /** the 'd' phase loss when D cannot tell real from fake (its best constant output): 2 ln 2 non-saturating, 0.25 LSGAN */
  lossAtChance: number;
  /** score above which D says "real": 0 for logits, 0.5 for LSGAN's 0/1 targets */
  threshold: number;
  /** D's scores on n real images (and what the step pairs them with) and on n generated ones, per condition */
  probe(models: Record<string, Model>, real: tf.Tensor4D, rng: Rng): DiscriminatorScores[];
}

/** Mean over each sample's patch scores: [n, h, w, 1] → [n]. */
export const perSampleScore = (x: tf.Tensor4D): tf.Tensor1D => x.mean([1, 2, 3]) as tf.Tensor1D;

// ---------------------------------------------------------------------------------------
// host-side samplers (Float32Array + ORT). `net(x, tIdx)` returns the raw prediction.

export type HostDenoiser = (x: Float32Array, t: number[]) => Promise<Float32Array>;

/** Wraps a (x, t) runner as a HostDenoiser on a schedule of T steps. */
export function hostDenoiser(r: Runner, n: number, T: number): HostDenoiser {
  return async (x, t) => (await r.run({ x: { data: x, shape: [n, IMG, IMG, 1] }, t: { data: Float32Array.from(tInput(t, T)), shape: [n] } })).out.data;
}

const clip = (v: number, c?: [number, number]): number => (c ? Math.min(c[1], Math.max(c[0], v)) : v);

/** eps prediction → x0 (and eps) at index t for every pixel; in place into x0. */
function epsToX0(s: Schedule, x: Float32Array, eps: Float32Array, t: number): Float32Array {
  const ab = alphaBarAt(s, t), sa = Math.sqrt(ab), sb = Math.sqrt(1 - ab), out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - sb * eps[i]) / sa;
  return out;
}

/** Ancestral DDPM on the respaced schedule (core-models ddpmSample, eps parameterisation). */
export async function hostDdpm(net: HostDenoiser, s: Schedule, n: number, rng: Rng, o: { steps?: number; clip?: [number, number] } = {}): Promise<Float32Array> {
  const { timesteps, schedule: rs } = respace(s, o.steps ?? s.T);
  const size = n * PIXELS;
  let x = rng.normalArray(size);
  for (let k = timesteps.length - 1; k >= 0; k--) {
    const t = new Array(n).fill(timesteps[k]);
    const x0 = epsToX0(s, x, await net(x, t), timesteps[k]);
    const c = posteriorCoefs(rs, k);
    const next = new Float32Array(size);
    for (let i = 0; i < size; i++) next[i] = Math.fround(Math.fround(clip(x0[i], o.clip) * c.c0) + Math.fround(x[i] * c.ct));
    if (k > 0) { const z = rng.normalArray(size), sd = Math.sqrt(c.variance); for (let i = 0; i < size; i++) next[i] += z[i] * sd; }
    x = next;
  }
  return x;
}

/** DDIM, eta = 0 (deterministic), core-models ddimSample with the eps parameterisation. */
export async function hostDdim(net: HostDenoiser, s: Schedule, n: number, rng: Rng, o: { steps: number; clip?: [number, number] }): Promise<Float32Array> {
  const { timesteps } = respace(s, o.steps);
  const size = n * PIXELS;
  let x = rng.normalArray(size);
  for (let k = timesteps.length - 1; k >= 0; k--) {
    const ti = timesteps[k];
    const t = new Array(n).fill(ti);
    const x0 = epsToX0(s, x, await net(x, t), ti);
    if (o.clip) for (let i = 0; i < size; i++) x0[i] = clip(x0[i], o.clip);
    if (k === 0) return x0;
    const ab = alphaBarAt(s, ti), abPrev = alphaBarAt(s, timesteps[k - 1]);
    const sa = Math.sqrt(ab), sb = Math.sqrt(1 - ab), ap = Math.sqrt(abPrev), bp = Math.sqrt(1 - abPrev);
    const next = new Float32Array(size);
    for (let i = 0; i < size; i++) { const eps = (x[i] - sa * x0[i]) / sb; next[i] = x0[i] * ap + eps * bp; }
    x = next;
  }
  return x;
}

/** Posterior draw x_{t-1} ~ q(x_{t-1} | x_t, x0) for one shared index t (t = 0: x0). */
export function hostPosterior(s: Schedule, x0: Float32Array, xt: Float32Array, t: number, rng: Rng): Float32Array {
  const c = posteriorCoefs(s, t), size = x0.length;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = x0[i] * c.c0 + xt[i] * c.ct;
  const z = rng.normalArray(size), sd = t > 0 ? Math.sqrt(c.variance) : 0;
  for (let i = 0; i < size; i++) out[i] += z[i] * sd;
  return out;
}

/** Denoising-diffusion-GAN sampling (core-models diffganSample): T generator calls. */
export async function hostDiffgan(g: Runner, s: Schedule, n: number, rng: Rng, latentDim: number): Promise<Float32Array> {
  let x = rng.normalArray(n * PIXELS);
  for (let i = s.T - 1; i >= 0; i--) {
    const z = rng.normalArray(n * latentDim);
    const x0 = (await g.run({ x: { data: x, shape: [n, IMG, IMG, 1] }, t: { data: Float32Array.from(tInput(new Array(n).fill(i), s.T)), shape: [n] }, z: { data: z, shape: [n, latentDim] } })).out.data;
    x = i === 0 ? x0 : hostPosterior(s, x0, x, i, rng);
  }
  return x;
}

export async function hostGenerate(g: Runner, n: number, rng: Rng, latentDim: number): Promise<Float32Array> {
  return (await g.run({ z: { data: rng.normalArray(n * latentDim), shape: [n, latentDim] } })).img.data;
}
