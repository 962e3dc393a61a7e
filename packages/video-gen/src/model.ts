/**
 * Where the neural interpolator and upscaler plug in. Until their weights
 * exist these fail with a clear MODEL_UNAVAILABLE error; the model work
 * replaces the bodies and keeps the signatures.
 */
import { VideoError } from './errors';
import type { Interpolator } from './interpolate';
import type { Upscaler } from './upscale';

export interface ModelLoadOptions {
  /** Weights file or directory; the default location is decided with the models. */
  weights?: string;
}

export async function loadModelInterpolator(_options: ModelLoadOptions = {}): Promise<Interpolator> {
  throw new VideoError('MODEL_UNAVAILABLE', 'model weights not available yet: the neural interpolator is not trained; use --method blend');
}

export async function loadModelUpscaler(_options: ModelLoadOptions = {}): Promise<Upscaler> {
  throw new VideoError('MODEL_UNAVAILABLE', 'model weights not available yet: the neural upscaler is not trained; use --method lanczos');
}
