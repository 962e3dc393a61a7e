/**
 * Real FFT of one frame on top of fft.js, returning/consuming the n/2+1
 * non-redundant bins as separate real and imaginary arrays.
 */
import FFT from 'fft.js';

export class RealFft {
  readonly size: number;
  readonly bins: number;
  private readonly fft: FFT;
  private readonly complexIn: number[];
  private readonly complexOut: number[];

  constructor(size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new Error(`FFT size must be a power of two >= 2, got ${size}`);
    this.size = size;
    this.bins = size / 2 + 1;
    this.fft = new FFT(size);
    this.complexIn = this.fft.createComplexArray();
    this.complexOut = this.fft.createComplexArray();
  }

  /** Spectrum of `frame` (length `size`) into re/im at `offset` (bins values each). */
  forward(frame: ArrayLike<number>, re: Float64Array, im: Float64Array, offset = 0): void {
    this.fft.realTransform(this.complexOut, frame);
    const out = this.complexOut;
    for (let k = 0; k < this.bins; k++) {
      re[offset + k] = out[2 * k];
      im[offset + k] = out[2 * k + 1];
    }
  }

  /** Real signal from n/2+1 bins (Hermitian symmetry assumed) into `frame`. */
  inverse(re: Float64Array, im: Float64Array, offset: number, frame: Float64Array): void {
    const n = this.size;
    const spec = this.complexIn;
    for (let k = 0; k < this.bins; k++) {
      spec[2 * k] = re[offset + k];
      spec[2 * k + 1] = im[offset + k];
    }
    // DC and Nyquist must be real for a real signal.
    spec[1] = 0;
    spec[n + 1] = 0;
    for (let k = this.bins; k < n; k++) {
      spec[2 * k] = spec[2 * (n - k)];
      spec[2 * k + 1] = -spec[2 * (n - k) + 1];
    }
    this.fft.inverseTransform(this.complexOut, spec);
    for (let i = 0; i < n; i++) frame[i] = this.complexOut[2 * i];
  }

  /**
   * Two real signals from two half spectra with one complex inverse FFT: Z = X_a + i X_b
   * (each extended by Hermitian symmetry) transforms back to x_a + i x_b. Halves the cost of
   * inverse STFTs, which Griffin-Lim runs once per iteration.
   */
  inverse2(re: Float64Array, im: Float64Array, offsetA: number, offsetB: number, frameA: Float64Array, frameB: Float64Array): void {
    const n = this.size,
      h = n / 2;
    const z = this.complexIn;
    for (let k = 0; k <= h; k++) {
      // DC and Nyquist of a real signal are real
      const ar = re[offsetA + k],
        ai = k === 0 || k === h ? 0 : im[offsetA + k];
      const br = re[offsetB + k],
        bi = k === 0 || k === h ? 0 : im[offsetB + k];
      z[2 * k] = ar - bi;
      z[2 * k + 1] = ai + br;
      if (k > 0 && k < h) {
        // Z[n-k] = conj(A_k) + i conj(B_k)
        z[2 * (n - k)] = ar + bi;
        z[2 * (n - k) + 1] = -ai + br;
      }
    }
    this.fft.inverseTransform(this.complexOut, z);
    const o = this.complexOut;
    for (let i = 0; i < n; i++) {
      frameA[i] = o[2 * i];
      frameB[i] = o[2 * i + 1];
    }
  }
}
