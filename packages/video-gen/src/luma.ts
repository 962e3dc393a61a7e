/**
 * Small luma thumbnails for cheap whole-frame statistics (scene cuts).
 * Sampling a fixed grid keeps the cost per frame independent of resolution.
 */
import { Frame } from './frame';

export interface LumaThumbnail {
  data: Uint8Array;
  width: number;
  height: number;
}

/** BT.601 luma of each sampled pixel; `maxWidth` bounds the thumbnail size. */
export function lumaThumbnail(frame: Frame, maxWidth = 160): LumaThumbnail {
  const step = Math.max(1, Math.ceil(frame.width / maxWidth));
  const width = Math.ceil(frame.width / step);
  const height = Math.ceil(frame.height / step);
  const data = new Uint8Array(width * height);
  const src = frame.data;
  let k = 0;
  for (let y = 0; y < frame.height; y += step) {
    let i = y * frame.width * 3;
    for (let x = 0; x < frame.width; x += step, i += 3 * step) {
      data[k++] = (77 * src[i] + 150 * src[i + 1] + 29 * src[i + 2] + 128) >> 8;
    }
  }
  return { data, width, height };
}

/**
 * Normalised histogram (sums to 1) with `bins` bins over 0..255. Each sample
 * is split linearly between its two nearest bin centres, so a small uniform
 * brightness change moves a little mass instead of jumping a whole bin (which
 * would make a slow fade of a flat area look like a cut).
 */
export function lumaHistogram(thumb: LumaThumbnail, bins = 32): Float64Array {
  const hist = new Float64Array(bins);
  const width = 256 / bins;
  for (let i = 0; i < thumb.data.length; i++) {
    const position = Math.min(Math.max((thumb.data[i] + 0.5) / width - 0.5, 0), bins - 1);
    const low = Math.floor(position);
    const high = Math.min(low + 1, bins - 1);
    const share = position - low;
    hist[low] += 1 - share;
    hist[high] += share;
  }
  for (let b = 0; b < bins; b++) hist[b] /= thumb.data.length;
  return hist;
}

/** Total variation distance between two normalised histograms, 0 (same) to 1 (disjoint). */
export function histogramDistance(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / 2;
}

/** Mean absolute difference of two same-size thumbnails, scaled to 0..1. */
export function meanAbsoluteDifference(a: LumaThumbnail, b: LumaThumbnail): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / (a.data.length * 255);
}
