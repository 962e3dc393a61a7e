/** Picks the regions worth magnifying: the windows with the most gradient energy. */

export interface Region { x: number; y: number; size: number }

/**
 * Up to `count` non-overlapping size x size windows of `img` with the largest sum of
 * squared luma gradients (edges and texture, where upscalers differ most), best first.
 */
export function mostDetailedRegions(img: ImageData, size: number, count: number): Region[] {
  const { width: w, height: h, data } = img;
  if (size >= w || size >= h) return [{ x: 0, y: 0, size: Math.min(w, h) }];

  const luma = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) luma[i] = 0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2];

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

  // a coarse stride keeps large images fast; detail does not hinge on single pixels
  const stride = Math.max(1, Math.floor(size / 8));
  const picked: Region[] = [];
  while (picked.length < count) {
    let best = -1, bx = 0, by = 0;
    for (let y = 0; y + size <= h; y += stride) {
      for (let x = 0; x + size <= w; x += stride) {
        if (picked.some((p) => Math.abs(p.x - x) < size && Math.abs(p.y - y) < size)) continue;
        const e = energy(x, y);
        if (e > best) { best = e; bx = x; by = y; }
      }
    }
    if (best < 0) break;
    picked.push({ x: bx, y: by, size });
  }
  return picked;
}
