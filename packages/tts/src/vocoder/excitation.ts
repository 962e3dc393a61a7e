/**
 * The source half of the source-filter generator (as in NSF / NSF-HiFiGAN vocoders): a
 * waveform that carries the pitch, from a frame-level F0 track. Voiced samples are a band-
 * limited harmonic sum at F0 (every harmonic below 0.95 x Nyquist, equal amplitude), unvoiced
 * ones white noise. The network never has to invent periodicity or phase: its STFT gives the
 * generator (a) the harmonic comb it shapes and (b) the phase its output is synthesised with.
 */
import { Rng } from '@diffgan/core-models';
import { stft, DEFAULT_STFT } from '../dsp/stft';
import type { ComplexSpectrogram } from '../dsp/stft';

const SAMPLE_RATE = 22050,
  HOP = 256;
/** Half-width (bins) of the moving average the comb is measured against; >= one harmonic spacing at 120 Hz (5.6 bins). */
const COMB_HALF = 8;
/** Noise added to voiced samples (relative to the harmonics' unit RMS): real voices are never purely periodic, and every bin then carries a usable phase. */
export const NOISE = 0.1;

/**
 * Excitation of `frames` frames ((frames - 1) * 256 samples): F0 (Hz, 0 = unvoiced) is given at
 * the frame centres t * 256 and interpolated linearly per sample inside voiced runs; the phase
 * integrates it, so pitch changes never click. Unit RMS in voiced and unvoiced parts alike.
 */
export function harmonicExcitation(f0: ArrayLike<number>, frames: number, seed = 0, voicedNoise = NOISE): Float32Array {
  const n = Math.max(0, (frames - 1) * HOP);
  const out = new Float32Array(n);
  const rng = new Rng(seed);
  const nyq = 0.95 * (SAMPLE_RATE / 2);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / HOP,
      t0 = Math.floor(t),
      w = t - t0;
    const a = f0[t0] ?? 0,
      b = f0[Math.min(t0 + 1, frames - 1)] ?? 0;
    // inside a voiced run interpolate, at its edges hold the voiced side, so the boundary sits mid-frame
    const f = a > 0 && b > 0 ? a + (b - a) * w : w < 0.5 ? a : b;
    if (f > 0) {
      phase += (2 * Math.PI * f) / SAMPLE_RATE;
      if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
      const K = Math.max(1, Math.floor(nyq / f));
      // sum_{k=1..K} cos(k phase), normalised to unit RMS (each harmonic has mean square 1/2)
      let s = 0;
      for (let k = 1; k <= K; k++) s += Math.cos(k * phase);
      out[i] = s * Math.sqrt(2 / K) + voicedNoise * rng.normal();
    } else out[i] = rng.normal();
  }
  return out;
}

/** STFT of the excitation: (frames - 1) * 256 centred samples give exactly `frames` frames. */
export function excitationSpectrum(f0: ArrayLike<number>, frames: number, seed = 0, voicedNoise = NOISE): ComplexSpectrogram {
  return stft(harmonicExcitation(f0, frames, seed, voicedNoise), DEFAULT_STFT);
}

/**
 * The harmonic comb the generator shapes: ln|E| minus its moving average over +-8 bins,
 * clamped to [-4, 3] (frames x 513). Peaks at the harmonics are positive, the valleys negative;
 * on noise it is small and random.
 */
export function combFeature(spec: ComplexSpectrogram): Float32Array {
  const { nFrames: T, nBins: B } = spec;
  const out = new Float32Array(T * B);
  const lm = new Float64Array(B),
    cs = new Float64Array(B + 1);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < B; k++) {
      const i = t * B + k;
      lm[k] = Math.log(Math.max(Math.hypot(spec.re[i], spec.im[i]), 1e-5));
      cs[k + 1] = cs[k] + lm[k];
    }
    for (let k = 0; k < B; k++) {
      const lo = Math.max(0, k - COMB_HALF),
        hi = Math.min(B - 1, k + COMB_HALF);
      const avg = (cs[hi + 1] - cs[lo]) / (hi - lo + 1);
      out[t * B + k] = Math.max(-4, Math.min(3, lm[k] - avg));
    }
  }
  return out;
}

/** Per-frame pitch inputs of the generator: [(semitones re 100 Hz - 12) / 6, voiced] (frames x 2); 0 at 200 Hz, this voice's typical F0. */
export function pitchFeature(f0: ArrayLike<number>, frames: number): Float32Array {
  const out = new Float32Array(frames * 2);
  for (let t = 0; t < frames; t++) {
    const f = f0[t] ?? 0;
    if (f > 0) {
      out[t * 2] = (12 * Math.log2(f / 100) - 12) / 6;
      out[t * 2 + 1] = 1;
    }
  }
  return out;
}
