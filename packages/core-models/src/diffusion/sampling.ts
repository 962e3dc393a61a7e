/**
 * The sampler library, in k-diffusion's shape: a Denoiser wraps a net with its
 * parameterisation, schedule and time-input convention; the samplers are free functions of
 * a Denoiser. Everything runs on host Float32Arrays with an async net, so any runner
 * (onnxruntime-node, -web, tfjs) samples through the same code, in Node and in the browser
 * (no tfjs here: `portable` re-exports this module).
 *
 * One level rule for every sampler and refiner: `respace(schedule, steps)` picks the levels,
 * always from the top noise level down (see the README, "Refiner start rule").
 *
 * Arithmetic order is part of the contract: the per-pixel updates round to float32 where the
 * tfjs samplers did, so the seed table's numbers replay bit for bit.
 */
import type { HostTensor, Runner } from '../onnx/ort-session';
import type { Rng } from '../rng';
import type { Parameterisation } from './parameterisation';
import { alphaBarAt, posteriorCoefs, respace, respaceOnto, Schedule } from './schedule';

/** The nets see timestep index i of a T-step schedule as i·1000/T (see timeInput). */
export const TIME_INPUT_RANGE = 1000;

/**
 * The time-input convention of every net in the repo: index i of a T-step schedule is fed
 * as i·1000/T, so the sinusoidal embedding spreads T = 2 or 4 as well as T = 1000.
 * Training objectives and the Denoiser both use this one definition.
 */
export function timeInput(index: number, T: number): number {
  return (index * TIME_INPUT_RANGE) / T;
}

/** A net on host arrays: x [n, ...], t [n] (time input), z [n, latentDim] for a generator; returns its raw prediction (x's size). */
export type HostNet = (inputs: { x: HostTensor; t: HostTensor; z?: HostTensor }) => Promise<Float32Array>;

/** A runner as a HostNet: `fixed` inputs (e.g. a condition image) go with every call; the prediction is output `output`. */
export function runnerNet(runner: Pick<Runner, 'run'>, fixed: Record<string, HostTensor> = {}, output = 'out'): HostNet {
  return async (inputs) => {
    const feeds: Record<string, HostTensor> = { ...fixed, x: inputs.x, t: inputs.t };
    if (inputs.z) feeds.z = inputs.z;
    return (await runner.run(feeds))[output].data;
  };
}

export interface Denoiser {
  readonly schedule: Schedule;
  readonly parameterisation: Parameterisation;
  /** > 0 for a generator G(x_t, z, t): the samplers draw z [n, latentDim] before every call */
  readonly latentDim: number;
  /** The x0 prediction from x at timestep index t (shared by the batch); z: the generator's latent. */
  predictX0(x: HostTensor, t: number, z?: Float32Array): Promise<Float32Array>;
}

export interface DenoiserOptions {
  net: HostNet;
  parameterisation: Parameterisation;
  schedule: Schedule;
  latentDim?: number;
}

/** Wraps a net: converts its prediction to x0 and feeds it the time input of the convention. */
export function createDenoiser(o: DenoiserOptions): Denoiser {
  const s = o.schedule,
    latentDim = o.latentDim ?? 0;
  return {
    schedule: s,
    parameterisation: o.parameterisation,
    latentDim,
    async predictX0(x, t, z) {
      const n = x.shape[0];
      const tIn = { data: new Float32Array(n).fill(timeInput(t, s.T)), shape: [n] };
      const pred = await o.net({ x, t: tIn, ...(z ? { z: { data: z, shape: [n, latentDim] } } : {}) });
      if (o.parameterisation === 'x0') return pred;
      const ab = alphaBarAt(s, t),
        sa = Math.sqrt(ab),
        sb = Math.sqrt(1 - ab),
        out = new Float32Array(pred.length);
      // eps: x0 = (x − sb·eps)/sa ; v: x0 = sa·x − sb·v
      if (o.parameterisation === 'eps') for (let i = 0; i < out.length; i++) out[i] = (x.data[i] - sb * pred[i]) / sa;
      else for (let i = 0; i < out.length; i++) out[i] = sa * x.data[i] - sb * pred[i];
      return out;
    },
  };
}

/** q(x_t | x0) on host arrays: sqrt(ᾱ_t)·x0 + sqrt(1 − ᾱ_t)·noise at index t. */
export function addNoise(s: Schedule, x0: Float32Array, t: number, noise: Float32Array): Float32Array {
  const ab = alphaBarAt(s, t),
    sa = Math.sqrt(ab),
    sb = Math.sqrt(1 - ab),
    out = new Float32Array(x0.length);
  for (let i = 0; i < out.length; i++) out[i] = sa * x0[i] + sb * noise[i];
  return out;
}

export interface SampleOptions {
  /** one batch, e.g. [n, 28, 28, 1] */
  shape: number[];
  /** every draw (the start, latents, step noise), in sampling order */
  rng: Rng;
  /** how many of the schedule's levels to visit, chosen by respace (default: all T) */
  steps?: number;
  /** the levels to visit instead (ascending, e.g. [0, 1] = the two least noisy); the chain is respaced onto them */
  levels?: number[];
  /** clip every x0 prediction (images in [-1, 1]) */
  clip?: [number, number];
  /**
   * The starting state: 'standard' x ~ N(0, I); 'zero-mean' x ~ q(x_top | x0 = 0) = N(0, 1 − ᾱ_top),
   * for data whose mean is 0 (the refiners' residuals).
   */
  start?: 'standard' | 'zero-mean';
  /**
   * Scales every draw (the start, a generator's latents, the step noise); default 1. Below 1 the
   * chain moves toward its mean (0: deterministic), trading texture for fidelity.
   */
  temperature?: number;
}

const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** The levels a sampler visits (ascending) and the schedule respaced onto them. */
function levelsOf(s: Schedule, o: SampleOptions): { timesteps: number[]; schedule: Schedule } {
  return o.levels ? { timesteps: o.levels, schedule: respaceOnto(s, o.levels) } : respace(s, o.steps ?? s.T);
}

/** n standard normal draws scaled by the temperature (the same draws at every temperature). */
function draws(o: SampleOptions, n: number): Float32Array {
  const x = o.rng.normalArray(n),
    tau = o.temperature ?? 1;
  if (tau !== 1) for (let i = 0; i < n; i++) x[i] *= tau;
  return x;
}

function startState(s: Schedule, top: number, o: SampleOptions): Float32Array {
  const x = draws(o, sizeOf(o.shape));
  if (o.start === 'zero-mean') {
    const sd = Math.sqrt(1 - alphaBarAt(s, top));
    for (let i = 0; i < x.length; i++) x[i] *= sd;
  }
  return x;
}

function clipInPlace(x: Float32Array, c?: [number, number]): Float32Array {
  if (c) for (let i = 0; i < x.length; i++) x[i] = Math.min(c[1], Math.max(c[0], x[i]));
  return x;
}

/**
 * x_{t-1} ~ q(x_{t-1} | x_t, x0') at every visited level, the last x0' is the sample. A z is
 * drawn before every call of a generator (latentDim > 0); the step noise after it.
 */
async function posteriorChain(den: Denoiser, o: SampleOptions): Promise<Float32Array> {
  const s = den.schedule,
    n = o.shape[0];
  const { timesteps, schedule: rs } = levelsOf(s, o);
  let x = startState(s, timesteps[timesteps.length - 1], o);
  for (let k = timesteps.length - 1; k >= 0; k--) {
    const z = den.latentDim > 0 ? draws(o, n * den.latentDim) : undefined;
    const pred = await den.predictX0({ data: x, shape: o.shape }, timesteps[k], z);
    const x0 = o.clip ? clipInPlace(Float32Array.from(pred), o.clip) : pred;
    if (k === 0) return x0; // the respaced posterior at index 0 is x0 itself (c0 = 1, ct = 0, no noise)
    const c = posteriorCoefs(rs, k),
      sd = Math.sqrt(c.variance),
      next = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) next[i] = Math.fround(Math.fround(x0[i] * c.c0) + Math.fround(x[i] * c.ct));
    const noise = draws(o, x.length);
    for (let i = 0; i < x.length; i++) next[i] += noise[i] * sd;
    x = next;
  }
  throw new Error('unreachable: respace returns at least one level');
}

/**
 * Ancestral DDPM sampling (Ho et al. 2020) on the respaced schedule: steps = T is the
 * original sampler, fewer steps the respaced one of Nichol & Dhariwal.
 */
export async function sampleAncestral(den: Denoiser, o: SampleOptions): Promise<Float32Array> {
  if (den.latentDim > 0) throw new Error('sampleAncestral: the denoiser has a latent input (a DiffGAN generator): use sampleDiffgan');
  return posteriorChain(den, o);
}

/**
 * Denoising-diffusion-GAN sampling (Xiao et al. 2022): the generator's x0' (with a fresh
 * latent z per call when it has one) and a posterior draw x_{t-1} ~ q(x_{t-1} | x_t, x0') per
 * visited level. The same chain as sampleAncestral, with a generator's sample in place of a
 * denoiser's posterior mean.
 */
export async function sampleDiffgan(den: Denoiser, o: SampleOptions): Promise<Float32Array> {
  return posteriorChain(den, o);
}

/**
 * DDIM (Song et al. 2021) over the respaced levels; eta = 0 is deterministic, eta = 1 has
 * DDPM's step variance. eps is recomputed from the (clipped) x0, so clipping keeps the pair
 * consistent.
 */
export async function sampleDdim(den: Denoiser, o: SampleOptions & { eta?: number }): Promise<Float32Array> {
  if (den.latentDim > 0) throw new Error('sampleDdim: the denoiser has a latent input (a DiffGAN generator): use sampleDiffgan');
  const s = den.schedule,
    eta = o.eta ?? 0;
  const { timesteps } = levelsOf(s, o);
  let x = startState(s, timesteps[timesteps.length - 1], o);
  for (let k = timesteps.length - 1; k >= 0; k--) {
    const t = timesteps[k];
    const pred = await den.predictX0({ data: x, shape: o.shape }, t);
    const x0 = o.clip ? clipInPlace(Float32Array.from(pred), o.clip) : pred;
    if (k === 0) return x0;
    const ab = alphaBarAt(s, t),
      abPrev = alphaBarAt(s, timesteps[k - 1]);
    const sigma = eta * Math.sqrt(((1 - abPrev) / (1 - ab)) * (1 - ab / abPrev));
    const sa = Math.sqrt(ab),
      sb = Math.sqrt(1 - ab),
      ap = Math.sqrt(abPrev),
      bp = Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma));
    const next = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const eps = (x[i] - sa * x0[i]) / sb;
      next[i] = x0[i] * ap + eps * bp;
    }
    if (sigma > 0) {
      const noise = draws(o, x.length);
      for (let i = 0; i < x.length; i++) next[i] += noise[i] * sigma;
    }
    x = next;
  }
  throw new Error('unreachable: respace returns at least one level');
}
