/**
 * Short-time Fourier transform and its inverse (librosa conventions).
 *
 * Defaults: n_fft 1024, hop 256, win 1024, periodic Hann window, centre padding
 * by reflection (n_fft/2 each side), so frame t is centred on sample t*hop.
 * The inverse is a weighted overlap-add divided by the sum of squared windows,
 * which reconstructs the input exactly wherever that sum is non-zero.
 */
import { RealFft } from './real-fft';
import { hannWindow, padWindow } from './window';

export interface StftConfig {
  nFft: number;
  hopLength: number;
  winLength: number;
  center: boolean;
}

export const DEFAULT_STFT: StftConfig = { nFft: 1024, hopLength: 256, winLength: 1024, center: true };

/** Complex spectrogram stored frame-major: value (t, k) at index t * nBins + k. */
export interface ComplexSpectrogram {
  nFrames: number;
  nBins: number;
  re: Float64Array;
  im: Float64Array;
}

export function resolveStftConfig(config: Partial<StftConfig> = {}): StftConfig {
  const nFft = config.nFft ?? DEFAULT_STFT.nFft;
  return {
    nFft,
    hopLength: config.hopLength ?? Math.floor(nFft / 4),
    winLength: config.winLength ?? nFft,
    center: config.center ?? DEFAULT_STFT.center,
  };
}

/** Reflect-pads (numpy "reflect": the edge sample is not repeated). */
export function reflectPad(signal: ArrayLike<number>, pad: number): Float64Array {
  const n = signal.length;
  if (n <= pad) throw new Error(`signal of ${n} samples too short to reflect-pad by ${pad}`);
  const out = new Float64Array(n + 2 * pad);
  for (let i = 0; i < n; i++) out[pad + i] = signal[i];
  for (let i = 1; i <= pad; i++) {
    out[pad - i] = signal[i];
    out[pad + n - 1 + i] = signal[n - 1 - i];
  }
  return out;
}

/** Number of STFT frames for a signal of `length` samples. */
export function frameCount(length: number, config: StftConfig): number {
  const padded = config.center ? length + 2 * Math.floor(config.nFft / 2) : length;
  return padded < config.nFft ? 0 : 1 + Math.floor((padded - config.nFft) / config.hopLength);
}

export function stft(signal: ArrayLike<number>, partial: Partial<StftConfig> = {}): ComplexSpectrogram {
  const config = resolveStftConfig(partial);
  const { nFft, hopLength } = config;
  const x = config.center ? reflectPad(signal, Math.floor(nFft / 2)) : Float64Array.from(signal);
  const window = padWindow(hannWindow(config.winLength), nFft);
  const fft = new RealFft(nFft);
  const nFrames = frameCount(signal.length, config);
  const nBins = fft.bins;
  const re = new Float64Array(nFrames * nBins);
  const im = new Float64Array(nFrames * nBins);
  const frame = new Float64Array(nFft);
  for (let t = 0; t < nFrames; t++) {
    const start = t * hopLength;
    for (let i = 0; i < nFft; i++) frame[i] = x[start + i] * window[i];
    fft.forward(frame, re, im, t * nBins);
  }
  return { nFrames, nBins, re, im };
}

/**
 * Inverse STFT. `length` trims/pads the output to that many samples (default: the
 * length implied by the frame count).
 */
export function istft(spec: ComplexSpectrogram, partial: Partial<StftConfig> = {}, length?: number): Float32Array {
  const config = resolveStftConfig(partial);
  const { nFft, hopLength } = config;
  if (spec.nBins !== nFft / 2 + 1) throw new Error(`spectrogram has ${spec.nBins} bins, n_fft ${nFft} needs ${nFft / 2 + 1}`);
  const window = padWindow(hannWindow(config.winLength), nFft);
  const fft = new RealFft(nFft);
  const total = nFft + hopLength * (spec.nFrames - 1);
  const y = new Float64Array(total);
  const windowSum = new Float64Array(total);
  const frame = new Float64Array(nFft),
    frame2 = new Float64Array(nFft);
  const overlapAdd = (f: Float64Array, t: number): void => {
    const start = t * hopLength;
    for (let i = 0; i < nFft; i++) {
      y[start + i] += f[i] * window[i];
      windowSum[start + i] += window[i] * window[i];
    }
  };
  let t = 0;
  for (; t + 1 < spec.nFrames; t += 2) {
    fft.inverse2(spec.re, spec.im, t * spec.nBins, (t + 1) * spec.nBins, frame, frame2);
    overlapAdd(frame, t);
    overlapAdd(frame2, t + 1);
  }
  if (t < spec.nFrames) {
    fft.inverse(spec.re, spec.im, t * spec.nBins, frame);
    overlapAdd(frame, t);
  }
  // Divide by the window-square sum where it is not vanishingly small (the edges).
  const tiny = 1e-10;
  for (let i = 0; i < total; i++) if (windowSum[i] > tiny) y[i] /= windowSum[i];
  const offset = config.center ? Math.floor(nFft / 2) : 0;
  const outLength = length ?? (config.center ? total - 2 * offset : total);
  const out = new Float32Array(outLength);
  for (let i = 0; i < outLength && offset + i < total; i++) out[i] = y[offset + i];
  return out;
}
