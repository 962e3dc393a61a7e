/**
 * Fast Griffin-Lim (Perraudin et al. 2013, momentum 0.99) that starts from a given phase
 * (here the GAN waveform's) instead of a random one, so a few iterations suffice.
 */
import { stft, istft, DEFAULT_STFT } from '../dsp/stft';
import type { ComplexSpectrogram } from '../dsp/stft';

function imposeMagnitude(c: ComplexSpectrogram, mag: ArrayLike<number>): void {
  for (let i = 0; i < c.re.length; i++) {
    const a = Math.hypot(c.re[i], c.im[i]);
    if (a > 1e-12) { const s = mag[i] / a; c.re[i] *= s; c.im[i] *= s; } else { c.re[i] = mag[i]; c.im[i] = 0; }
  }
}

/** Signal whose STFT magnitude approaches `mag` (frames x 513), phase initialised from `init`. */
export function griffinLimFrom(mag: ArrayLike<number>, init: ComplexSpectrogram, iterations: number, length: number, momentum = 0.99): Float32Array {
  const c: ComplexSpectrogram = { nFrames: init.nFrames, nBins: init.nBins, re: Float64Array.from(init.re), im: Float64Array.from(init.im) };
  imposeMagnitude(c, mag);
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
    imposeMagnitude(c, mag);
  }
  return istft(c, DEFAULT_STFT, length);
}
