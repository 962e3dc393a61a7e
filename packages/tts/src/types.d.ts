/** Minimal declarations for the untyped audio/FFT modules we use. */
declare module 'fft.js' {
  class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    /** Real input of length `size` -> interleaved complex output (first half + Nyquist filled). */
    realTransform(output: number[] | Float64Array, input: ArrayLike<number>): void;
    completeSpectrum(spectrum: number[] | Float64Array): void;
    transform(output: number[] | Float64Array, input: ArrayLike<number>): void;
    /** Inverse complex FFT, scaled by 1/size. */
    inverseTransform(output: number[] | Float64Array, input: ArrayLike<number>): void;
  }
  export = FFT;
}
