import { PixelImage, assertImageShape, toUint8 } from './pixel-image';
import { toRgb } from './color';
import { drawText, measureText } from './bitmap-font';

/** Tiling helpers for sample sheets and SR comparisons; output is always RGB uint8. */

export type Rgb = readonly [number, number, number];

function asRgbUint8(img: PixelImage): PixelImage<Uint8Array> {
  assertImageShape(img);
  const rgb = toRgb(img);
  if (rgb.data instanceof Uint8Array) return rgb as PixelImage<Uint8Array>;
  const out = new Uint8Array(rgb.data.length);
  for (let i = 0; i < out.length; i++) out[i] = toUint8(rgb.data[i]); // float taken as 0..255
  return { data: out, width: rgb.width, height: rgb.height, channels: 3 };
}

function blankRgb(width: number, height: number, background: Rgb): PixelImage<Uint8Array> {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = background[0];
    data[i + 1] = background[1];
    data[i + 2] = background[2];
  }
  return { data, width, height, channels: 3 };
}

/** Copies an RGB uint8 image into `dst` at (x, y). */
function paste(dst: PixelImage<Uint8Array>, src: PixelImage<Uint8Array>, x: number, y: number): void {
  for (let r = 0; r < src.height; r++) {
    const s = r * src.width * 3;
    dst.data.set(src.data.subarray(s, s + src.width * 3), ((y + r) * dst.width + x) * 3);
  }
}

export interface GridOptions {
  /** Gap between cells and around the border, in pixels. Default 2. */
  pad?: number;
  /** Default white. */
  background?: Rgb;
}

/**
 * Tiles images row by row into `cols` columns. Cells are as large as the
 * largest image; smaller images are centred. Grey is expanded to RGB, alpha
 * dropped, float data taken as 0..255.
 */
export function makeGrid(images: readonly PixelImage[], cols: number, padOrOptions: number | GridOptions = {}): PixelImage<Uint8Array> {
  if (images.length === 0) throw new Error('makeGrid: no images');
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`makeGrid: bad column count ${cols}`);
  const opts: GridOptions = typeof padOrOptions === 'number' ? { pad: padOrOptions } : padOrOptions;
  const pad = opts.pad ?? 2;
  const tiles = images.map(asRgbUint8);
  const cellW = Math.max(...tiles.map((t) => t.width));
  const cellH = Math.max(...tiles.map((t) => t.height));
  const usedCols = Math.min(cols, tiles.length);
  const rows = Math.ceil(tiles.length / cols);
  const out = blankRgb(usedCols * cellW + (usedCols + 1) * pad, rows * cellH + (rows + 1) * pad, opts.background ?? [255, 255, 255]);
  tiles.forEach((t, i) => {
    const cx = pad + (i % cols) * (cellW + pad);
    const cy = pad + Math.floor(i / cols) * (cellH + pad);
    paste(out, t, cx + ((cellW - t.width) >> 1), cy + ((cellH - t.height) >> 1));
  });
  return out;
}

export interface Panel {
  image: PixelImage;
  /** Drawn above the panel with the built-in 5x7 font. */
  label?: string;
}

export interface SideBySideOptions extends GridOptions {
  /** Integer magnification of the label font. Default 2. */
  labelScale?: number;
  /** Default black. */
  labelColor?: Rgb;
}

/**
 * Puts panels in one row (e.g. LR | bicubic | model | HR), top-aligned, with
 * optional labels above each; labels wider than their panel are clipped.
 */
export function sideBySide(panels: readonly (Panel | PixelImage)[], opts: SideBySideOptions = {}): PixelImage<Uint8Array> {
  if (panels.length === 0) throw new Error('sideBySide: no panels');
  const items: Panel[] = panels.map((p) => ('image' in p ? p : { image: p }));
  const pad = opts.pad ?? 2;
  const labelScale = opts.labelScale ?? 2;
  const hasLabels = items.some((p) => p.label);
  const labelBand = hasLabels ? measureText('X', labelScale).height + 2 * labelScale : 0;
  const tiles = items.map((p) => asRgbUint8(p.image));
  const width = tiles.reduce((s, t) => s + t.width, 0) + (tiles.length + 1) * pad;
  const height = Math.max(...tiles.map((t) => t.height)) + labelBand + 2 * pad;
  const out = blankRgb(width, height, opts.background ?? [255, 255, 255]);
  let x = pad;
  tiles.forEach((t, i) => {
    paste(out, t, x, pad + labelBand);
    const label = items[i].label;
    if (label) {
      // Draw into a panel-wide strip so long labels are clipped at the panel edge.
      const strip = blankRgb(t.width, labelBand, opts.background ?? [255, 255, 255]);
      drawText(strip, label, 0, labelScale, { scale: labelScale, color: opts.labelColor ?? [0, 0, 0] });
      paste(out, strip, x, pad);
    }
    x += t.width + pad;
  });
  return out;
}
