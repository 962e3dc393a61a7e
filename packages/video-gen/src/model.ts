/**
 * Where the neural interpolator and upscaler plug in (see interp/ and upscale-temporal.ts).
 * Missing or broken weights give a one-line MODEL_UNAVAILABLE VideoError.
 */
import * as fs from 'fs';
import * as path from 'path';
import { VideoError } from './errors';
import type { Interpolator } from './interpolate';
import type { Upscaler } from './upscale';
import { createModelInterpolator, generatorManifestPath, ModelInterpolatorOptions } from './interp/interpolator';
import { createIfnetInterpolator, ifnetManifestPath, IfnetInterpolatorOptions } from './interp/ifnet-interpolator';
import { createTemporalUpscaler, srManifestPath, TemporalUpscalerOptions } from './upscale-temporal';

export interface ModelLoadOptions {
  /**
   * Weights folder, or a manifest inside it. Interpolator: the folder with
   * interp_g.manifest.json (default: this package's weights/, or $DIFFGAN_VGEN_WEIGHTS).
   * Upscaler: the folder with image-sr's sr_generator_x{2,4}.manifest.json (default:
   * @diffgan/image-sr's weights/, or $DIFFGAN_SR_WEIGHTS).
   */
  weights?: string;
}

function folderOf(weights?: string): string | undefined {
  if (weights === undefined) return undefined;
  return weights.endsWith('.json') ? path.dirname(weights) : weights;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True when interp_ifnet's weights are present (the CLI then defaults to --method ifnet). */
export function ifnetInterpolatorAvailable(options: ModelLoadOptions = {}): boolean {
  return fs.existsSync(ifnetManifestPath(folderOf(options.weights)));
}

/** True when the GAN interpolator's weights are present (the CLI's default without interp_ifnet). */
export function modelInterpolatorAvailable(options: ModelLoadOptions = {}): boolean {
  return fs.existsSync(generatorManifestPath(folderOf(options.weights)));
}

/** True when image-sr's x4 generator weights are present (x2 falls back to x4 when needed). */
export function modelUpscalerAvailable(options: ModelLoadOptions = {}): boolean {
  return fs.existsSync(srManifestPath(4, folderOf(options.weights))) || fs.existsSync(srManifestPath(2, folderOf(options.weights)));
}

export async function loadModelInterpolator(options: ModelLoadOptions & Omit<ModelInterpolatorOptions, 'weightsDir'> = {}): Promise<Interpolator> {
  const dir = folderOf(options.weights);
  const manifest = generatorManifestPath(dir);
  if (!fs.existsSync(manifest)) {
    throw new VideoError(
      'MODEL_UNAVAILABLE',
      `model weights not available: ${manifest} is missing; use --method blend or train the interpolator (npm run train-interp -w @diffgan/video-gen)`,
    );
  }
  try {
    return await createModelInterpolator({ ...options, weightsDir: dir });
  } catch (e) {
    throw new VideoError('MODEL_UNAVAILABLE', `cannot load the interpolator: ${message(e)}`);
  }
}

/** The IFNet-like interpolator (--method ifnet): interp_ifnet's weights in the same folder as interp_g's. */
export async function loadIfnetInterpolator(options: ModelLoadOptions & Omit<IfnetInterpolatorOptions, 'weightsDir'> = {}): Promise<Interpolator> {
  const dir = folderOf(options.weights);
  const manifest = ifnetManifestPath(dir);
  if (!fs.existsSync(manifest)) {
    throw new VideoError(
      'MODEL_UNAVAILABLE',
      `model weights not available: ${manifest} is missing; use --method model or train it (diffgan train interp-ifnet, then its export)`,
    );
  }
  try {
    return await createIfnetInterpolator({ ...options, weightsDir: dir });
  } catch (e) {
    throw new VideoError('MODEL_UNAVAILABLE', `cannot load the IFNet interpolator: ${message(e)}`);
  }
}

export async function loadModelUpscaler(options: ModelLoadOptions & Omit<TemporalUpscalerOptions, 'weightsDir'> = {}): Promise<Upscaler> {
  const dir = folderOf(options.weights);
  if (!modelUpscalerAvailable(options)) {
    throw new VideoError('MODEL_UNAVAILABLE', `model weights not available: ${srManifestPath(4, dir)} is missing; use --method lanczos`);
  }
  const upscaler = createTemporalUpscaler({ ...options, weightsDir: dir });
  // surface weight problems as one-line MODEL_UNAVAILABLE errors
  return async (frame, scale, context) => {
    try {
      return await upscaler(frame, scale, context);
    } catch (e) {
      if (e instanceof RangeError || e instanceof VideoError) throw e;
      throw new VideoError('MODEL_UNAVAILABLE', `the upscaling model failed: ${message(e)}`);
    }
  };
}
