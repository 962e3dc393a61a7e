/**
 * The Node entry point: upscale an image file, buffer or raw pixels x2 or x4 with the
 * shipped generator on onnxruntime-node (tfjs fallback), optionally followed by few-step
 * diffusion refinement. The tiling and pixel handling live in core.ts, shared with the
 * browser entry (browser.ts); this file adds files, weights on disk and runtimes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createRunner, loadWeights, DiffganError, Runner, GraphSpec, RunnerOptions } from '@diffgan/core-models';
import { receptiveRadius, AxisPlan } from './tiling';
import { DEFAULT_MAX_PIXELS, readImageChecked, checkOutputPath, writePngAtomic } from './io';
import { RawImage, Refiner, Scale, TilingOptions, TileNet, tiledUpscale, upscalePixels, checkScale, checkRefine, checkPixelLimit, validateRaw } from './core';
import { loadRefiner } from './refiner';
import { checkRefinerSteps } from './refine-sampler';
import { DEFAULT_WEIGHTS_DIR, generatorName, refinerName } from './names';

export type { Scale, Refiner, RawImage } from './core';

/** Builds a Refiner from `weights/sr_refiner_x{scale}.manifest.json` (plugged in with the refinement model). */
export type RefinerLoader = (manifestPath: string, opts: { scale: Scale; threads: number }) => Promise<Refiner>;
let refinerLoader: RefinerLoader | undefined = loadRefiner;
export function setRefinerLoader(loader: RefinerLoader | undefined): void { refinerLoader = loader; refiners.clear(); }

export interface UpscaleOptions extends TilingOptions {
  /** ONNX Runtime intra-op threads (0 = one per core, the default). */
  threads?: number;
  /** Also write the result here as PNG (atomically). */
  output?: string;
  /** Largest accepted input, in pixels (default 40e6). */
  maxPixels?: number;
  /** Folder with sr_generator_x{2,4}.dgw and manifests (default: the package's weights/). */
  weightsDir?: string;
  /** Use this refiner instead of loading refinement weights. */
  refiner?: Refiner;
  /** Inference runtime (default: onnxruntime-node when installed, else tfjs). */
  runtime?: RunnerOptions['runtime'];
}

/** Raw pixels, HWC. Uint8 is 0..255; Float32 is on the 0..255 scale too (as in @diffgan/eval). 1-4 channels. */
export type UpscaleInput = string | Buffer | RawImage;
export type UpscaleResult = RawImage<Uint8Array>;

interface Generator { runner: Runner; spec: GraphSpec; radius: number; input: string; output: string; manifestPath: string }
const generators = new Map<string, Promise<Generator>>();
const refiners = new Map<string, Promise<Refiner>>();

function weightsDirOf(opts: { weightsDir?: string }): string {
  return path.resolve(opts.weightsDir ?? process.env.DIFFGAN_SR_WEIGHTS ?? DEFAULT_WEIGHTS_DIR);
}

/** The generator runner for (scale, threads), created once per process and cached. */
export function getGenerator(scale: Scale, opts: { threads?: number; weightsDir?: string; runtime?: RunnerOptions['runtime'] } = {}): Promise<Generator> {
  const dir = weightsDirOf(opts), threads = opts.threads ?? 0;
  const key = `${scale}|${threads}|${dir}|${opts.runtime ?? ''}`;
  let g = generators.get(key);
  if (!g) {
    g = (async () => {
      const manifestPath = path.join(dir, `${generatorName(scale)}.manifest.json`);
      if (!fs.existsSync(manifestPath)) throw new DiffganError(`weights for x${scale} are not available: ${manifestPath} is missing`);
      const { manifest, weights } = loadWeights(manifestPath);
      const spec = manifest.architecture;
      const runner = await createRunner(spec, weights, { threads, runtime: opts.runtime });
      return { runner, spec, radius: receptiveRadius(spec), input: spec.inputs[0].name, output: spec.outputs[0].name, manifestPath };
    })();
    generators.set(key, g);
    g.catch(() => generators.delete(key));
  }
  return g;
}

async function getRefiner(scale: Scale, threads: number, weightsDir: string): Promise<Refiner> {
  const manifestPath = path.join(weightsDir, `${refinerName(scale)}.manifest.json`);
  if (!fs.existsSync(manifestPath)) throw new DiffganError(`refinement weights for x${scale} are not available yet (${manifestPath} missing); use --refine 0`);
  if (!refinerLoader) throw new DiffganError(`refinement weights for x${scale} exist (${manifestPath}) but no refiner is registered (setRefinerLoader)`);
  const key = `${manifestPath}|${threads}`;
  let r = refiners.get(key);
  if (!r) { r = refinerLoader(manifestPath, { scale, threads }); refiners.set(key, r); r.catch(() => refiners.delete(key)); }
  return r;
}

/** True when refinement weights for `scale` are present (the CLI's compare shows the column then). */
export function refinerAvailable(scale: Scale, weightsDir?: string): boolean {
  return fs.existsSync(path.join(weightsDirOf({ weightsDir }), `${refinerName(scale)}.manifest.json`)) && !!refinerLoader;
}

/** Releases all cached runners (e.g. before exit in long-lived processes or tests). */
export async function disposeRunners(): Promise<void> {
  const gs = [...generators.values()];
  generators.clear(); refiners.clear();
  for (const g of gs) { try { await (await g).runner.dispose(); } catch { /* failed to load: nothing to free */ } }
}

export interface TiledOptions extends Omit<UpscaleOptions, 'output' | 'maxPixels'> {}

function tileNet(g: Generator): TileNet {
  return { radius: g.radius, run: async (lr) => (await g.runner.run({ [g.input]: lr }))[g.output].data };
}

/** The generator for opts.scale and, when opts.refine > 0, the refiner (the caller's or the shipped one). */
async function loadModels(opts: TiledOptions): Promise<{ net: TileNet; refiner?: Refiner }> {
  checkScale(opts.scale);
  const refine = opts.refine ?? 0;
  checkRefine(refine);
  if (!opts.refiner) checkRefinerSteps(refine); // the shipped refiner's steps (a caller's refiner takes any count)
  const net = tileNet(await getGenerator(opts.scale, opts));
  const refiner = refine > 0 ? (opts.refiner ?? await getRefiner(opts.scale, opts.threads ?? 0, weightsDirOf(opts))) : undefined;
  return { net, refiner };
}

/** Tiled inference on RGB float pixels in [0, 1] (HWC) with the shipped weights; see core.ts. */
export async function runTiled(lr: Float32Array, width: number, height: number, opts: TiledOptions,
  emit: (y0: number, rows: Float32Array, nRows: number) => void): Promise<{ tiles: number; plan: { x: AxisPlan; y: AxisPlan } }> {
  const { net, refiner } = await loadModels(opts);
  return tiledUpscale(lr, width, height, opts, net, refiner, emit);
}

/** Tiled upscaling of RGB float pixels in [0, 1] to RGB float (not clamped). Mainly for tests and metrics. */
export async function upscaleFloat(img: RawImage<Float32Array>, opts: TiledOptions): Promise<RawImage<Float32Array>> {
  if (img.channels !== 3) throw new DiffganError(`upscaleFloat needs RGB, got ${img.channels} channels`);
  const S = opts.scale, Wo = img.width * S;
  const out = new Float32Array(Wo * img.height * S * 3);
  await runTiled(img.data, img.width, img.height, opts, (y0, rows) => out.set(rows, y0 * Wo * 3));
  return { data: out, width: Wo, height: img.height * S, channels: 3 };
}

/**
 * Upscales an image file, encoded buffer (PNG/JPEG/WebP...) or raw pixels by 2 or 4.
 * Grey input is run as R=G=B and returned grey; alpha is resized with MATLAB bicubic
 * (imresize) and reattached. Returns 8-bit HWC with the input's channel count.
 */
export async function upscale(input: UpscaleInput, opts: UpscaleOptions): Promise<UpscaleResult> {
  const S = opts.scale;
  if (S !== 2 && S !== 4) throw new DiffganError(`invalid scale ${S}: use 2 or 4`);
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(maxPixels > 0)) throw new DiffganError(`invalid pixel limit ${maxPixels}`);
  if (opts.output) checkOutputPath(opts.output, typeof input === 'string' ? input : undefined);
  let img: RawImage;
  if (typeof input === 'string' || Buffer.isBuffer(input)) img = await readImageChecked(input, maxPixels);
  else { validateRaw(input); checkPixelLimit(input.width, input.height, maxPixels, 'input'); img = input; }
  const { net, refiner } = await loadModels(opts);
  const result: UpscaleResult = await upscalePixels(img, opts, net, refiner);
  if (opts.output) await writePngAtomic(opts.output, result, opts.signal);
  return result;
}
