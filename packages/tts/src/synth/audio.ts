/** Host-side spectral features shared by training, synthesis and the bench. */
import { stft, DEFAULT_STFT } from '../dsp/stft';
import type { ComplexSpectrogram } from '../dsp/stft';
import { melFilterbank, applyMel } from '../dsp/mel';
import type { MelFilterbank } from '../dsp/mel';
import { magnitude } from '../dsp/spectrogram';

let fbCache: MelFilterbank | null = null;
export function filterbank(): MelFilterbank {
  return (fbCache ??= melFilterbank());
}

export interface Spectra {
  frames: number;
  logMel: Float32Array;
  logMag: Float32Array;
  spec: ComplexSpectrogram;
}

/** ln-magnitude (floor 1e-5) STFT and 80-band ln-mel of a 22,050 Hz signal, frame-major. */
export function spectra(signal: ArrayLike<number>): Spectra {
  const spec = stft(signal, DEFAULT_STFT);
  const mag = magnitude(spec);
  const mel = applyMel(mag, filterbank());
  const logMel = mel.data.map((v) => Math.log(Math.max(v, 1e-5)));
  const logMag = mag.data.map((v) => Math.log(Math.max(v, 1e-5)));
  return { frames: spec.nFrames, logMel, logMag, spec };
}

let projCache: { bands: number[][]; weights: number[][] } | null = null;

/**
 * Mel-consistency projection: rescales a linear magnitude (frames x 513) so that its mel
 * matches `targetLogMel` (frames x 80, ln) band by band, keeping the fine (harmonic) structure
 * inside each band. Bin gains interpolate the band ratios with the filterbank weights; bins
 * above the top filter (8 kHz) take the top band's ratio. Returns the number of frames done.
 */
export function projectToMel(mag: Float32Array, targetLogMel: ArrayLike<number>, frames: number, iterations = 3): number {
  const fb = filterbank(),
    B = fb.nBins,
    M = fb.nMels;
  if (!projCache) {
    const bands: number[][] = [],
      weights: number[][] = [];
    let lastCovered = -1;
    for (let k = 0; k < B; k++) {
      const bs: number[] = [],
        ws: number[] = [];
      for (let m = 0; m < M; m++) {
        const w = fb.weights[m * B + k];
        if (w > 0) {
          bs.push(m);
          ws.push(w);
        }
      }
      if (bs.length) lastCovered = k;
      bands.push(bs);
      weights.push(ws);
    }
    for (let k = 0; k < B; k++)
      if (!bands[k].length) {
        bands[k] = [k > lastCovered ? M - 1 : 0];
        weights[k] = [1];
      }
    projCache = { bands, weights };
  }
  const { bands, weights } = projCache;
  const melEst = new Float64Array(M),
    ratio = new Float64Array(M);
  for (let it = 0; it < iterations; it++) {
    for (let t = 0; t < frames; t++) {
      const row = t * B;
      melEst.fill(0);
      for (let k = 0; k < B; k++) {
        const v = mag[row + k];
        if (!v) continue;
        const bs = bands[k];
        for (let j = 0; j < bs.length; j++) melEst[bs[j]] += fb.weights[bs[j] * B + k] * v;
      }
      for (let m = 0; m < M; m++) ratio[m] = Math.min(1e3, Math.max(1e-3, Math.exp(targetLogMel[t * M + m]) / Math.max(melEst[m], 1e-9)));
      for (let k = 0; k < B; k++) {
        const bs = bands[k],
          ws = weights[k];
        let num = 0,
          den = 0;
        for (let j = 0; j < bs.length; j++) {
          num += ws[j] * ratio[bs[j]];
          den += ws[j];
        }
        mag[row + k] *= den > 0 ? num / den : 1;
      }
    }
  }
  return frames;
}
