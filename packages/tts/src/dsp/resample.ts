/**
 * Band-limited resampling with a Hann-windowed sinc (e.g. 48 kHz -> 22,050 Hz).
 * The corpus recordings here are already 22,050 Hz; this is for other inputs.
 *
 * Output sample n sits at input time t = n * from / to and is sum_k x[k] h(t - k), with
 * h a sinc low-pass at `rolloff` x the lower Nyquist frequency, Hann-windowed to
 * `zeroCrossings` zero crossings either side. For rational ratios the fractional part
 * of t cycles through `to / gcd` values, so the taps are tabulated once per phase
 * (polyphase) instead of evaluating sin/cos for every tap.
 */
export interface ResampleOptions {
  /** Zero crossings of the sinc kept on each side. Default 32. */
  zeroCrossings?: number;
  /** Cut-off as a fraction of the lower Nyquist frequency. Default 0.95. */
  rolloff?: number;
}

/** Beyond this many phases the table would be larger than computing taps directly. */
const MAX_PHASES = 4096;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export function resample(input: ArrayLike<number>, fromRate: number, toRate: number, options: ResampleOptions = {}): Float32Array {
  if (fromRate === toRate) return Float32Array.from(input);
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
    throw new Error(`sample rates must be positive integers, got ${fromRate} -> ${toRate}`);
  }
  const zeroCrossings = options.zeroCrossings ?? 32;
  const rolloff = options.rolloff ?? 0.95;
  // Cut-off in cycles per input sample (0.5 = input Nyquist).
  const cutoff = 0.5 * rolloff * Math.min(1, toRate / fromRate);
  const halfWidth = zeroCrossings / (2 * cutoff);
  const taps = 2 * Math.ceil(halfWidth) + 1;
  const kernel = (d: number): number => {
    if (Math.abs(d) >= halfWidth) return 0;
    const x = 2 * cutoff * d;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    return 2 * cutoff * sinc * (0.5 + 0.5 * Math.cos((Math.PI * d) / halfWidth));
  };

  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const outLength = Math.ceil((input.length * toRate) / fromRate);
  const out = new Float32Array(outLength);
  const reach = Math.ceil(halfWidth);

  // Taps for phase p (t = base + p/up): weight of x[base - reach + j] is h(p/up + reach - j).
  const table = up <= MAX_PHASES ? new Float64Array(up * taps) : undefined;
  if (table) for (let p = 0; p < up; p++) for (let j = 0; j < taps; j++) table[p * taps + j] = kernel(p / up + reach - j);

  for (let n = 0; n < outLength; n++) {
    const base = Math.floor((n * down) / up);
    const phase = (n * down) % up;
    const first = base - reach;
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const k = first + j;
      if (k < 0 || k >= input.length) continue;
      sum += input[k] * (table ? table[phase * taps + j] : kernel(phase / up + reach - j));
    }
    out[n] = sum;
  }
  return out;
}
