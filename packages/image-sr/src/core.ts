/**
 * The runtime-free half of upscaling, shared by Node (upscale.ts, onnxruntime-node) and
 * browsers (browser.ts, onnxruntime-web): pixel conversion, tiling, refinement calls and
 * alpha handling. Callers bring a `TileNet` (the generator on some runtime) and an
 * optional `Refiner`; nothing here touches fs, Buffer, sharp or tfjs.
 *
 * Tiling (see tiling.ts): every tile gets `receptiveRadius(spec)` LR pixels of context
 * on each side, so the generator's output is identical to an untiled run, and tiles are
 * cross-faded with linear ramps over a blend band (this matters for refinement, whose
 * output is stochastic per tile). Output rows are finished one tile row at a time and
 * converted to 8 bits straight away: the only full-size buffer is the 8-bit result.
 */
import { DiffganError, Rng, HostTensor, GraphSpec, Runner, receptiveRadius } from '@diffgan/core-models/portable';
import { imresize, toUint8 } from '@diffgan/image/portable';
import { planAxis, rampWeight, AxisPlan } from './tiling';
import { SR_MODELS, SrModel } from './model-names';

export type Scale = 2 | 4;

/** Raw pixels, HWC. Uint8 is 0..255; Float32 is on the 0..255 scale too (as in @diffgan/image). 1-4 channels. */
export interface RawImage<T extends Uint8Array | Float32Array = Uint8Array | Float32Array> {
  data: T;
  width: number;
  height: number;
  channels: number;
}

/**
 * A refinement stage, applied per tile after the generator.
 * `sr`: the generator's HR output for the tile, NHWC [1, H·s, W·s, 3], RGB in [0, 1];
 * `lr`: the tile's LR input, NHWC [1, H, W, 3] in [0, 1]; `steps`: the --refine value;
 * `rng`: a per-tile generator derived from the seed (tiles are visited in a fixed order).
 * Returns the refined HR tile, same shape as `sr`.
 */
export type Refiner = (sr: HostTensor, lr: HostTensor, steps: number, rng: Rng) => Float32Array | Promise<Float32Array>;

/** The generator on some runtime: LR tile NHWC [1, h, w, 3] in [0, 1] → HR tile [1, h·s, w·s, 3]. */
export interface TileNet {
  run(lr: HostTensor): Promise<Float32Array>;
  radius: number;
}

/** A generator's runner as a TileNet: its first input and output, the receptive radius of its graph. */
export function tileNet(spec: GraphSpec, runner: Pick<Runner, 'run'>): TileNet {
  const input = spec.inputs[0].name,
    output = spec.outputs[0].name;
  return { radius: receptiveRadius(spec), run: async (lr) => (await runner.run({ [input]: lr }))[output].data };
}

/**
 * What the Node and browser upscalers hold: the generator's runner and a refiner loaded on first use
 * (one load at a time; a failed load is tried again on the next call), both freed once by dispose.
 */
export class UpscalerModels<L extends { runner: Pick<Runner, 'dispose'> }> {
  private refinerLoad: Promise<L> | undefined;
  private disposed = false;

  constructor(private readonly generator: Pick<Runner, 'dispose'>) {}

  /** Throws once dispose has been called. */
  checkLive(): void {
    if (this.disposed) throw new DiffganError('this upscaler has been disposed');
  }

  /** The refiner `load` gives, loaded once. */
  refiner(load: () => Promise<L>): Promise<L> {
    if (!this.refinerLoad) {
      const pending = load();
      this.refinerLoad = pending;
      pending.catch(() => {
        if (this.refinerLoad === pending) this.refinerLoad = undefined;
      });
    }
    return this.refinerLoad;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const refinerLoad = this.refinerLoad;
    this.refinerLoad = undefined;
    await this.generator.dispose();
    if (refinerLoad) {
      try {
        await (await refinerLoad).runner.dispose();
      } catch {
        /* failed to load: nothing to free */
      }
    }
  }
}

/** The scale when none is given (the CLI's default too). */
export const DEFAULT_SCALE: Scale = 4;

/**
 * An upscaler's scale (default 4), refine steps (default 0) and model (default fidelity), checked; `checkSteps` checks the
 * step count against the refiner that will run (the shipped one has a fixed number of levels).
 */
export function upscalerSettings(
  opts: { scale?: number; refine?: number; model?: string },
  checkSteps: (refine: number) => void,
): { scale: Scale; refine: number; model: SrModel } {
  const scale = opts.scale ?? DEFAULT_SCALE;
  checkScale(scale);
  const refine = opts.refine ?? 0;
  checkRefine(refine);
  checkSteps(refine);
  const model = (opts.model ?? 'fidelity') as SrModel;
  if (!SR_MODELS.includes(model)) throw new DiffganError(`unknown model '${model}': use ${SR_MODELS.join(' or ')}`);
  return { scale, refine, model };
}

/**
 * The last step of creating an upscaler: for refine > 0 the refiner is loaded now, so that missing or
 * broken weights are reported at creation, not at the first call; the upscaler is freed when that fails.
 */
export async function withRefinerReady<U extends { dispose(): Promise<void> }>(sr: U, refine: number, loadRefiner: (sr: U) => Promise<unknown>): Promise<U> {
  if (refine > 0) {
    try {
      await loadRefiner(sr);
    } catch (e) {
      await sr.dispose();
      throw e;
    }
  }
  return sr;
}

/** One-shot upscaling: `run` on an upscaler made for the call, freed afterwards (also when `run` fails). */
export async function withUpscaler<U extends { dispose(): Promise<void> }, R>(create: Promise<U>, run: (sr: U) => Promise<R>): Promise<R> {
  const sr = await create;
  try {
    return await run(sr);
  } finally {
    await sr.dispose();
  }
}

export interface TilingOptions {
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
  signal?: AbortSignal;
  /** Called after each tile. */
  onProgress?: (done: number, total: number) => void;
}

export function checkScale(S: number): asserts S is Scale {
  if (S !== 2 && S !== 4) throw new DiffganError(`invalid scale ${S}: use 2 or 4`);
}

export function checkRefine(refine: number): void {
  if (!(Number.isInteger(refine) && refine >= 0)) throw new DiffganError(`invalid refine steps ${refine}: use an integer >= 0`);
}

export function checkPixelLimit(width: number, height: number, maxPixels: number, what = 'image'): void {
  if (!(width >= 1 && height >= 1)) throw new DiffganError(`${what} has no pixels (${width}x${height})`);
  if (width * height > maxPixels) {
    const mp = (n: number) => (n >= 1e5 ? `${(n / 1e6).toFixed(1)} MP` : `${n} pixels`);
    throw new DiffganError(
      `${what} is ${width}x${height} = ${mp(width * height)}, over the limit of ${mp(maxPixels)} (raise it with --max-pixels / maxPixels)`,
    );
  }
}

export function validateRaw(img: RawImage): void {
  const { width, height, channels, data } = img;
  if (!(data instanceof Uint8Array || data instanceof Float32Array)) throw new DiffganError('input data must be a Uint8Array or Float32Array');
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) throw new DiffganError(`input must have 1-4 channels, got ${channels}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) throw new DiffganError(`invalid input size ${width}x${height}`);
  if (data.length !== width * height * channels)
    throw new DiffganError(`input data has ${data.length} values, ${width}x${height}x${channels} needs ${width * height * channels}`);
}

/** Lets timers, abort signals and progress redraws run between tiles, in Node and in browsers. */
const yieldToEventLoop = (): Promise<void> => new Promise((r) => (typeof setImmediate === 'function' ? setImmediate(r) : setTimeout(r, 0)));

/**
 * Core of the tiled inference on RGB float pixels in [0, 1] (HWC). Finished HR rows are
 * handed to `emit(y0, rows, nRows)` top to bottom (rows is RGB float, `width·scale` wide).
 */
export async function tiledUpscale(
  lr: Float32Array,
  width: number,
  height: number,
  opts: TilingOptions,
  net: TileNet,
  refiner: Refiner | undefined,
  emit: (y0: number, rows: Float32Array, nRows: number) => void,
): Promise<{ tiles: number; plan: { x: AxisPlan; y: AxisPlan } }> {
  const S = opts.scale;
  checkScale(S);
  const refine = opts.refine ?? 0;
  checkRefine(refine);
  if (refine > 0 && !refiner) throw new DiffganError(`refinement requested (${refine} steps) but no refiner is loaded`);
  const tile = opts.tile ?? 256;
  const overlap = opts.overlap ?? 2 * net.radius + 8;
  if (!(Number.isInteger(tile) && tile >= 16)) throw new DiffganError(`invalid tile size ${tile}: use an integer >= 16`);
  if (!(Number.isInteger(overlap) && overlap >= 0)) throw new DiffganError(`invalid overlap ${overlap}: use an integer >= 0`);
  let px: AxisPlan, py: AxisPlan;
  try {
    px = planAxis(width, tile, overlap, net.radius);
    py = planAxis(height, tile, overlap, net.radius);
  } catch (e) {
    throw new DiffganError((e as Error).message);
  }
  const total = px.tiles.length * py.tiles.length;
  const Wo = width * S;
  const rng = new Rng(opts.seed ?? 0);
  // horizontal blend weights per column tile, computed once
  const wxs = px.tiles.map((t, i) => {
    const a = t.outStart * S,
      w = new Float32Array((t.outEnd - t.outStart) * S);
    for (let X = 0; X < w.length; X++) w[X] = rampWeight(px, i, a + X, S);
    return w;
  });
  let carry: Float32Array | null = null;
  let done = 0;
  opts.onProgress?.(0, total);
  for (let j = 0; j < py.tiles.length; j++) {
    const ty = py.tiles[j];
    const y0 = ty.outStart * S,
      y1 = ty.outEnd * S;
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
      let out = await net.run(lrT);
      if (refine > 0 && refiner) {
        out = await refiner({ data: out, shape: [1, th * S, tw * S, 3] }, lrT, refine, rng.fork());
        if (out.length !== th * S * tw * S * 3) throw new Error(`refiner returned ${out.length} values for a ${tw * S}x${th * S} tile`);
      }
      opts.signal?.throwIfAborted();
      const ow = tw * S,
        ox0 = tx.outStart * S,
        ox1 = tx.outEnd * S,
        ix0 = tx.inStart * S,
        iy0 = ty.inStart * S;
      const wx = wxs[i];
      for (let Y = y0; Y < y1; Y++) {
        const wyv = wy[Y - y0];
        let d = ((Y - y0) * Wo + ox0) * 3,
          s = ((Y - iy0) * ow + (ox0 - ix0)) * 3;
        for (let X = ox0; X < ox1; X++, d += 3, s += 3) {
          const w = wyv * wx[X - ox0];
          if (w === 1) {
            strip[d] += out[s];
            strip[d + 1] += out[s + 1];
            strip[d + 2] += out[s + 2];
          } else {
            strip[d] += w * out[s];
            strip[d + 1] += w * out[s + 1];
            strip[d + 2] += w * out[s + 2];
          }
        }
      }
      opts.onProgress?.(++done, total);
      await yieldToEventLoop();
    }
    const nFinal = j < py.tiles.length - 1 ? py.tiles[j + 1].outStart * S - y0 : y1 - y0;
    emit(y0, strip.subarray(0, nFinal * Wo * 3), nFinal);
    carry = j < py.tiles.length - 1 ? strip.slice(nFinal * Wo * 3) : null;
  }
  return { tiles: total, plan: { x: px, y: py } };
}

/**
 * Upscales raw pixels: grey input runs as R=G=B and comes back grey; alpha is resized
 * with MATLAB bicubic (imresize) and reattached. Returns 8-bit HWC with the input's
 * channel count. The caller has validated the image and checked the pixel limit.
 */
export async function upscalePixels(img: RawImage, opts: TilingOptions, net: TileNet, refiner?: Refiner): Promise<RawImage<Uint8Array>> {
  const S = opts.scale;
  checkScale(S);
  const { width, height, channels } = img;
  const grey = channels <= 2,
    hasAlpha = channels === 2 || channels === 4;
  const n = width * height;
  // RGB float [0, 1]
  const rgb = new Float32Array(n * 3);
  const k = 1 / 255; // Uint8 and Float32 inputs are both on the 0..255 scale
  for (let p = 0, s = 0; p < n; p++, s += channels) {
    if (grey) rgb[p * 3] = rgb[p * 3 + 1] = rgb[p * 3 + 2] = img.data[s] * k;
    else {
      rgb[p * 3] = img.data[s] * k;
      rgb[p * 3 + 1] = img.data[s + 1] * k;
      rgb[p * 3 + 2] = img.data[s + 2] * k;
    }
  }
  const Wo = width * S,
    Ho = height * S,
    outCh = channels;
  const out = new Uint8Array(Wo * Ho * outCh);
  await tiledUpscale(rgb, width, height, opts, net, refiner, (y0, rows, nRows) => {
    const m = nRows * Wo;
    let d = y0 * Wo * outCh;
    if (grey) for (let q = 0; q < m; q++, d += outCh) out[d] = toUint8(((rows[q * 3] + rows[q * 3 + 1] + rows[q * 3 + 2]) / 3) * 255);
    else
      for (let q = 0; q < m; q++, d += outCh) {
        out[d] = toUint8(rows[q * 3] * 255);
        out[d + 1] = toUint8(rows[q * 3 + 1] * 255);
        out[d + 2] = toUint8(rows[q * 3 + 2] * 255);
      }
  });
  if (hasAlpha) {
    const a = img.data instanceof Uint8Array ? new Uint8Array(n) : new Float32Array(n);
    for (let p = 0; p < n; p++) a[p] = img.data[p * channels + channels - 1];
    const big = imresize({ data: a, width, height, channels: 1 }, { scale: S, output: 'uint8' });
    for (let p = 0, d = outCh - 1; p < Wo * Ho; p++, d += outCh) out[d] = big.data[p];
  }
  opts.signal?.throwIfAborted();
  return { data: out, width: Wo, height: Ho, channels: outCh };
}
