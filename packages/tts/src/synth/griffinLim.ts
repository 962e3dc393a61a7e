/**
 * Fast Griffin-Lim (Perraudin et al. 2013, momentum 0.99) that starts from a given phase
 * (here the GAN waveform's) instead of a random one, so a few iterations suffice.
 */
import { stft, istft, DEFAULT_STFT } from '../dsp/stft';
import type { ComplexSpectrogram } from '../dsp/stft';

function imposeMagnitude(c: ComplexSpectrogram, mag: ArrayLike<number>, locked?: ComplexSpectrogram, lockedBins: ArrayLike<number> = []): void {
  const frames = Math.floor(c.re.length / c.nBins);
  for (let f = 0; f < frames; f++) {
    const lock = locked ? lockedBins[f] ?? 0 : 0;
    for (let k = 0, i = f * c.nBins; k < c.nBins; k++, i++) {
      // the lowest bins keep the initial (excitation) phase
      const re = k < lock ? locked!.re[i] : c.re[i], im = k < lock ? locked!.im[i] : c.im[i];
      const a = Math.sqrt(re * re + im * im); // not Math.hypot: several times slower in V8, and no overflow risk here
      if (a > 1e-12) { const s = mag[i] / a; c.re[i] = re * s; c.im[i] = im * s; } else { c.re[i] = mag[i]; c.im[i] = 0; }
    }
  }
}

/** Signal whose STFT magnitude approaches `mag` (frames x 513), phase initialised from `init`. */
export function griffinLimFrom(mag: ArrayLike<number>, init: ComplexSpectrogram, iterations: number, length: number, momentum = 0.99, lockedBins: ArrayLike<number> = []): Float32Array {
  const c: ComplexSpectrogram = { nFrames: init.nFrames, nBins: init.nBins, re: Float64Array.from(init.re), im: Float64Array.from(init.im) };
  const locked = lockedBins.length ? { ...c, re: Float64Array.from(init.re), im: Float64Array.from(init.im) } : undefined;
  imposeMagnitude(c, mag, locked, lockedBins);
  let prev: ComplexSpectrogram | null = null;
  for (let it = 0; it < iterations; it++) {
    const x = istft(c, DEFAULT_STFT, length);
    const t = stft(x, DEFAULT_STFT);
    const n = Math.min(t.re.length, c.re.length);
    for (let i = 0; i < n; i++) {
      c.re[i] = t.re[i] + (prev ? momentum * (t.re[i] - prev.re[i]) : 0);
      c.im[i] = t.im[i] + (prev ? momentum * (t.im[i] - prev.im[i]) : 0);
    }
    prev = t;
    imposeMagnitude(c, mag, locked, lockedBins);
  }
  return istft(c, DEFAULT_STFT, length);
}
