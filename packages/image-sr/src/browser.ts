/**
 * The browser entry of @diffgan/image-sr (bundled to dist/browser.mjs, selected by the
 * `browser` export condition). Same weights files, same graph → ONNX export, same tiling
 * and pixel handling (core.ts) as Node; only the runtime differs: onnxruntime-web, on
 * WebGPU when the browser has an adapter, else wasm (multi-threaded when the page is
 * cross-origin isolated, as `sr serve` makes it).
 */
import * as ort from 'onnxruntime-web';
import {
  DiffganError,
  Manifest,
  Runner,
  OrtModule,
  decodeTensorBytes,
  checkAgainstSpec,
  exportOnnx,
  createOrtSessionRunner,
} from '@diffgan/core-models/portable';
import { imresize } from '@diffgan/image/portable';
import { RawImage, Refiner, Scale, TileNet, UpscalerModels, tileNet, TilingOptions, upscalePixels, checkScale, checkRefine, checkPixelLimit } from './core';
import { upscalerSettings, withRefinerReady, withUpscaler } from './core';
import { refinerFromRunner, refinerTemperature, checkRefinerSteps } from './refine-sampler';
import { modelWeightsName, refinerName, SrModel } from './model-names';

export { DiffganError };
export { mostDetailedRegions, detailRegionSize } from './detail';
export { autoModel, estimateJpegQuality, AUTO_HEAD_BYTES, REAL_MODEL_BELOW_QUALITY } from './model-choice';
export type { Region, DetailImage } from './detail';
export type { Scale, SrModel };

export type BrowserInput = ImageData | HTMLImageElement | HTMLCanvasElement | ImageBitmap | Blob;
export type ExecutionProvider = 'webgpu' | 'wasm';

/** What a browser upscaler is made of: fixed for its lifetime. */
export interface BrowserUpscalerOptions {
  /** 2 or 4 (default 4). */
  scale?: Scale;
  /** The generator: 'fidelity' (default; sr_generator_x{s}) or 'real' (sr_real_x{s}, for JPEG photos). */
  model?: SrModel;
  /** Refinement steps of its calls unless a call says otherwise (default 0 = off); > 0 loads the refiner at creation. */
  refine?: number;
  /** Base URL of sr_generator_x{2,4}.manifest.json + .dgw (and sr_real_*, sr_refiner_*, sr_real_refiner_*). Default: `weights/` beside the page. */
  weightsUrl?: string;
  /** Base URL of onnxruntime-web's .wasm files (set once per page: ORT's env is global). Default: `ort/` beside the page (nothing is fetched from a CDN). */
  wasmPaths?: string;
  /** Default: webgpu when the browser offers an adapter, else wasm. */
  executionProviders?: ExecutionProvider[];
}

/** Options of one `upscale` call (the scale is the upscaler's). */
export interface BrowserUpscaleCallOptions extends Omit<TilingOptions, 'scale'> {
  /** Input pixel limit (default 16 MP: a 16 MP input at x4 is a 1 GB RGBA result). */
  maxPixels?: number;
  /** 'imageData' (default) or 'blob' (PNG). */
  output?: 'imageData' | 'blob';
}

/** The free `upscale()`'s options: the upscaler's and the call's. */
export interface BrowserUpscaleOptions extends BrowserUpscalerOptions, BrowserUpscaleCallOptions {}

/** Where a model runs: the execution provider that took it, and wasm threads (0 on WebGPU). */
export interface RuntimeInfo {
  backend: ExecutionProvider;
  threads: number;
}

/** The generator (and, when asked for, the refiner) of one scale, loaded once in this page or worker. */
export interface BrowserUpscaler {
  readonly scale: Scale;
  /** Where the generator runs. */
  readonly runtimeInfo: RuntimeInfo;
  /**
   * Upscales an image. Rejects with a DiffganError (one-line message) for bad input and with
   * the signal's reason (an AbortError) when aborted.
   */
  upscale(input: BrowserInput, opts: BrowserUpscaleCallOptions & { output: 'blob' }): Promise<Blob>;
  upscale(input: BrowserInput, opts?: BrowserUpscaleCallOptions): Promise<ImageData>;
  /** Frees the sessions; later calls reject. Idempotent. */
  dispose(): Promise<void>;
}

export const BROWSER_MAX_PIXELS = 16_000_000;

const pageUrl = (rel: string): string => new URL(rel, globalThis.document?.baseURI ?? globalThis.location?.href).href;

// onnxruntime-web's env is per page (or worker), not per session: set once
let ortConfigured = false;
function configureOrt(wasmPaths: string | undefined): void {
  if (ortConfigured) return;
  ortConfigured = true;
  ort.env.wasm.wasmPaths = wasmPaths ?? pageUrl('ort/');
  // threads need SharedArrayBuffer, i.e. a cross-origin isolated page
  const cores = globalThis.navigator?.hardwareConcurrency || 1;
  ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.max(1, Math.min(4, cores)) : 1;
}

async function defaultProviders(): Promise<ExecutionProvider[]> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }) | undefined)?.gpu;
  if (gpu) {
    try {
      if (await gpu.requestAdapter()) return ['webgpu', 'wasm'];
    } catch {
      /* no adapter: wasm */
    }
  }
  return ['wasm'];
}

async function fetchBytes(url: string, what: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new DiffganError(`cannot fetch ${what} (${url}): ${(e as Error).message}`);
  }
  if (!res.ok) throw new DiffganError(`${what} not found: ${url} (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

async function sha256Hex(bytes: Uint8Array): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle; // only in secure contexts (https, localhost)
  if (!subtle) return undefined;
  const d = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Fetches and verifies a manifest + .dgw pair, the same files Node's loadWeights reads. */
async function fetchWeights(base: string, name: string): Promise<{ manifest: Manifest; bytes: Uint8Array }> {
  const manifestUrl = new URL(`${name}.manifest.json`, base).href;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(await fetchBytes(manifestUrl, 'weights manifest')));
  } catch (e) {
    if (e instanceof DiffganError) throw e;
    throw new DiffganError(`${manifestUrl}: not a JSON manifest`);
  }
  if (manifest.format !== 'diffgan-weights/1') throw new DiffganError(`${manifestUrl}: not a diffgan weights manifest`);
  const fileUrl = new URL(manifest.weights.file, manifestUrl).href;
  const bytes = await fetchBytes(fileUrl, 'weights');
  if (bytes.length !== manifest.weights.bytes) throw new DiffganError(`${fileUrl}: ${bytes.length} bytes, manifest says ${manifest.weights.bytes}`);
  const sum = await sha256Hex(bytes);
  if (sum !== undefined && sum !== manifest.weights.sha256) throw new DiffganError(`${fileUrl}: sha256 does not match the manifest`);
  return { manifest, bytes };
}

interface LoadedModel {
  runner: Runner;
  manifest: Manifest;
  runtimeInfo: RuntimeInfo;
}

async function loadRunner(base: string, name: string, providers: ExecutionProvider[]): Promise<LoadedModel> {
  const { manifest, bytes } = await fetchWeights(base, name);
  const { tensors } = decodeTensorBytes(bytes, name);
  checkAgainstSpec(manifest.architecture, tensors, name);
  const model = exportOnnx(manifest.architecture, tensors);
  const session = { executionProviders: providers, graphOptimizationLevel: 'all' };
  let runner: Runner;
  try {
    runner = await createOrtSessionRunner(ort as unknown as OrtModule, model, session, 'onnxruntime-web');
  } catch (e) {
    if (providers.length < 2) throw e;
    // e.g. a WebGPU adapter that cannot run some op: fall back to the next provider
    return loadRunner(base, name, providers.slice(1));
  }
  return { runner, manifest, runtimeInfo: { backend: providers[0], threads: providers[0] === 'wasm' ? (ort.env.wasm.numThreads ?? 1) : 0 } };
}

/** True when `name`.manifest.json is served at `weightsUrl` (default: `weights/` beside the page). */
async function weightsServed(name: string, weightsUrl?: string): Promise<boolean> {
  try {
    const res = await fetch(new URL(`${name}.manifest.json`, weightsUrl ?? pageUrl('weights/')).href, { method: 'HEAD' });
    return res.ok;
  } catch {
    return false;
  }
}

/** True when the refinement weights of `model`'s generator for `scale` are served at `weightsUrl`. */
export function refinerAvailable(scale: Scale, weightsUrl?: string, model: SrModel = 'fidelity'): Promise<boolean> {
  return weightsServed(refinerName(scale, model), weightsUrl);
}

/** True when the generator `model` ('fidelity' or 'real') for `scale` is served at `weightsUrl` (the page offers 'real' only then). */
export function generatorAvailable(model: SrModel, scale: Scale, weightsUrl?: string): Promise<boolean> {
  return weightsServed(modelWeightsName(model, scale), weightsUrl);
}

function newCanvas(w: number, h: number): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

/** Any accepted input → 8-bit RGBA pixels, checking the pixel limit before reading them. */
async function toImageData(input: BrowserInput, maxPixels: number): Promise<ImageData> {
  if (typeof ImageData !== 'undefined' && input instanceof ImageData) {
    checkPixelLimit(input.width, input.height, maxPixels, 'input');
    return input;
  }
  let source: CanvasImageSource & { width: number; height: number };
  let close = () => {};
  if (input instanceof Blob) {
    if (input.size === 0) throw new DiffganError('input file is empty (0 bytes)');
    let bmp: ImageBitmap;
    try {
      bmp = await createImageBitmap(input, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
    } catch {
      const kind = input.type ? ` (${input.type})` : '';
      throw new DiffganError(`not an image the browser can decode${kind}: use PNG, JPEG or WebP`);
    }
    source = bmp;
    close = () => bmp.close();
  } else if (typeof HTMLImageElement !== 'undefined' && input instanceof HTMLImageElement) {
    if (!input.complete || input.naturalWidth === 0) throw new DiffganError('image element is not loaded (or is not a decodable image)');
    source = input;
  } else source = input as HTMLCanvasElement | ImageBitmap;
  try {
    // workers have no HTMLImageElement; natural size is the image's own, not its CSS size
    const isImg = typeof HTMLImageElement !== 'undefined' && source instanceof HTMLImageElement;
    const w = isImg ? (source as HTMLImageElement).naturalWidth : source.width;
    const h = isImg ? (source as HTMLImageElement).naturalHeight : source.height;
    checkPixelLimit(w, h, maxPixels, 'input');
    const canvas = newCanvas(w, h);
    const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!ctx) throw new DiffganError('this browser has no 2D canvas');
    ctx.drawImage(source, 0, 0);
    return ctx.getImageData(0, 0, w, h);
  } finally {
    close();
  }
}

/** RGBA → RawImage, dropping alpha when the image is opaque (alpha then costs nothing). */
function rawFromImageData(img: ImageData): RawImage<Uint8Array> {
  const d = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  let opaque = true;
  for (let i = 3; i < d.length; i += 4)
    if (d[i] !== 255) {
      opaque = false;
      break;
    }
  if (!opaque) return { data: d, width: img.width, height: img.height, channels: 4 };
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let p = 0, s = 0; s < d.length; p += 3, s += 4) {
    rgb[p] = d[s];
    rgb[p + 1] = d[s + 1];
    rgb[p + 2] = d[s + 2];
  }
  return { data: rgb, width: img.width, height: img.height, channels: 3 };
}

function imageDataFromRaw(img: RawImage<Uint8Array>): ImageData {
  const n = img.width * img.height,
    c = img.channels;
  const rgba = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    const s = p * c,
      d = p * 4;
    if (c <= 2) {
      rgba[d] = rgba[d + 1] = rgba[d + 2] = img.data[s];
      rgba[d + 3] = c === 2 ? img.data[s + 1] : 255;
    } else {
      rgba[d] = img.data[s];
      rgba[d + 1] = img.data[s + 1];
      rgba[d + 2] = img.data[s + 2];
      rgba[d + 3] = c === 4 ? img.data[s + 3] : 255;
    }
  }
  return new ImageData(rgba, img.width, img.height);
}

/** ImageData → PNG Blob. */
export async function toPngBlob(img: ImageData): Promise<Blob> {
  const canvas = newCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
  ctx.putImageData(img, 0, 0);
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type: 'image/png' });
  return new Promise((resolve, reject) =>
    (canvas as HTMLCanvasElement).toBlob((b) => (b ? resolve(b) : reject(new DiffganError('PNG encoding failed'))), 'image/png'),
  );
}

/** MATLAB-style bicubic (the comparison baseline and the protocol's LR maker), RGBA in and out. */
export function bicubicUpscale(img: ImageData, scale: Scale): ImageData {
  checkScale(scale);
  const raw = { data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength), width: img.width, height: img.height, channels: 4 };
  const big = imresize(raw, { scale, output: 'uint8' });
  return new ImageData(new Uint8ClampedArray(big.data.buffer as ArrayBuffer, big.data.byteOffset, big.data.byteLength), big.width, big.height);
}

/** The input as raw pixels, checked against the pixel limit (before any model work). */
async function readInput(input: BrowserInput, opts: BrowserUpscaleCallOptions): Promise<RawImage<Uint8Array>> {
  const maxPixels = opts.maxPixels ?? BROWSER_MAX_PIXELS;
  if (!(maxPixels > 0)) throw new DiffganError(`invalid pixel limit ${maxPixels}`);
  opts.signal?.throwIfAborted();
  const img = await toImageData(input, maxPixels);
  opts.signal?.throwIfAborted();
  return rawFromImageData(img);
}

class WebUpscaler implements BrowserUpscaler {
  private readonly net: TileNet;
  private readonly held: UpscalerModels<LoadedModel>;

  constructor(
    readonly scale: Scale,
    private readonly model: SrModel,
    private readonly generator: LoadedModel,
    private readonly base: string,
    private readonly providers: ExecutionProvider[],
    private readonly defaultRefine: number,
  ) {
    this.net = tileNet(generator.manifest.architecture, generator.runner);
    this.held = new UpscalerModels(generator.runner);
  }

  get runtimeInfo(): RuntimeInfo {
    return { ...this.generator.runtimeInfo };
  }

  /** The refiner for refine > 0, loaded on first use. */
  async refiner(refine: number): Promise<Refiner | undefined> {
    this.held.checkLive();
    checkRefine(refine);
    checkRefinerSteps(refine);
    if (refine === 0) return undefined;
    const loaded = await this.held.refiner(() => loadRunner(this.base, refinerName(this.scale, this.model), this.providers));
    return refinerFromRunner(loaded.runner, refinerTemperature(loaded.manifest));
  }

  upscale(input: BrowserInput, opts: BrowserUpscaleCallOptions & { output: 'blob' }): Promise<Blob>;
  upscale(input: BrowserInput, opts?: BrowserUpscaleCallOptions): Promise<ImageData>;
  async upscale(input: BrowserInput, opts: BrowserUpscaleCallOptions = {}): Promise<ImageData | Blob> {
    return this.upscaleDecoded(await readInput(input, opts), opts);
  }

  /** `upscale` on pixels readInput has checked. */
  async upscaleDecoded(img: RawImage<Uint8Array>, opts: BrowserUpscaleCallOptions): Promise<ImageData | Blob> {
    const refine = opts.refine ?? this.defaultRefine;
    const refiner = await this.refiner(refine);
    const out = imageDataFromRaw(await upscalePixels(img, { ...opts, scale: this.scale, refine }, this.net, refiner));
    return opts.output === 'blob' ? toPngBlob(out) : out;
  }

  dispose(): Promise<void> {
    return this.held.dispose();
  }
}

async function createWebUpscaler(opts: BrowserUpscalerOptions): Promise<WebUpscaler> {
  const { scale, refine, model } = upscalerSettings(opts, checkRefinerSteps);
  configureOrt(opts.wasmPaths);
  const base = opts.weightsUrl ?? pageUrl('weights/');
  const providers = opts.executionProviders ?? (await defaultProviders());
  const generator = await loadRunner(base, modelWeightsName(model, scale), providers).catch((e) => {
    throw model === 'real' && e instanceof DiffganError ? new DiffganError(`the real model for x${scale} is not trained yet (${e.message})`) : e;
  });
  const sr = new WebUpscaler(scale, model, generator, base, providers, refine);
  return withRefinerReady(sr, refine, (u) => u.refiner(refine));
}

/**
 * Fetches and loads the generator for `opts.scale` (default 4) and, when `opts.refine` > 0,
 * the refiner. `await sr.upscale(input, callOpts)` as often as needed, then `await sr.dispose()`.
 */
export function createUpscaler(opts: BrowserUpscalerOptions = {}): Promise<BrowserUpscaler> {
  return createWebUpscaler(opts);
}

/**
 * One-shot upscaling x2 or x4 (see BrowserUpscaler.upscale): fetches the weights, runs once
 * and frees the session. Hold an upscaler (createUpscaler) to upscale more than one image.
 */
export async function upscale(input: BrowserInput, opts: BrowserUpscaleOptions & { output: 'blob' }): Promise<Blob>;
export async function upscale(input: BrowserInput, opts?: BrowserUpscaleOptions): Promise<ImageData>;
export async function upscale(input: BrowserInput, opts: BrowserUpscaleOptions = {}): Promise<ImageData | Blob> {
  upscalerSettings(opts, checkRefinerSteps);
  const img = await readInput(input, opts);
  return withUpscaler(createWebUpscaler(opts), (sr) => sr.upscaleDecoded(img, opts));
}
