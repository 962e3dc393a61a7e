/**
 * Phase reconstruction from a magnitude spectrogram (the one Griffin-Lim of the package: the
 * synthesis path and the bench's mel-only baseline both call it).
 *
 * Fast Griffin-Lim (Perraudin, Balazs & Søndergaard 2013): plain Griffin-Lim
 * alternates "make it consistent" (iSTFT then STFT) and "impose the magnitude";
 * the fast variant extrapolates the consistent estimate along its last step,
 *   c_n = P_consistent(x_{n-1});  t_n = c_n + alpha (c_n - c_{n-1});  x_n = P_magnitude(t_n),
 * with alpha ~0.99. alpha = 0 is plain Griffin-Lim.
 */
import { Rng } from '@diffgan/core-models';
import { ComplexSpectrogram, istft, resolveStftConfig, stft, StftConfig } from './stft';
import type { RealSpectrogram } from './spectrogram';

export interface GriffinLimOptions {
  /** Default 60. */
  iterations?: number;
  /** Extrapolation factor alpha; 0 gives plain Griffin-Lim. Default 0.99. */
  momentum?: number;
  stft?: Partial<StftConfig>;
  /** Output length in samples (default: implied by the frame count). */
  length?: number;
  /**
   * The starting phase: 'random' (seeded, the default), 'zero', or the phase of a complex
   * spectrogram with the magnitude's frames and bins (e.g. a vocoder waveform's STFT), so a
   * few iterations suffice.
   */
  initPhase?: 'random' | 'zero' | ComplexSpectrogram;
  /** Seed of the random starting phase (core-models' Rng). Default 1234. */
  seed?: number;
  /** Per frame, how many of the lowest bins keep the starting phase throughout (e.g. the fundamental's). */
  lockedBins?: ArrayLike<number>;
  /** Record the spectral convergence after each iteration (costs one more STFT in all). Default false. */
  trackConvergence?: boolean;
}

export interface GriffinLimResult {
  signal: Float32Array;
  /** Spectral convergence after each iteration (length = iterations) when tracked, else empty. */
  convergence: number[];
}

/** || |STFT(x)| - S ||_F / || S ||_F between a complex estimate and the target magnitude. */
export function spectralConvergence(estimate: ComplexSpectrogram, target: RealSpectrogram): number {
  let num = 0;
  let den = 0;
  const n = Math.min(estimate.re.length, target.data.length);
  for (let i = 0; i < n; i++) {
    const diff = Math.sqrt(estimate.re[i] * estimate.re[i] + estimate.im[i] * estimate.im[i]) - target.data[i];
    num += diff * diff;
    den += target.data[i] * target.data[i];
  }
  return den === 0 ? 0 : Math.sqrt(num / den);
}

/** Sets the magnitude of `c` to `mag` (in place), keeping its phase; bins below `lockedBins[frame]` take `locked`'s phase. */
function imposeMagnitude(c: ComplexSpectrogram, mag: ArrayLike<number>, locked?: ComplexSpectrogram, lockedBins: ArrayLike<number> = []): void {
  const frames = Math.floor(c.re.length / c.nBins);
  for (let f = 0; f < frames; f++) {
    const lock = locked ? (lockedBins[f] ?? 0) : 0;
    for (let k = 0, i = f * c.nBins; k < c.nBins; k++, i++) {
      const re = k < lock ? locked!.re[i] : c.re[i],
        im = k < lock ? locked!.im[i] : c.im[i];
      const a = Math.sqrt(re * re + im * im); // not Math.hypot: several times slower in V8, and no overflow risk here
      if (a > 1e-12) {
        const s = mag[i] / a;
        c.re[i] = re * s;
        c.im[i] = im * s;
      } else {
        c.re[i] = mag[i];
        c.im[i] = 0;
      }
    }
  }
}

/** Unit phasors of the starting phase, frame-major like the magnitude. */
function startingPhase(magnitude: RealSpectrogram, options: GriffinLimOptions): ComplexSpectrogram {
  const { nFrames, nBins } = magnitude,
    size = magnitude.data.length,
    init = options.initPhase ?? 'random';
  if (typeof init === 'object') {
    if (init.nBins !== nBins || init.re.length !== size)
      throw new Error(`initPhase has ${init.re.length / init.nBins} frames of ${init.nBins} bins, the magnitude ${nFrames} of ${nBins}`);
    return { nFrames, nBins, re: Float64Array.from(init.re), im: Float64Array.from(init.im) };
  }
  const c: ComplexSpectrogram = { nFrames, nBins, re: new Float64Array(size), im: new Float64Array(size) };
  const rng = new Rng(options.seed ?? 1234);
  for (let i = 0; i < size; i++) {
    const phase = init === 'zero' ? 0 : 2 * Math.PI * rng.uniform();
    c.re[i] = Math.cos(phase);
    c.im[i] = Math.sin(phase);
  }
  return c;
}

export function griffinLim(magnitude: RealSpectrogram, options: GriffinLimOptions = {}): GriffinLimResult {
  const config = resolveStftConfig(options.stft);
  if (magnitude.nBins !== config.nFft / 2 + 1) throw new Error(`magnitude has ${magnitude.nBins} bins, n_fft ${config.nFft} needs ${config.nFft / 2 + 1}`);
  const iterations = options.iterations ?? 60;
  const alpha = options.momentum ?? 0.99;
  const length = options.length ?? config.hopLength * (magnitude.nFrames - 1);
  const lockedBins = options.lockedBins ?? [];

  const c = startingPhase(magnitude, options);
  const locked = lockedBins.length ? { ...c, re: c.re.slice(), im: c.im.slice() } : undefined;
  imposeMagnitude(c, magnitude.data, locked, lockedBins);
  const convergence: number[] = [];
  let previous: ComplexSpectrogram | undefined;
  for (let it = 0; it < iterations; it++) {
    const consistent = stft(istft(c, config, length), config);
    if (options.trackConvergence && it > 0) convergence.push(spectralConvergence(consistent, magnitude));
    const n = Math.min(consistent.re.length, c.re.length);
    for (let i = 0; i < n; i++) {
      c.re[i] = consistent.re[i] + (previous ? alpha * (consistent.re[i] - previous.re[i]) : 0);
      c.im[i] = consistent.im[i] + (previous ? alpha * (consistent.im[i] - previous.im[i]) : 0);
    }
    previous = consistent;
    imposeMagnitude(c, magnitude.data, locked, lockedBins);
  }
  const signal = istft(c, config, length);
  if (options.trackConvergence && iterations > 0) convergence.push(spectralConvergence(stft(signal, config), magnitude));
  return { signal, convergence };
}
