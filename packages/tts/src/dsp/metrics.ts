/**
 * Objective distances between a reference and a synthesised signal.
 *
 * Log-spectral distance (dB), per frame t over K bins, then averaged over frames:
 *   LSD = mean_t sqrt( mean_k (10 log10(P_ref(t,k) / P_est(t,k)))^2 ),  P = |X|^2,
 * both floored at `floorDb` (default -80 dB) below the loudest bin of the reference, so
 * digital silence in one signal against faint noise in the other does not dominate.
 *
 * Mel-cepstral distortion (dB). Mel-cepstrum here = DCT-II (orthonormal) of the
 * natural-log mel magnitude spectrum (80 Slaney mels, floor 1e-5), coefficients
 * c_1..c_D (D = 24 by default, c_0 = overall level excluded). Per frame
 *   MCD = (10 / ln 10) * sqrt(2 * sum_{d=1..D} (c_d - c'_d)^2),
 * averaged over frames that are aligned index by index (signals of equal length)
 * or along a DTW path (option `dtw`), as is usual for TTS evaluation. This is the
 * "mel-cepstrum via DCT of the log mel spectrogram" variant, not SPTK mcep
 * (all-pass warped cepstrum), so values are comparable only with each other.
 */
import { dtw } from './dtw';
import { applyMel, melFilterbank, MelConfig, MelFilterbank } from './mel';
import { magnitude, power, RealSpectrogram } from './spectrogram';
import { stft, StftConfig } from './stft';

export function logSpectralDistance(reference: ArrayLike<number>, estimate: ArrayLike<number>, config: Partial<StftConfig> = {}, floorDb = -80): number {
  const ref = power(stft(reference, config));
  const est = power(stft(estimate, config));
  const peak = ref.data.reduce((m, v) => Math.max(m, v), 0);
  const floor = Math.max(peak * 10 ** (floorDb / 10), 1e-20);
  const frames = Math.min(ref.nFrames, est.nFrames);
  const bins = ref.nBins;
  let total = 0;
  for (let t = 0; t < frames; t++) {
    let sum = 0;
    for (let k = 0; k < bins; k++) {
      const d = 10 * Math.log10(Math.max(ref.data[t * bins + k], floor) / Math.max(est.data[t * bins + k], floor));
      sum += d * d;
    }
    total += Math.sqrt(sum / bins);
  }
  return frames === 0 ? 0 : total / frames;
}

/** Orthonormal DCT-II of each row of `logMel`, keeping coefficients 0..order. */
export function melCepstrum(logMel: RealSpectrogram, order = 24): Float32Array {
  const n = logMel.nBins;
  const out = new Float32Array(logMel.nFrames * (order + 1));
  for (let t = 0; t < logMel.nFrames; t++) {
    for (let d = 0; d <= order; d++) {
      let sum = 0;
      for (let m = 0; m < n; m++) sum += logMel.data[t * n + m] * Math.cos((Math.PI * d * (m + 0.5)) / n);
      out[t * (order + 1) + d] = sum * Math.sqrt((d === 0 ? 1 : 2) / n);
    }
  }
  return out;
}

export interface McdOptions {
  order?: number;
  /** Align frames with DTW instead of index by index. Default false. */
  dtw?: boolean;
  stft?: Partial<StftConfig>;
  mel?: Partial<MelConfig>;
  filterbank?: MelFilterbank;
}

/** Mel-cepstra (c_0..c_order) of a signal, frame-major. */
export function signalMelCepstrum(signal: ArrayLike<number>, options: McdOptions = {}): Float32Array {
  const fb = options.filterbank ?? melFilterbank({ ...options.mel, nFft: options.stft?.nFft ?? 1024 });
  const mel = applyMel(magnitude(stft(signal, options.stft)), fb);
  const logMel: RealSpectrogram = { ...mel, data: mel.data.map((v) => Math.log(Math.max(v, 1e-5))) };
  return melCepstrum(logMel, options.order ?? 24);
}

const MCD_SCALE = (10 / Math.LN10) * Math.SQRT2;

/** Per-frame MCD between frame i of a and frame j of b (c_0 skipped). */
function frameMcd(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let sum = 0;
  for (let d = 1; d < dim; d++) {
    const diff = a[i * dim + d] - b[j * dim + d];
    sum += diff * diff;
  }
  return MCD_SCALE * Math.sqrt(sum);
}

export function melCepstralDistortion(reference: ArrayLike<number>, estimate: ArrayLike<number>, options: McdOptions = {}): number {
  const dim = (options.order ?? 24) + 1;
  const a = signalMelCepstrum(reference, options);
  const b = signalMelCepstrum(estimate, options);
  const distance = (x: Float32Array, i: number, y: Float32Array, j: number) => frameMcd(x, i, y, j, dim);
  if (options.dtw) {
    const { path } = dtw(a, b, dim, distance);
    if (path.length === 0) return 0;
    let sum = 0;
    for (const [i, j] of path) sum += distance(a, i, b, j);
    return sum / path.length;
  }
  const frames = Math.min(a.length, b.length) / dim;
  let sum = 0;
  for (let t = 0; t < frames; t++) sum += distance(a, t, b, t);
  return frames === 0 ? 0 : sum / frames;
}

/**
 * Share of `frameSeconds` frames quieter than `thresholdDb` dBFS (mean power): pauses and silences, or speech too
 * quiet to hear. The long-input check (#26) compares a long text's share with a short one's.
 */
export function quietFrameShare(audio: ArrayLike<number>, sampleRate: number, thresholdDb = -45, frameSeconds = 0.05): number {
  const hop = Math.round(sampleRate * frameSeconds);
  let quiet = 0,
    frames = 0;
  for (let i = 0; i + hop <= audio.length; i += hop) {
    let energy = 0;
    for (let k = 0; k < hop; k++) energy += audio[i + k] ** 2;
    frames++;
    if (10 * Math.log10(energy / hop + 1e-20) < thresholdDb) quiet++;
  }
  return quiet / frames;
}
