/**
 * F0 estimation with YIN (de Cheveigné & Kawahara 2002): cumulative mean
 * normalised difference function, absolute threshold, parabolic refinement.
 * Frames whose best dip is above `voicingThreshold` or whose RMS is below
 * `silenceDb` (relative to the loudest frame) are unvoiced (f0 = 0).
 */
export interface F0Options {
  sampleRate?: number;
  /** Hop in seconds; default 0.005 (5 ms). */
  hopSeconds?: number;
  fMin?: number;
  fMax?: number;
  /** YIN absolute threshold for picking the first dip. Default 0.1. */
  threshold?: number;
  /** Frames with a best dip above this are unvoiced. Default 0.3. */
  voicingThreshold?: number;
  /** Frames quieter than this many dB below the loudest frame are unvoiced. Default -45. */
  silenceDb?: number;
}

export interface F0Track {
  hopSeconds: number;
  /** Frame centre times in seconds. */
  times: Float64Array;
  /** F0 in Hz per frame, 0 where unvoiced. */
  f0: Float32Array;
}

export function estimateF0(signal: ArrayLike<number>, options: F0Options = {}): F0Track {
  const sr = options.sampleRate ?? 22050;
  const hopSeconds = options.hopSeconds ?? 0.005;
  const hop = Math.max(1, Math.round(hopSeconds * sr));
  const fMin = options.fMin ?? 60;
  const fMax = options.fMax ?? 500;
  const threshold = options.threshold ?? 0.1;
  const voicingThreshold = options.voicingThreshold ?? 0.3;
  const tauMin = Math.max(2, Math.floor(sr / fMax));
  const tauMax = Math.ceil(sr / fMin);
  const window = tauMax; // integration window: one longest period
  const nFrames = Math.max(0, Math.floor(signal.length / hop) + 1);
  const f0 = new Float32Array(nFrames);
  const times = new Float64Array(nFrames);
  const energy = new Float64Array(nFrames);
  const diff = new Float64Array(tauMax + 2);
  const cmnd = new Float64Array(tauMax + 2);
  const frameLength = window + tauMax + 1;
  const frame = new Float64Array(frameLength);

  for (let t = 0; t < nFrames; t++) {
    const centre = t * hop;
    times[t] = centre / sr;
    const start = centre - Math.floor(frameLength / 2);
    let sumSquares = 0;
    for (let i = 0; i < frameLength; i++) {
      const k = start + i;
      frame[i] = k >= 0 && k < signal.length ? signal[k] : 0;
      if (i < window) sumSquares += frame[i] * frame[i];
    }
    energy[t] = sumSquares / window;

    for (let tau = 1; tau <= tauMax; tau++) {
      let d = 0;
      for (let j = 0; j < window; j++) {
        const delta = frame[j] - frame[j + tau];
        d += delta * delta;
      }
      diff[tau] = d;
    }
    cmnd[0] = 1;
    let running = 0;
    for (let tau = 1; tau <= tauMax; tau++) {
      running += diff[tau];
      cmnd[tau] = running > 0 ? (diff[tau] * tau) / running : 1;
    }
    // First dip below the threshold (then follow it to its local minimum), else the global minimum.
    let best = -1;
    for (let tau = tauMin; tau <= tauMax; tau++) {
      if (cmnd[tau] < threshold) {
        while (tau + 1 <= tauMax && cmnd[tau + 1] < cmnd[tau]) tau++;
        best = tau;
        break;
      }
    }
    if (best < 0) {
      best = tauMin;
      for (let tau = tauMin; tau <= tauMax; tau++) if (cmnd[tau] < cmnd[best]) best = tau;
    }
    if (cmnd[best] > voicingThreshold) continue;
    // Parabolic interpolation of the dip for sub-sample precision.
    let period = best;
    if (best > 1 && best < tauMax) {
      const a = cmnd[best - 1];
      const b = cmnd[best];
      const c = cmnd[best + 1];
      const denominator = a - 2 * b + c;
      if (denominator > 0) period = best + (0.5 * (a - c)) / denominator;
    }
    f0[t] = sr / period;
  }

  const loudest = energy.reduce((m, e) => Math.max(m, e), 0);
  const floor = loudest * 10 ** ((options.silenceDb ?? -45) / 10);
  for (let t = 0; t < nFrames; t++) if (energy[t] < floor || energy[t] === 0) f0[t] = 0;
  return { hopSeconds: hop / sr, times, f0 };
}

export interface F0Comparison {
  /** RMSE in Hz over frames voiced in both tracks. */
  rmseHz: number;
  /** Same in cents (1200 log2 ratio), less dominated by high voices. */
  rmseCents: number;
  /** Frames voiced in both. */
  voicedFrames: number;
  /** Fraction of frames where exactly one track is voiced. */
  voicingErrorRate: number;
}

/** Compares two F0 tracks frame by frame (same hop; extra frames of the longer one are ignored). */
export function compareF0(reference: Float32Array, estimate: Float32Array): F0Comparison {
  const n = Math.min(reference.length, estimate.length);
  let sumHz = 0;
  let sumCents = 0;
  let voiced = 0;
  let voicingErrors = 0;
  for (let i = 0; i < n; i++) {
    const r = reference[i];
    const e = estimate[i];
    if (r > 0 && e > 0) {
      sumHz += (r - e) ** 2;
      sumCents += (1200 * Math.log2(e / r)) ** 2;
      voiced++;
    } else if (r > 0 !== e > 0) voicingErrors++;
  }
  return {
    rmseHz: voiced === 0 ? 0 : Math.sqrt(sumHz / voiced),
    rmseCents: voiced === 0 ? 0 : Math.sqrt(sumCents / voiced),
    voicedFrames: voiced,
    voicingErrorRate: n === 0 ? 0 : voicingErrors / n,
  };
}

/** F0 RMSE (Hz) on frames voiced in both signals, estimating both tracks with the same options. */
export function f0Rmse(reference: ArrayLike<number>, estimate: ArrayLike<number>, options: F0Options = {}): F0Comparison {
  return compareF0(estimateF0(reference, options).f0, estimateF0(estimate, options).f0);
}

/** YIN F0 (5 ms hop) sampled at the STFT frame centres (t * 256 samples). */
export function frameF0(wave: Float32Array, frames: number, options: F0Options = {}): Float32Array {
  const tr = estimateF0(wave, { hopSeconds: 0.005, ...options });
  const out = new Float32Array(frames);
  for (let t = 0; t < frames; t++) {
    const sec = (t * 256) / 22050;
    const i = Math.round((sec - tr.times[0]) / tr.hopSeconds);
    out[t] = i >= 0 && i < tr.f0.length ? tr.f0[i] : 0;
  }
  return out;
}
