import { PixelImage, PixelArray, allocLike, assertImageShape } from './pixel-image';

/**
 * Luma of ITU-R BT.601 YCbCr in studio range (16..235), as MATLAB's
 * rgb2ycbcr: Y = 16 + (65.481 R + 128.553 G + 24.966 B) with R, G, B in [0, 1].
 * Input values are on the 0..255 scale (uint8 or float). SR metrics are
 * computed on this Y channel.
 *
 * `round: true` reproduces rgb2ycbcr on a uint8 image (MATLAB returns uint8,
 * so Y is rounded); `false` keeps floating point Y as many Python ports do.
 * The two differ by about 0.01 dB PSNR.
 */
export function rgbToY(img: PixelImage, opts: { round?: boolean } = {}): PixelImage<Float64Array> {
  assertImageShape(img, 'rgbToY input');
  const { width, height, channels, data } = img;
  if (channels < 3) throw new Error(`rgbToY: need at least 3 channels, got ${channels} (use toRgb first)`);
  const n = width * height;
  const y = new Float64Array(n);
  const round = opts.round ?? false;
  for (let p = 0, o = 0; p < n; p++, o += channels) {
    const v = 16 + (65.481 * data[o] + 128.553 * data[o + 1] + 24.966 * data[o + 2]) / 255;
    // Y lies in [16, 235] for inputs in [0, 255], so rounding needs no clamp;
    // floor(v + 0.5) is MATLAB's round for positive values.
    y[p] = round ? Math.floor(v + 0.5) : v;
  }
  return { data: y, width, height, channels: 1 };
}

/**
 * Converts to 3-channel RGB: grey (1 ch) and grey+alpha (2 ch) are replicated
 * to R=G=B, RGBA drops alpha, RGB is returned as is (same object).
 */
export function toRgb<T extends PixelArray>(img: PixelImage<T>): PixelImage<T> {
  assertImageShape(img, 'toRgb input');
  const { width, height, channels, data } = img;
  if (channels === 3) return img;
  if (channels > 4) throw new Error(`toRgb: unsupported channel count ${channels}`);
  const n = width * height;
  const out = allocLike(data, n * 3);
  const grey = channels <= 2;
  for (let p = 0; p < n; p++) {
    const s = p * channels;
    const d = p * 3;
    if (grey) {
      out[d] = out[d + 1] = out[d + 2] = data[s];
    } else {
      out[d] = data[s];
      out[d + 1] = data[s + 1];
      out[d + 2] = data[s + 2];
    }
  }
  return { data: out, width, height, channels: 3 };
}

/** Copies the rectangle [x, x + width) x [y, y + height). */
export function crop<T extends PixelArray>(img: PixelImage<T>, x: number, y: number, width: number, height: number): PixelImage<T> {
  assertImageShape(img, 'crop input');
  if (x < 0 || y < 0 || width < 1 || height < 1 || x + width > img.width || y + height > img.height) {
    throw new Error(`crop: rectangle ${x},${y} ${width}x${height} outside ${img.width}x${img.height}`);
  }
  const c = img.channels;
  const out = allocLike(img.data, width * height * c);
  for (let r = 0; r < height; r++) {
    const s = ((y + r) * img.width + x) * c;
    out.set(img.data.subarray(s, s + width * c), r * width * c);
  }
  return { data: out, width, height, channels: c };
}

/** SR protocol step 1: cut bottom rows and right columns so both sides are multiples of `scale`. */
export function modcrop<T extends PixelArray>(img: PixelImage<T>, scale: number): PixelImage<T> {
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`modcrop: scale must be a positive integer, got ${scale}`);
  return crop(img, 0, 0, img.width - (img.width % scale), img.height - (img.height % scale));
}

/** Removes `border` pixels from every side (SR metrics ignore the border the upscaler cannot see past). */
export function shave<T extends PixelArray>(img: PixelImage<T>, border: number): PixelImage<T> {
  if (!Number.isInteger(border) || border < 0) throw new Error(`shave: border must be a non-negative integer, got ${border}`);
  if (border === 0) return img;
  return crop(img, border, border, img.width - 2 * border, img.height - 2 * border);
}
