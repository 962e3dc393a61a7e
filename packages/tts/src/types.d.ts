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

declare module 'wav-decoder' {
  export interface AudioData {
    sampleRate: number;
    channelData: Float32Array[];
  }
  export function decode(buffer: ArrayBuffer | Buffer, options?: { symmetric?: boolean }): Promise<AudioData>;
  export namespace decode {
    function sync(buffer: ArrayBuffer | Buffer, options?: { symmetric?: boolean }): AudioData;
  }
}

declare module 'wav-encoder' {
  export interface AudioData {
    sampleRate: number;
    channelData: Float32Array[];
  }
  export interface EncodeOptions {
    bitDepth?: number;
    float?: boolean;
    symmetric?: boolean;
  }
  export function encode(data: AudioData, options?: EncodeOptions): Promise<ArrayBuffer>;
  export namespace encode {
    function sync(data: AudioData, options?: EncodeOptions): ArrayBuffer;
  }
}
