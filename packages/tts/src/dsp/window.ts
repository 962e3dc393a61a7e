/** Analysis/synthesis windows. */

/**
 * Hann window. `periodic` (the default, as in librosa/scipy "hann" for spectral
 * analysis) makes the window one sample longer than returned so that overlapping
 * copies at hop = length/4 or length/2 add up exactly.
 */
export function hannWindow(length: number, periodic = true): Float64Array {
  const w = new Float64Array(length);
  const denominator = periodic ? length : length - 1;
  if (denominator === 0) {
    w.fill(1);
    return w;
  }
  for (let i = 0; i < length; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / denominator);
  return w;
}

/** Centres a window of length `winLength` inside `nFft` samples (zeros either side). */
export function padWindow(window: Float64Array, nFft: number): Float64Array {
  if (window.length === nFft) return window;
  if (window.length > nFft) throw new Error(`window (${window.length}) longer than n_fft (${nFft})`);
  const out = new Float64Array(nFft);
  out.set(window, Math.floor((nFft - window.length) / 2));
  return out;
}
