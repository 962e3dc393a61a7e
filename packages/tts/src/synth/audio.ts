/** Host-side spectral features shared by training, synthesis and the bench. */
import { stft, istft, DEFAULT_STFT } from '../dsp/stft';
import type { ComplexSpectrogram } from '../dsp/stft';
import { melFilterbank, applyMel } from '../dsp/mel';
import type { MelFilterbank } from '../dsp/mel';
import { magnitude } from '../dsp/spectrogram';

let fbCache: MelFilterbank | null = null;
export function filterbank(): MelFilterbank { return (fbCache ??= melFilterbank()); }

export interface Spectra { frames: number; logMel: Float32Array; logMag: Float32Array; spec: ComplexSpectrogram }

/** ln-magnitude (floor 1e-5) STFT and 80-band ln-mel of a 22,050 Hz signal, frame-major. */
export function spectra(signal: ArrayLike<number>): Spectra {
  const spec = stft(signal, DEFAULT_STFT);
  const mag = magnitude(spec);
  const mel = applyMel(mag, filterbank());
  const logMel = mel.data.map((v) => Math.log(Math.max(v, 1e-5)));
  const logMag = mag.data.map((v) => Math.log(Math.max(v, 1e-5)));
  return { frames: spec.nFrames, logMel, logMag, spec };
}

/** Waveform from per-frame log-magnitude and phase angle (the vocoder head). */
export function specToWave(logMag: ArrayLike<number>, phase: ArrayLike<number>, frames: number, bins = 513): Float32Array {
  const re = new Float64Array(frames * bins), im = new Float64Array(frames * bins);
  for (let i = 0; i < frames * bins; i++) { const m = Math.exp(Math.min(logMag[i], 6)); re[i] = m * Math.cos(phase[i]); im[i] = m * Math.sin(phase[i]); }
  return istft({ nFrames: frames, nBins: bins, re, im }, DEFAULT_STFT, (frames - 1) * 256);
}
