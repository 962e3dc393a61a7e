/**
 * Band-limited resampling with a Hann-windowed sinc (e.g. 48 kHz -> 22,050 Hz).
 * The corpus recordings here are already 22,050 Hz; this is for other inputs.
 *
 * Each output sample at input time t = n * fin / fout is sum_k x[k] h(t - k), where
 * h is a sinc low-pass at `rolloff` x the lower Nyquist frequency, windowed to
 * `zeroCrossings` zero crossings either side (quality vs speed).
 */
export interface ResampleOptions {
  /** Zero crossings of the sinc kept on each side. Default 32. */
  zeroCrossings?: number;
  /** Cut-off as a fraction of the lower Nyquist frequency. Default 0.95. */
  rolloff?: number;
}

export function resample(input: ArrayLike<number>, fromRate: number, toRate: number, options: ResampleOptions = {}): Float32Array {
  if (fromRate === toRate) return Float32Array.from(input);
  const zeroCrossings = options.zeroCrossings ?? 32;
  const rolloff = options.rolloff ?? 0.95;
  const ratio = toRate / fromRate;
  // Cut-off in cycles per input sample (0.5 = input Nyquist).
  const cutoff = 0.5 * rolloff * Math.min(1, ratio);
  // Half-width of the kernel in input samples.
  const halfWidth = zeroCrossings / (2 * cutoff);
  const outLength = Math.ceil((input.length * toRate) / fromRate);
  const out = new Float32Array(outLength);
  for (let n = 0; n < outLength; n++) {
    const t = n / ratio;
    const first = Math.max(0, Math.ceil(t - halfWidth));
    const last = Math.min(input.length - 1, Math.floor(t + halfWidth));
    let sum = 0;
    for (let k = first; k <= last; k++) {
      const d = t - k;
      const x = 2 * cutoff * d;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * d) / halfWidth);
      sum += input[k] * 2 * cutoff * sinc * window;
    }
    out[n] = sum;
  }
  return out;
}
