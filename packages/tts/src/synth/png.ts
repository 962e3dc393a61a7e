/** Spectrogram pictures (log-mel panels in a magma-like map), encoded as PNG by @diffgan/image. */
import { encodePng, PixelImage } from '@diffgan/image';

export interface MelPanel {
  mel: Float32Array;
  frames: number;
  bands: number;
}

function colour(v: number): [number, number, number] {
  // dark blue -> purple -> orange -> yellow (magma-like)
  const stops: [number, number, number][] = [
    [0, 0, 4],
    [80, 18, 123],
    [182, 54, 121],
    [251, 136, 97],
    [252, 253, 191],
  ];
  const x = Math.max(0, Math.min(1, v)) * (stops.length - 1),
    i = Math.min(stops.length - 2, Math.floor(x)),
    w = x - i;
  return [0, 1, 2].map((c) => Math.round(stops[i][c] * (1 - w) + stops[i + 1][c] * w)) as [number, number, number];
}

/**
 * Stacked log-mel pictures (frames x bands each, low frequencies at the bottom), one panel
 * per entry, scaled to a common range; 2 px per band, 1 px per frame, 4 px gaps (white).
 */
export function spectrogramImage(panels: MelPanel[], lo = -11.5, hi = 2): PixelImage<Uint8Array> {
  const width = Math.max(...panels.map((p) => p.frames)),
    gap = 4;
  const height = panels.reduce((s, p) => s + p.bands * 2, 0) + gap * (panels.length - 1);
  const rgb = new Uint8Array(width * height * 3).fill(255);
  let y0 = 0;
  for (const p of panels) {
    for (let b = 0; b < p.bands; b++)
      for (let r = 0; r < 2; r++) {
        const y = y0 + (p.bands - 1 - b) * 2 + r;
        for (let t = 0; t < p.frames; t++) {
          const [R, G, B] = colour((p.mel[t * p.bands + b] - lo) / (hi - lo));
          const o = (y * width + t) * 3;
          rgb[o] = R;
          rgb[o + 1] = G;
          rgb[o + 2] = B;
        }
      }
    y0 += p.bands * 2 + gap;
  }
  return { data: rgb, width, height, channels: 3 };
}

/** `spectrogramImage` as PNG bytes. */
export async function spectrogramPng(panels: MelPanel[], lo = -11.5, hi = 2): Promise<Buffer> {
  return encodePng(spectrogramImage(panels, lo, hi));
}
