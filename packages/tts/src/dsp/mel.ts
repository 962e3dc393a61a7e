/**
 * Mel filterbank, Slaney style (librosa.filters.mel with htk=False, norm="slaney"):
 * mel scale linear below 1 kHz (200/3 Hz per mel) and logarithmic above; each
 * triangle is scaled by 2 / (its bandwidth in Hz) so that it has unit area.
 */
import type { RealSpectrogram } from './spectrogram';

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP; // 15
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMel(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

export function melToHz(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : mel * F_SP;
}

export interface MelConfig {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fMin: number;
  fMax: number;
  /** 'slaney' = unit-area triangles (default); 'none' = peak 1 (the triangles then sum to 1). */
  norm: 'slaney' | 'none';
}

export const DEFAULT_MEL: MelConfig = { sampleRate: 22050, nFft: 1024, nMels: 80, fMin: 0, fMax: 8000, norm: 'slaney' };

/** Filterbank matrix, row-major nMels x (nFft/2 + 1). */
export interface MelFilterbank {
  nMels: number;
  nBins: number;
  weights: Float64Array;
  /** Centre frequencies in Hz of the nMels filters. */
  centers: Float64Array;
}

export function melFilterbank(partial: Partial<MelConfig> = {}): MelFilterbank {
  const c = { ...DEFAULT_MEL, ...partial };
  const nBins = Math.floor(c.nFft / 2) + 1;
  const fftFreqs = Float64Array.from({ length: nBins }, (_, k) => (k * c.sampleRate) / c.nFft);
  const melMin = hzToMel(c.fMin);
  const melMax = hzToMel(c.fMax);
  const edges = Float64Array.from({ length: c.nMels + 2 }, (_, i) => melToHz(melMin + ((melMax - melMin) * i) / (c.nMels + 1)));
  const weights = new Float64Array(c.nMels * nBins);
  for (let m = 0; m < c.nMels; m++) {
    const lo = edges[m];
    const mid = edges[m + 1];
    const hi = edges[m + 2];
    const scale = c.norm === 'slaney' ? 2 / (hi - lo) : 1;
    for (let k = 0; k < nBins; k++) {
      const rising = (fftFreqs[k] - lo) / (mid - lo);
      const falling = (hi - fftFreqs[k]) / (hi - mid);
      weights[m * nBins + k] = Math.max(0, Math.min(rising, falling)) * scale;
    }
  }
  return { nMels: c.nMels, nBins, weights, centers: edges.slice(1, c.nMels + 1) };
}

/** Applies the filterbank to a linear magnitude (or power) spectrogram. */
export function applyMel(spec: RealSpectrogram, fb: MelFilterbank): RealSpectrogram {
  if (spec.nBins !== fb.nBins) throw new Error(`spectrogram has ${spec.nBins} bins, filterbank ${fb.nBins}`);
  const data = new Float32Array(spec.nFrames * fb.nMels);
  for (let t = 0; t < spec.nFrames; t++) {
    const row = t * spec.nBins;
    for (let m = 0; m < fb.nMels; m++) {
      const w = m * fb.nBins;
      let sum = 0;
      for (let k = 0; k < fb.nBins; k++) sum += fb.weights[w + k] * spec.data[row + k];
      data[t * fb.nMels + m] = sum;
    }
  }
  return { nFrames: spec.nFrames, nBins: fb.nMels, data };
}

/** Solves A X = B for symmetric positive definite A (n x n) by Cholesky; B is n x r. */
function choleskySolve(a: Float64Array, n: number, b: Float64Array, r: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (sum <= 0) throw new Error('matrix not positive definite');
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j];
      }
    }
  }
  const x = Float64Array.from(b);
  for (let c = 0; c < r; c++) {
    for (let i = 0; i < n; i++) {
      let sum = x[i * r + c];
      for (let k = 0; k < i; k++) sum -= l[i * n + k] * x[k * r + c];
      x[i * r + c] = sum / l[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = x[i * r + c];
      for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k * r + c];
      x[i * r + c] = sum / l[i * n + i];
    }
  }
  return x;
}

/**
 * Moore-Penrose pseudo-inverse of the filterbank, nBins x nMels, as F^T (F F^T)^-1
 * (F has full row rank: every filter covers at least one bin no other filter peaks on).
 * A ridge of 1e-10 x mean diagonal guards against round-off.
 */
export function melPseudoInverse(fb: MelFilterbank): Float64Array {
  const { nMels, nBins, weights } = fb;
  const gram = new Float64Array(nMels * nMels);
  let trace = 0;
  for (let i = 0; i < nMels; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = 0; k < nBins; k++) sum += weights[i * nBins + k] * weights[j * nBins + k];
      gram[i * nMels + j] = sum;
      gram[j * nMels + i] = sum;
    }
    trace += gram[i * nMels + i];
  }
  const ridge = (1e-10 * trace) / nMels;
  for (let i = 0; i < nMels; i++) gram[i * nMels + i] += ridge;
  // (F F^T)^-1 F  (nMels x nBins), then transpose.
  const solved = choleskySolve(gram, nMels, weights, nBins);
  const pinv = new Float64Array(nBins * nMels);
  for (let m = 0; m < nMels; m++) for (let k = 0; k < nBins; k++) pinv[k * nMels + m] = solved[m * nBins + k];
  return pinv;
}

/**
 * Mel -> linear magnitude through the pseudo-inverse, clamped at zero (a magnitude
 * cannot be negative). Blurs detail the filterbank removed; good enough for Griffin-Lim.
 */
export function melToLinear(mel: RealSpectrogram, fb: MelFilterbank, pinv = melPseudoInverse(fb)): RealSpectrogram {
  const { nMels, nBins } = fb;
  if (mel.nBins !== nMels) throw new Error(`mel spectrogram has ${mel.nBins} bands, filterbank ${nMels}`);
  const data = new Float32Array(mel.nFrames * nBins);
  for (let t = 0; t < mel.nFrames; t++) {
    for (let k = 0; k < nBins; k++) {
      let sum = 0;
      for (let m = 0; m < nMels; m++) sum += pinv[k * nMels + m] * mel.data[t * nMels + m];
      data[t * nBins + k] = Math.max(0, sum);
    }
  }
  return { nFrames: mel.nFrames, nBins, data };
}
