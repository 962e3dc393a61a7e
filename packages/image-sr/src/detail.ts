/**
 * The regions worth magnifying when comparing upscalers: the windows with the most luma
 * gradient energy (edges and texture, where upscalers differ most). `sr compare` and the web
 * page both pick their crops here, so they show the same region of the same image. No
 * imports: the browser bundle and Node share it.
 */

export interface Region {
  x: number;
  y: number;
  size: number;
}

/** Pixels of any channel count 1-4, interleaved (RawImage, or the browser's RGBA ImageData). */
export interface DetailImage {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/** The crop window's side in input pixels: a quarter of the shorter side, 4 to 32 px. */
export function detailRegionSize(width: number, height: number): number {
  return Math.max(4, Math.min(32, Math.floor(Math.min(width, height) / 4)));
}

/**
 * Up to `count` non-overlapping size x size windows of `img` with the largest sum of squared
 * luma gradients, best first (ties: the first in row-major scan order). The scan steps by
 * size/8 so large images stay fast; detail does not hinge on single pixels.
 */
export function mostDetailedRegions(img: DetailImage, count = 1, size = detailRegionSize(img.width, img.height)): Region[] {
  const { width: w, height: h, data } = img;
  if (size >= w || size >= h) return [{ x: 0, y: 0, size: Math.min(w, h) }];
  const c = data.length / (w * h);
  if (!Number.isInteger(c) || c < 1 || c > 4) throw new Error(`mostDetailedRegions: ${data.length} values are not 1-4 channels of ${w}x${h}`);

  // BT.601 luma; any positive scale or offset (e.g. rgbToY's studio range) picks the same windows
  const luma = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) luma[i] = c >= 3 ? 0.299 * data[c * i] + 0.587 * data[c * i + 1] + 0.114 * data[c * i + 2] : data[c * i];

  // integral image of the gradient energy, so every window sum is four look-ups
  const W = w + 1;
  const sum = new Float64Array(W * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      const v = luma[y * w + x];
      const dx = x + 1 < w ? luma[y * w + x + 1] - v : 0;
      const dy = y + 1 < h ? luma[(y + 1) * w + x] - v : 0;
      row += dx * dx + dy * dy;
      sum[(y + 1) * W + x + 1] = sum[y * W + x + 1] + row;
    }
  }
  const energy = (x: number, y: number) => sum[(y + size) * W + x + size] - sum[y * W + x + size] - sum[(y + size) * W + x] + sum[y * W + x];

  const stride = Math.max(1, Math.floor(size / 8));
  const picked: Region[] = [];
  while (picked.length < count) {
    let best = -1,
      bx = 0,
      by = 0;
    for (let y = 0; y + size <= h; y += stride) {
      for (let x = 0; x + size <= w; x += stride) {
        if (picked.some((p) => Math.abs(p.x - x) < size && Math.abs(p.y - y) < size)) continue;
        const e = energy(x, y);
        if (e > best) {
          best = e;
          bx = x;
          by = y;
        }
      }
    }
    if (best < 0) break;
    picked.push({ x: bx, y: by, size });
  }
  return picked;
}
