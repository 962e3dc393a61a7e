/**
 * The Node entry point: upscale an image file, buffer or raw pixels x2 or x4 with the
 * shipped generator on onnxruntime-node (tfjs fallback), optionally followed by few-step
 * diffusion refinement. The tiling and pixel handling live in core.ts, shared with the
 * browser entry (browser.ts); this file adds files, weights on disk and runtimes.
 *
 * As UpscalerJS: `createUpscaler(opts)` loads the models once and owns them until
 * `dispose()`; there is no module-level state. The free `upscale()` is a one-shot
 * convenience (create, run, dispose): a session costs ~60 ms to create, which a single
 * call (the `sr` CLI) does not notice and a loop over many images should not pay.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createRunner, loadWeights, DiffganError, Runner, GraphSpec, RunnerOptions } from '@diffgan/core-models';
import { DEFAULT_MAX_PIXELS, readImageChecked, checkOutputPath, writePngAtomic } from './io';
import {
  RawImage,
  Refiner,
  Scale,
  TilingOptions,
  TileNet,
  UpscalerModels,
  tileNet,
  tiledUpscale,
  upscalePixels,
  checkScale,
  checkRefine,
  checkPixelLimit,
  validateRaw,
  DEFAULT_SCALE,
  upscalerSettings,
  withRefinerReady,
  withUpscaler,
} from './core';
import { loadRefiner, LoadedRefiner } from './refiner';
import { checkRefinerSteps } from './refine-sampler';
import { DEFAULT_WEIGHTS_DIR, modelWeightsName, refinerName, SrModel } from './names';

export type { Scale, Refiner, RawImage } from './core';

export { DEFAULT_SCALE } from './core';

/** What an upscaler is made of: fixed for its lifetime. */
export interface UpscalerOptions {
  /** 2 or 4 (default 4). */
  scale?: Scale;
  /** The generator: 'fidelity' (default; trained on bicubic LR) or 'real' (trained on degraded LR: JPEG photos). */
  model?: SrModel;
  /** Refinement steps of its calls unless a call says otherwise (default 0 = off); > 0 loads the refiner at creation. */
  refine?: number;
  /** Use this refiner instead of loading the shipped refinement weights. */
  refiner?: Refiner;
  /** ONNX Runtime intra-op threads (0 = one per core, the default). */
  threads?: number;
  /** Folder with sr_generator_x{2,4}.dgw and manifests (default: $DIFFGAN_SR_WEIGHTS, else the package's weights/). */
  weightsDir?: string;
  /** Inference runtime of both models (default: onnxruntime-node when installed, else tfjs). */
  runtime?: RunnerOptions['runtime'];
}

/** Options of one tiled call (the scale is the upscaler's). */
export interface TilingCallOptions extends Omit<TilingOptions, 'scale'> {}

/** Options of one `upscale` call. */
export interface UpscaleCallOptions extends TilingCallOptions {
  /** Also write the result here as PNG (atomically; the path is checked before any work). */
  output?: string;
  /** Largest accepted input, in pixels (default 40e6). */
  maxPixels?: number;
}

/** The free `upscale()`'s options: the upscaler's and the call's. */
export interface UpscaleOptions extends UpscalerOptions, UpscaleCallOptions {}

/** Raw pixels, HWC. Uint8 is 0..255; Float32 is on the 0..255 scale too (as in @diffgan/eval). 1-4 channels. */
export type UpscaleInput = string | Buffer | RawImage;
export type UpscaleResult = RawImage<Uint8Array>;

/** The generator (and, when asked for, the refiner) of one scale, loaded once. */
export interface Upscaler {
  readonly scale: Scale;
  /** Which generator runs: 'fidelity' or 'real'. */
  readonly model: SrModel;
  /** The generator's runtime: 'onnxruntime-node' or 'tfjs'. */
  readonly runtime: string;
  /** The generator's receptive radius in LR pixels (the exact context every tile gets). */
  readonly radius: number;
  /** The generator's weights manifest. */
  readonly manifestPath: string;
  /**
   * Upscales an image file, encoded buffer (PNG/JPEG/WebP...) or raw pixels. Grey input is
   * run as R=G=B and returned grey; alpha is resized with MATLAB bicubic (imresize) and
   * reattached. Returns 8-bit HWC with the input's channel count.
   */
  upscale(input: UpscaleInput, opts?: UpscaleCallOptions): Promise<UpscaleResult>;
  /** RGB float pixels in [0, 1] to RGB float (not clamped). Mainly for tests, metrics and video. */
  upscaleFloat(img: RawImage<Float32Array>, opts?: TilingCallOptions): Promise<RawImage<Float32Array>>;
  /** Frees the runners; later calls reject. Idempotent. */
  dispose(): Promise<void>;
}

function weightsDirOf(opts: { weightsDir?: string }): string {
  return path.resolve(opts.weightsDir ?? process.env.DIFFGAN_SR_WEIGHTS ?? DEFAULT_WEIGHTS_DIR);
}

/** True when the refinement weights of `model`'s generator for `scale` are present (the CLI's compare shows the column then). */
export function refinerAvailable(scale: Scale, weightsDir?: string, model: SrModel = 'fidelity'): boolean {
  return fs.existsSync(path.join(weightsDirOf({ weightsDir }), `${refinerName(scale, model)}.manifest.json`));
}

/** True when the weights of `model`'s generator for `scale` are present (the real ones ship once trained). */
export function generatorAvailable(model: SrModel, scale: Scale, weightsDir?: string): boolean {
  return fs.existsSync(path.join(weightsDirOf({ weightsDir }), `${modelWeightsName(model, scale)}.manifest.json`));
}

interface Generator {
  runner: Runner;
  spec: GraphSpec;
  manifestPath: string;
}

async function loadGenerator(scale: Scale, model: SrModel, weightsDir: string, opts: UpscalerOptions): Promise<Generator> {
  const manifestPath = path.join(weightsDir, `${modelWeightsName(model, scale)}.manifest.json`);
  if (!fs.existsSync(manifestPath))
    throw new DiffganError(
      model === 'real'
        ? `the real model for x${scale} is not trained yet (${manifestPath} is missing); use --model fidelity`
        : `weights for x${scale} are not available: ${manifestPath} is missing`,
    );
  const { manifest, weights } = loadWeights(manifestPath);
  const spec = manifest.architecture;
  const runner = await createRunner(spec, weights, { threads: opts.threads ?? 0, runtime: opts.runtime });
  return { runner, spec, manifestPath };
}

/** Checks the pixel limit and output path, then decodes `input` (before any model work). */
async function readInput(input: UpscaleInput, opts: UpscaleCallOptions): Promise<RawImage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(maxPixels > 0)) throw new DiffganError(`invalid pixel limit ${maxPixels}`);
  if (opts.output) checkOutputPath(opts.output, typeof input === 'string' ? input : undefined);
  if (typeof input === 'string' || Buffer.isBuffer(input)) return readImageChecked(input, maxPixels);
  validateRaw(input);
  checkPixelLimit(input.width, input.height, maxPixels, 'input');
  return input;
}

class NodeUpscaler implements Upscaler {
  readonly radius: number;
  readonly manifestPath: string;
  private readonly net: TileNet;
  private readonly held: UpscalerModels<LoadedRefiner>;

  constructor(
    readonly scale: Scale,
    readonly model: SrModel,
    private readonly generator: Generator,
    private readonly opts: UpscalerOptions & { weightsDir: string; refine: number },
  ) {
    this.net = tileNet(generator.spec, generator.runner);
    this.radius = this.net.radius;
    this.manifestPath = generator.manifestPath;
    this.held = new UpscalerModels(generator.runner);
  }

  get runtime(): string {
    return this.generator.runner.runtime;
  }

  /** The generator and, for refine > 0, the refiner (the caller's, or the shipped one loaded on first use). */
  async models(refine: number): Promise<{ net: TileNet; refiner?: Refiner }> {
    this.held.checkLive();
    checkRefine(refine);
    if (!this.opts.refiner) checkRefinerSteps(refine); // the shipped refiner's steps (a caller's refiner takes any count)
    if (refine === 0) return { net: this.net };
    return { net: this.net, refiner: this.opts.refiner ?? (await this.shippedRefiner()).refiner };
  }

  private shippedRefiner(): Promise<LoadedRefiner> {
    const manifestPath = path.join(this.opts.weightsDir, `${refinerName(this.scale, this.model)}.manifest.json`);
    return this.held.refiner(() => {
      if (!fs.existsSync(manifestPath))
        throw new DiffganError(
          `refinement weights for ${this.model === 'real' ? 'the real model at ' : ''}x${this.scale} are not available yet (${manifestPath} missing); use --refine 0`,
        );
      return loadRefiner(manifestPath, { threads: this.opts.threads, runtime: this.opts.runtime });
    });
  }

  async upscale(input: UpscaleInput, opts: UpscaleCallOptions = {}): Promise<UpscaleResult> {
    return this.upscaleDecoded(await readInput(input, opts), opts);
  }

  /** `upscale` on an input readInput has checked and decoded. */
  async upscaleDecoded(img: RawImage, opts: UpscaleCallOptions): Promise<UpscaleResult> {
    const refine = opts.refine ?? this.opts.refine;
    const { net, refiner } = await this.models(refine);
    const result: UpscaleResult = await upscalePixels(img, { ...opts, scale: this.scale, refine }, net, refiner);
    if (opts.output) await writePngAtomic(opts.output, result, opts.signal);
    return result;
  }

  async upscaleFloat(img: RawImage<Float32Array>, opts: TilingCallOptions = {}): Promise<RawImage<Float32Array>> {
    if (img.channels !== 3) throw new DiffganError(`upscaleFloat needs RGB, got ${img.channels} channels`);
    const refine = opts.refine ?? this.opts.refine;
    const { net, refiner } = await this.models(refine);
    const S = this.scale,
      Wo = img.width * S;
    const out = new Float32Array(Wo * img.height * S * 3);
    await tiledUpscale(img.data, img.width, img.height, { ...opts, scale: S, refine }, net, refiner, (y0, rows) => out.set(rows, y0 * Wo * 3));
    return { data: out, width: Wo, height: img.height * S, channels: 3 };
  }

  dispose(): Promise<void> {
    return this.held.dispose();
  }
}

async function createNodeUpscaler(opts: UpscalerOptions): Promise<NodeUpscaler> {
  // a caller's refiner takes any step count
  const { scale, refine, model } = upscalerSettings(opts, opts.refiner ? () => {} : checkRefinerSteps);
  const weightsDir = weightsDirOf(opts);
  const sr = new NodeUpscaler(scale, model, await loadGenerator(scale, model, weightsDir, opts), { ...opts, weightsDir, refine });
  return withRefinerReady(sr, refine, (u) => u.models(refine));
}

/**
 * Loads the generator for `opts.scale` (default 4) and, when `opts.refine` > 0, the refiner.
 * `await sr.upscale(input, callOpts)` as often as needed, then `await sr.dispose()`.
 */
export function createUpscaler(opts: UpscalerOptions = {}): Promise<Upscaler> {
  return createNodeUpscaler(opts);
}

/**
 * One-shot upscaling (see Upscaler.upscale): creates an upscaler, runs it once and disposes
 * it. The input is checked and decoded before the models load.
 */
export async function upscale(input: UpscaleInput, opts: UpscaleOptions = {}): Promise<UpscaleResult> {
  checkScale(opts.scale ?? DEFAULT_SCALE);
  const img = await readInput(input, opts);
  return withUpscaler(createNodeUpscaler(opts), (sr) => sr.upscaleDecoded(img, opts));
}
