/** Magnitude, power and log spectrograms: Float32Array frame-major, nFrames x nBins. */
import type { ComplexSpectrogram } from './stft';

/** A real-valued time-frequency matrix, value (t, k) at t * nBins + k. */
export interface RealSpectrogram {
  nFrames: number;
  nBins: number;
  data: Float32Array;
}

export function magnitude(spec: ComplexSpectrogram): RealSpectrogram {
  const data = new Float32Array(spec.re.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.hypot(spec.re[i], spec.im[i]);
  return { nFrames: spec.nFrames, nBins: spec.nBins, data };
}

export function power(spec: ComplexSpectrogram): RealSpectrogram {
  const data = new Float32Array(spec.re.length);
  for (let i = 0; i < data.length; i++) data[i] = spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i];
  return { nFrames: spec.nFrames, nBins: spec.nBins, data };
}

/** Natural log of max(value, floor): the usual "log-mel" compression in TTS (floor 1e-5). */
export function logCompress(spec: RealSpectrogram, floor = 1e-5): RealSpectrogram {
  const data = new Float32Array(spec.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.log(Math.max(spec.data[i], floor));
  return { ...spec, data };
}

/** Inverse of logCompress. */
export function logDecompress(spec: RealSpectrogram): RealSpectrogram {
  const data = new Float32Array(spec.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.exp(spec.data[i]);
  return { ...spec, data };
}

/** Amplitude to decibels, 20 log10(max(a, floor)). */
export function amplitudeToDb(spec: RealSpectrogram, floor = 1e-5): RealSpectrogram {
  const data = new Float32Array(spec.data.length);
  for (let i = 0; i < data.length; i++) data[i] = 20 * Math.log10(Math.max(spec.data[i], floor));
  return { ...spec, data };
}
