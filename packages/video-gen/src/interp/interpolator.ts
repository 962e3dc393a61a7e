/**
 * The neural interpolator at inference: motion-compensated inputs (host), the GAN
 * generator and optionally 1-2 refinement steps (ONNX Runtime through core-models'
 * createRunner, tfjs fallback). Only midpoints are ever predicted; other fractions are
 * reached by bisection (t = ¼ is the midpoint of (a, mid(a, b)), ¾ of (mid, b)), and the
 * midpoint of the current pair is cached, so factor 4 costs 3 network runs per pair.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createRunner, loadWeights, createDenoiser, runnerNet, sampleDiffgan, Runner, Rng, HostTensor, RunnerOptions } from '@diffgan/core-models';
import type { Frame } from '../frame';
import type { Interpolator } from '../interpolate';
import {
  prepareMidpoint,
  composeHost,
  padEdge,
  cropHwc,
  INTERP_ALIGN,
  REFINER_T,
  RES_SCALE,
  refinerSchedule,
  GENERATOR_NAME,
  REFINER_NAME,
  vgenWeightsDir,
} from './net';

export interface ModelInterpolatorOptions {
  /** Folder with interp_g(.dgw/.manifest.json) and optionally interp_refiner (default: the package's weights/, or $DIFFGAN_VGEN_WEIGHTS). */
  weightsDir?: string;
  /** Diffusion refinement steps after the GAN frame: 0 (off) to REFINER_T. Default: the refiner manifest's config.defaultSteps (1 if absent; 0 without refiner weights). */
  refineSteps?: number;
  /** Seed of the refinement noise; the same noise is used for every frame (no noise flicker). */
  seed?: number;
  /** ONNX Runtime intra-op threads (0 = one per core). */
  threads?: number;
  runtime?: RunnerOptions['runtime'];
}

export interface ModelInterpolator extends Interpolator {
  /** Midpoint of two RGB float frames in [0, 1] (width×height), RGB float (clamped to [0, 1]). */
  midpoint(f0: Float32Array, f1: Float32Array, width: number, height: number): Promise<Float32Array>;
  readonly refineSteps: number;
  readonly manifests: string[];
  dispose(): Promise<void>;
}

export function generatorManifestPath(dir?: string): string {
  return path.join(vgenWeightsDir(dir), `${GENERATOR_NAME}.manifest.json`);
}
export function refinerManifestPath(dir?: string): string {
  return path.join(vgenWeightsDir(dir), `${REFINER_NAME}.manifest.json`);
}

export function toFloat(f: Frame): Float32Array {
  const out = new Float32Array(f.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f.data[i] / 255;
  return out;
}

export function toFrame(x: Float32Array, width: number, height: number): Frame {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    const v = Math.round(x[i] * 255);
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { data, width, height };
}

export async function createModelInterpolator(opts: ModelInterpolatorOptions = {}): Promise<ModelInterpolator> {
  const gPath = generatorManifestPath(opts.weightsDir),
    rPath = refinerManifestPath(opts.weightsDir);
  const g = loadWeights(gPath);
  const gRunner = await createRunner(g.manifest.architecture, g.weights, { threads: opts.threads ?? 0, runtime: opts.runtime });
  const hasRefiner = fs.existsSync(rPath);
  // default: the steps the refiner's manifest recommends (0 for an untrained/no-op refiner)
  const recommended = hasRefiner ? Number(JSON.parse(fs.readFileSync(rPath, 'utf8')).config?.defaultSteps ?? 1) : 0;
  const refineSteps = Math.max(0, Math.min(REFINER_T, Math.round(opts.refineSteps ?? recommended)));
  let rRunner: Runner | undefined;
  if (refineSteps > 0) {
    if (!hasRefiner) throw new Error(`refinement requested but ${rPath} is missing`);
    const r = loadWeights(rPath);
    rRunner = await createRunner(r.manifest.architecture, r.weights, { threads: opts.threads ?? 0, runtime: opts.runtime });
  }
  const schedule = refinerSchedule();
  const seed = opts.seed ?? 0;

  async function midpoint(f0: Float32Array, f1: Float32Array, width: number, height: number): Promise<Float32Array> {
    const W = Math.ceil(width / INTERP_ALIGN) * INTERP_ALIGN,
      H = Math.ceil(height / INTERP_ALIGN) * INTERP_ALIGN;
    const p0 = padEdge(f0, width, height, 3, W, H),
      p1 = padEdge(f1, width, height, 3, W, H);
    const prep = prepareMidpoint(p0, p1, W, H);
    const out = (await gRunner.run({ x: { data: prep.x, shape: [1, H, W, 12] } })).out.data;
    let frame = composeHost(out, prep.w0, prep.w1);
    if (rRunner) {
      // few-step sampling of the residual (y − g)·RES_SCALE, conditioned on g: from the top
      // noise level down refineSteps respaced levels (core-models' one rule; README "Refiner start rule")
      const cond: HostTensor = { data: frame.map((v) => v * 2 - 1), shape: [1, H, W, 3] };
      const den = createDenoiser({ net: runnerNet(rRunner, { cond }), parameterisation: 'x0', schedule });
      const r0 = await sampleDiffgan(den, { shape: [1, H, W, 3], rng: new Rng(seed), steps: refineSteps, start: 'zero-mean' });
      frame = frame.map((v, k) => v + r0[k] / RES_SCALE);
    }
    for (let k = 0; k < frame.length; k++) frame[k] = frame[k] < 0 ? 0 : frame[k] > 1 ? 1 : frame[k];
    return cropHwc(frame, W, 3, width, height);
  }

  // cache: the float copies of the current pair and its midpoint
  let cache: { a: Frame; b: Frame; fa: Float32Array; fb: Float32Array; mid?: Promise<Float32Array> } | undefined;
  async function at(fa: Float32Array, fb: Float32Array, w: number, h: number, t: number, depth: number, mid?: Promise<Float32Array>): Promise<Float32Array> {
    const m = await (mid ?? midpoint(fa, fb, w, h));
    if (Math.abs(t - 0.5) < 1e-6) return m;
    if (depth >= 3) {
      // finer than 1/16: blend the two nearest dyadic frames
      const [u, v, s] = t < 0.5 ? [fa, m, t * 2] : [m, fb, t * 2 - 1];
      return u.map((x, k) => x + s * (v[k] - x));
    }
    return t < 0.5 ? at(fa, m, w, h, t * 2, depth + 1) : at(m, fb, w, h, t * 2 - 1, depth + 1);
  }

  const interpolate = (async (a: Frame, b: Frame, t: number): Promise<Frame> => {
    if (!cache || cache.a !== a || cache.b !== b) cache = { a, b, fa: toFloat(a), fb: toFloat(b) };
    const c = cache;
    c.mid ??= midpoint(c.fa, c.fb, a.width, a.height);
    return toFrame(await at(c.fa, c.fb, a.width, a.height, t, 0, c.mid), a.width, a.height);
  }) as ModelInterpolator;
  Object.assign(interpolate, {
    midpoint,
    refineSteps,
    manifests: rRunner ? [gPath, rPath] : [gPath],
    dispose: async () => {
      await gRunner.dispose();
      await rRunner?.dispose();
    },
  });
  return interpolate;
}
