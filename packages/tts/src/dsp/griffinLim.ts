/**
 * Phase reconstruction from a magnitude spectrogram.
 *
 * Fast Griffin-Lim (Perraudin, Balazs & Søndergaard 2013): plain Griffin-Lim
 * alternates "make it consistent" (iSTFT then STFT) and "impose the magnitude";
 * the fast variant extrapolates the consistent estimate along its last step,
 *   c_n = P_consistent(x_{n-1});  t_n = c_n + alpha (c_n - c_{n-1});  x_n = P_magnitude(t_n),
 * with alpha ~0.99. alpha = 0 is plain Griffin-Lim.
 */
import { ComplexSpectrogram, istft, resolveStftConfig, stft, StftConfig } from './stft';
import type { RealSpectrogram } from './spectrogram';
import { mulberry32 } from './random';

export interface GriffinLimOptions {
  iterations?: number;
  /** Extrapolation factor alpha; 0 gives plain Griffin-Lim. Default 0.99. */
  momentum?: number;
  stft?: Partial<StftConfig>;
  /** Output length in samples (default: implied by the frame count). */
  length?: number;
  /** 'random' phases (seeded) or 'zero'. Default 'random'. */
  initPhase?: 'random' | 'zero';
  seed?: number;
  /** Called after each iteration with the spectral convergence of the current signal. */
  onIteration?: (iteration: number, spectralConvergence: number) => void;
}

export interface GriffinLimResult {
  signal: Float32Array;
  /** Spectral convergence after each iteration (length = iterations). */
  convergence: number[];
}

/** || |STFT(x)| - S ||_F / || S ||_F between a complex estimate and the target magnitude. */
export function spectralConvergence(estimate: ComplexSpectrogram, target: RealSpectrogram): number {
  let num = 0;
  let den = 0;
  const n = Math.min(estimate.re.length, target.data.length);
  for (let i = 0; i < n; i++) {
    const diff = Math.hypot(estimate.re[i], estimate.im[i]) - target.data[i];
    num += diff * diff;
    den += target.data[i] * target.data[i];
  }
  return den === 0 ? 0 : Math.sqrt(num / den);
}

/** Keeps the phase of `spec`, sets its magnitude to `target` (in place). */
function imposeMagnitude(spec: ComplexSpectrogram, target: RealSpectrogram): void {
  for (let i = 0; i < spec.re.length; i++) {
    const mag = Math.hypot(spec.re[i], spec.im[i]);
    if (mag > 1e-16) {
      const scale = target.data[i] / mag;
      spec.re[i] *= scale;
      spec.im[i] *= scale;
    } else {
      spec.re[i] = target.data[i];
      spec.im[i] = 0;
    }
  }
}

export function griffinLim(magnitude: RealSpectrogram, options: GriffinLimOptions = {}): GriffinLimResult {
  const config = resolveStftConfig(options.stft);
  if (magnitude.nBins !== config.nFft / 2 + 1) throw new Error(`magnitude has ${magnitude.nBins} bins, n_fft ${config.nFft} needs ${config.nFft / 2 + 1}`);
  const iterations = options.iterations ?? 60;
  const alpha = options.momentum ?? 0.99;
  const length = options.length ?? config.hopLength * (magnitude.nFrames - 1);
  const size = magnitude.data.length;

  const x: ComplexSpectrogram = { nFrames: magnitude.nFrames, nBins: magnitude.nBins, re: new Float64Array(size), im: new Float64Array(size) };
  const random = mulberry32(options.seed ?? 1234);
  for (let i = 0; i < size; i++) {
    const phase = options.initPhase === 'zero' ? 0 : 2 * Math.PI * random();
    x.re[i] = magnitude.data[i] * Math.cos(phase);
    x.im[i] = magnitude.data[i] * Math.sin(phase);
  }

  let previous: ComplexSpectrogram | undefined;
  const convergence: number[] = [];
  let signal = istft(x, config, length);
  let consistent = stft(signal, config);
  for (let n = 0; n < iterations; n++) {
    const next: ComplexSpectrogram = { nFrames: consistent.nFrames, nBins: consistent.nBins, re: consistent.re.slice(), im: consistent.im.slice() };
    if (previous && alpha !== 0) {
      for (let i = 0; i < size; i++) {
        next.re[i] += alpha * (consistent.re[i] - previous.re[i]);
        next.im[i] += alpha * (consistent.im[i] - previous.im[i]);
      }
    }
    previous = consistent;
    imposeMagnitude(next, magnitude);
    signal = istft(next, config, length);
    consistent = stft(signal, config);
    convergence.push(spectralConvergence(consistent, magnitude));
    options.onIteration?.(n, convergence[n]);
  }
  return { signal, convergence };
}
