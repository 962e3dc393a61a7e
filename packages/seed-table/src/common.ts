/**
 * Shared pieces of the seed-table experiment: the model sizes, the family interface, tfjs
 * wrappers used by the discriminator probes, and the exported nets as core-models Denoisers,
 * run on onnxruntime-node (createRunner) so every model is sampled and timed on one runtime.
 */
import {
  GraphSpec,
  HostBatch,
  LossEnv,
  Ops,
  Rng,
  Runner,
  Schedule,
  Denoiser,
  createDenoiser,
  runnerNet,
  sampleAncestral,
  sampleDdim,
  timeInput,
  unet,
  patchDiscriminator,
  dcganGenerator,
} from '@diffgan/core-models';
import { tf, forward, GroupConfig, Model } from '@diffgan/core-models/train';

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
/**
 * D(x_{t-1}, x_t, t): the two images concatenated on channels. Variants for the capacity test
 * (README, "Discriminator"): 'wide' doubles every level's channels (about 4x the parameters),
 * 'deep' adds two convs per level (twice the depth, 2.3x the parameters).
 */
export type DiscriminatorVariant = 'base' | 'wide' | 'deep';
/**
 * The DiffGAN rows' D. The capacity test at 8,000 steps (DiffGAN-4, same G) measured FID 20.7 with
 * the deep D against 49.5 wide and 56.6 base (docs/experiments/eval-seed-table.md, "At plateau"), so
 * the plateau table uses the deep one; the 3,000-step table was measured with 'base' (its rows now
 * run as diffgan2-dbase / diffgan4-dbase).
 */
export const TABLE_D: DiscriminatorVariant = 'deep';
export const timeDiscriminatorSpec = (v: DiscriminatorVariant = 'base'): GraphSpec =>
  patchDiscriminator(
    {
      inChannels: 2,
      channels: v === 'wide' ? D_CHANNELS.map((c) => 2 * c) : D_CHANNELS,
      embDim: EMB_DIM,
      ...(v === 'deep' ? { extraConvs: 2 } : {}),
    },
    'diffgan_d',
  );

/** Timestep indices as the nets' `t` input ([n], core-models' timeInput convention), on any Ops (tfOps in the probes, e.ops in the objectives). */
export const tTensor = <T>(o: Ops<T>, t: number[], steps: number): T =>
  o.constant(
    t.map((i) => timeInput(i, steps)),
    [t.length],
  );

// Training inputs travel as host arrays (core-models runParallel): drawn on the main thread,
// split along dim 0 across the workers, turned into tensors inside the objective (e.input).

/** n·IMG·IMG standard normal values as an image batch entry. */
export const noiseImages = (rng: Rng, n: number): HostBatch[string] => ({ data: rng.normalArray(n * PIXELS), shape: [n, IMG, IMG, 1] });
/** n latent vectors. */
export const latents = (rng: Rng, n: number, dim = LATENT_DIM): HostBatch[string] => ({ data: rng.normalArray(n * dim), shape: [n, dim] });
/** n timestep indices in [lo, T). */
export const timesteps = (rng: Rng, n: number, T: number, lo = 0): HostBatch[string] => ({
  data: Float32Array.from({ length: n }, () => lo + rng.int(T - lo)),
  shape: [n],
});
/** n images drawn with replacement from a flat set of IMGxIMG images (the training batches' draw). */
export function pickImages(images: Float32Array, n: number, rng: Rng): Float32Array {
  const count = images.length / PIXELS,
    out = new Float32Array(n * PIXELS);
  for (let k = 0; k < n; k++) {
    const i = rng.int(count);
    out.set(images.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
  }
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
export interface DiscriminatorScores {
  condition: string;
  real: tf.Tensor1D;
  fake: tf.Tensor1D;
}

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
// sampling: the exported nets as core-models Denoisers (the samplers are core-models')

/** An image batch of n. */
export const imageShape = (n: number): number[] => [n, IMG, IMG, 1];

/** A trained net (x, t[, z]) → prediction as a Denoiser on schedule s. */
export const netDenoiser = (r: Runner, s: Schedule, parameterisation: 'eps' | 'x0', latentDim?: number): Denoiser =>
  createDenoiser({ net: runnerNet(r), parameterisation, schedule: s, latentDim });

/** The DDPM UNet (eps) on schedule s: ancestral ('ddpm') or DDIM (eta 0) over `steps` respaced levels, x0 clipped to `clip`. */
export function sampleUnet(
  den: Runner,
  s: Schedule,
  n: number,
  rng: Rng,
  o: { sampler: 'ddpm' | 'ddim'; steps: number; clip: [number, number] },
): Promise<Float32Array> {
  const opts = { shape: imageShape(n), rng, steps: o.steps, clip: o.clip };
  return o.sampler === 'ddpm' ? sampleAncestral(netDenoiser(den, s, 'eps'), opts) : sampleDdim(netDenoiser(den, s, 'eps'), opts);
}

// apps/cli's `sample` command still calls these three: sampleUnet under the old names
/** @deprecated the runner itself (sampleUnet wraps it) */
export const hostDenoiser = (r: Runner, _n?: number, _T?: number): Runner => r;
/** @deprecated sampleUnet with sampler 'ddpm' */
export const hostDdpm = (den: Runner, s: Schedule, n: number, rng: Rng, o: { steps?: number; clip: [number, number] }): Promise<Float32Array> =>
  sampleUnet(den, s, n, rng, { sampler: 'ddpm', steps: o.steps ?? s.T, clip: o.clip });
/** @deprecated sampleUnet with sampler 'ddim' */
export const hostDdim = (den: Runner, s: Schedule, n: number, rng: Rng, o: { steps: number; clip: [number, number] }): Promise<Float32Array> =>
  sampleUnet(den, s, n, rng, { sampler: 'ddim', steps: o.steps, clip: o.clip });

export async function hostGenerate(g: Runner, n: number, rng: Rng, latentDim: number): Promise<Float32Array> {
  return (await g.run({ z: { data: rng.normalArray(n * latentDim), shape: [n, latentDim] } })).img.data;
}
