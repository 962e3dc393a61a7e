/**
 * The library entry point: upscale an image x2 or x4 with the shipped generator, tiled
 * so memory stays bounded, optionally followed by few-step diffusion refinement.
 *
 * Tiling (see tiling.ts): every tile gets `receptiveRadius(spec)` LR pixels of context
 * on each side, so the generator's output is identical to an untiled run, and tiles are
 * cross-faded with linear ramps over a blend band (this matters for refinement, whose
 * output is stochastic per tile). Output rows are finished one tile row at a time and
 * converted to 8 bits straight away: the only full-size buffer is the 8-bit result.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createRunner, loadWeights, DiffganError, Rng, Runner, HostTensor, GraphSpec, RunnerOptions } from '@diffgan/core-models';
import { imresize, toUint8 } from '@diffgan/eval';
import { receptiveRadius, planAxis, rampWeight, AxisPlan } from './tiling';
import { DEFAULT_MAX_PIXELS, RawImage, readImageChecked, checkOutputPath, checkPixelLimit, writePngAtomic } from './io';
import { loadRefiner } from './refiner';
import { DEFAULT_WEIGHTS_DIR, generatorName, refinerName } from './names';

export type Scale = 2 | 4;

/**
 * A refinement stage, applied per tile after the generator.
 * `sr`: the generator's HR output for the tile, NHWC [1, H·s, W·s, 3], RGB in [0, 1];
 * `lr`: the tile's LR input, NHWC [1, H, W, 3] in [0, 1]; `steps`: the --refine value;
 * `rng`: a per-tile generator derived from the seed (tiles are visited in a fixed order).
 * Returns the refined HR tile, same shape as `sr`.
 */
export type Refiner = (sr: HostTensor, lr: HostTensor, steps: number, rng: Rng) => Float32Array | Promise<Float32Array>;

/** Builds a Refiner from `weights/sr_refiner_x{scale}.manifest.json` (plugged in with the refinement model). */
export type RefinerLoader = (manifestPath: string, opts: { scale: Scale; threads: number }) => Promise<Refiner>;
let refinerLoader: RefinerLoader | undefined = loadRefiner;
export function setRefinerLoader(loader: RefinerLoader | undefined): void { refinerLoader = loader; refiners.clear(); }

export interface UpscaleOptions {
  scale: Scale;
  /** Refinement steps (0 = generator only, the default). */
  refine?: number;
  /** Largest LR tile fed to the network, in pixels (default 256). Inputs up to this size run in one piece. */
  tile?: number;
  /**
   * LR pixels shared by neighbouring tiles (default 2·radius + 8: `radius` of exact
   * context each side plus an 8 px cross-fade). Below 2·radius + 2 the whole overlap is
   * cross-faded and tiles are only approximately seamless.
   */
  overlap?: number;
  /** Seed for refinement noise (default 0). */
  seed?: number;
  /** ONNX Runtime intra-op threads (0 = one per core, the default). */
  threads?: number;
  signal?: AbortSignal;
  /** Called after each tile. */
  onProgress?: (done: number, total: number) => void;
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

/**
 * Core of the tiled inference on RGB float pixels in [0, 1] (HWC). Finished HR rows are
 * handed to `emit(y0, rows, nRows)` top to bottom (rows is RGB float, `width·scale` wide).
 */
export async function runTiled(lr: Float32Array, width: number, height: number, opts: TiledOptions,
  emit: (y0: number, rows: Float32Array, nRows: number) => void): Promise<{ tiles: number; plan: { x: AxisPlan; y: AxisPlan } }> {
  const S = opts.scale;
  if (S !== 2 && S !== 4) throw new DiffganError(`invalid scale ${S}: use 2 or 4`);
  const refine = opts.refine ?? 0;
  if (!(Number.isInteger(refine) && refine >= 0)) throw new DiffganError(`invalid refine steps ${refine}: use an integer >= 0`);
  const gen = await getGenerator(S, opts);
  const refiner = refine > 0 ? (opts.refiner ?? await getRefiner(S, opts.threads ?? 0, weightsDirOf(opts))) : undefined;
  const tile = opts.tile ?? 256;
  const overlap = opts.overlap ?? 2 * gen.radius + 8;
  if (!(Number.isInteger(tile) && tile >= 16)) throw new DiffganError(`invalid tile size ${tile}: use an integer >= 16`);
  if (!(Number.isInteger(overlap) && overlap >= 0)) throw new DiffganError(`invalid overlap ${overlap}: use an integer >= 0`);
  let px: AxisPlan, py: AxisPlan;
  try { px = planAxis(width, tile, overlap, gen.radius); py = planAxis(height, tile, overlap, gen.radius); } catch (e) { throw new DiffganError((e as Error).message); }
  const total = px.tiles.length * py.tiles.length;
  const Wo = width * S;
  const rng = new Rng(opts.seed ?? 0);
  // horizontal blend weights per column tile, computed once
  const wxs = px.tiles.map((t, i) => {
    const a = t.outStart * S, w = new Float32Array((t.outEnd - t.outStart) * S);
    for (let X = 0; X < w.length; X++) w[X] = rampWeight(px, i, a + X, S);
    return w;
  });
  let carry: Float32Array | null = null;
  let done = 0;
  opts.onProgress?.(0, total);
  for (let j = 0; j < py.tiles.length; j++) {
    const ty = py.tiles[j];
    const y0 = ty.outStart * S, y1 = ty.outEnd * S;
    const strip = new Float32Array((y1 - y0) * Wo * 3);
    if (carry) strip.set(carry);
    const wy = new Float32Array(y1 - y0);
    for (let Y = y0; Y < y1; Y++) wy[Y - y0] = rampWeight(py, j, Y, S);
    const th = ty.inEnd - ty.inStart;
    for (let i = 0; i < px.tiles.length; i++) {
      opts.signal?.throwIfAborted();
      const tx = px.tiles[i];
      const tw = tx.inEnd - tx.inStart;
      const input = new Float32Array(th * tw * 3);
      for (let y = 0; y < th; y++) {
        const src = ((ty.inStart + y) * width + tx.inStart) * 3;
        input.set(lr.subarray(src, src + tw * 3), y * tw * 3);
      }
      const lrT: HostTensor = { data: input, shape: [1, th, tw, 3] };
      const res = await gen.runner.run({ [gen.input]: lrT });
      let out = res[gen.output].data;
      if (refiner) {
        out = await refiner({ data: out, shape: [1, th * S, tw * S, 3] }, lrT, refine, rng.fork());
        if (out.length !== th * S * tw * S * 3) throw new Error(`refiner returned ${out.length} values for a ${tw * S}x${th * S} tile`);
      }
      opts.signal?.throwIfAborted();
      const ow = tw * S, ox0 = tx.outStart * S, ox1 = tx.outEnd * S, ix0 = tx.inStart * S, iy0 = ty.inStart * S;
      const wx = wxs[i];
      for (let Y = y0; Y < y1; Y++) {
        const wyv = wy[Y - y0];
        let d = ((Y - y0) * Wo + ox0) * 3, s = ((Y - iy0) * ow + (ox0 - ix0)) * 3;
        for (let X = ox0; X < ox1; X++, d += 3, s += 3) {
          const w = wyv * wx[X - ox0];
          if (w === 1) { strip[d] += out[s]; strip[d + 1] += out[s + 1]; strip[d + 2] += out[s + 2]; } else { strip[d] += w * out[s]; strip[d + 1] += w * out[s + 1]; strip[d + 2] += w * out[s + 2]; }
        }
      }
      opts.onProgress?.(++done, total);
      // let timers, signals and progress redraws run between tiles
      await new Promise((r) => setImmediate(r));
    }
    const nFinal = j < py.tiles.length - 1 ? py.tiles[j + 1].outStart * S - y0 : y1 - y0;
    emit(y0, strip.subarray(0, nFinal * Wo * 3), nFinal);
    carry = j < py.tiles.length - 1 ? strip.slice(nFinal * Wo * 3) : null;
  }
  return { tiles: total, plan: { x: px, y: py } };
}

/** Tiled upscaling of RGB float pixels in [0, 1] to RGB float (not clamped). Mainly for tests and metrics. */
export async function upscaleFloat(img: RawImage<Float32Array>, opts: TiledOptions): Promise<RawImage<Float32Array>> {
  if (img.channels !== 3) throw new DiffganError(`upscaleFloat needs RGB, got ${img.channels} channels`);
  const S = opts.scale, Wo = img.width * S;
  const out = new Float32Array(Wo * img.height * S * 3);
  await runTiled(img.data, img.width, img.height, opts, (y0, rows) => out.set(rows, y0 * Wo * 3));
  return { data: out, width: Wo, height: img.height * S, channels: 3 };
}

function validateRaw(img: RawImage): void {
  const { width, height, channels, data } = img;
  if (!(data instanceof Uint8Array || data instanceof Float32Array)) throw new DiffganError('input data must be a Uint8Array or Float32Array');
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) throw new DiffganError(`input must have 1-4 channels, got ${channels}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) throw new DiffganError(`invalid input size ${width}x${height}`);
  if (data.length !== width * height * channels) throw new DiffganError(`input data has ${data.length} values, ${width}x${height}x${channels} needs ${width * height * channels}`);
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
  const { width, height, channels } = img;
  const grey = channels <= 2, hasAlpha = channels === 2 || channels === 4;
  const n = width * height;
  // RGB float [0, 1]
  const rgb = new Float32Array(n * 3);
  const k = 1 / 255; // Uint8 and Float32 inputs are both on the 0..255 scale
  for (let p = 0, s = 0; p < n; p++, s += channels) {
    if (grey) rgb[p * 3] = rgb[p * 3 + 1] = rgb[p * 3 + 2] = img.data[s] * k;
    else { rgb[p * 3] = img.data[s] * k; rgb[p * 3 + 1] = img.data[s + 1] * k; rgb[p * 3 + 2] = img.data[s + 2] * k; }
  }
  const Wo = width * S, Ho = height * S, outCh = channels;
  const out = new Uint8Array(Wo * Ho * outCh);
  await runTiled(rgb, width, height, opts, (y0, rows, nRows) => {
    const m = nRows * Wo;
    let d = y0 * Wo * outCh;
    if (grey) for (let q = 0; q < m; q++, d += outCh) out[d] = toUint8(((rows[q * 3] + rows[q * 3 + 1] + rows[q * 3 + 2]) / 3) * 255);
    else for (let q = 0; q < m; q++, d += outCh) { out[d] = toUint8(rows[q * 3] * 255); out[d + 1] = toUint8(rows[q * 3 + 1] * 255); out[d + 2] = toUint8(rows[q * 3 + 2] * 255); }
  });
  if (hasAlpha) {
    const a = img.data instanceof Uint8Array ? new Uint8Array(n) : new Float32Array(n);
    for (let p = 0; p < n; p++) a[p] = img.data[p * channels + channels - 1];
    const big = imresize({ data: a, width, height, channels: 1 }, { scale: S, output: 'uint8' });
    for (let p = 0, d = outCh - 1; p < Wo * Ho; p++, d += outCh) out[d] = big.data[p];
  }
  const result: UpscaleResult = { data: out, width: Wo, height: Ho, channels: outCh };
  opts.signal?.throwIfAborted();
  if (opts.output) await writePngAtomic(opts.output, result);
  return result;
}
