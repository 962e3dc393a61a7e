import { PixelImage, assertImageShape, rgbToY, shave, toRgb } from '@diffgan/image';

function assertSameShape(a: PixelImage, b: PixelImage, what: string): void {
  assertImageShape(a, `${what} first image`);
  assertImageShape(b, `${what} second image`);
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new Error(`${what}: shapes differ, ${a.width}x${a.height}x${a.channels} vs ${b.width}x${b.height}x${b.channels}`);
  }
}

/** Mean squared error over all samples (all channels). */
export function mse(a: PixelImage, b: PixelImage): number {
  assertSameShape(a, b, 'mse');
  const x = a.data;
  const y = b.data;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - y[i];
    s += d * d;
  }
  return s / x.length;
}

/** PSNR in dB, 10 log10(peak² / MSE); Infinity for identical images. */
export function psnr(a: PixelImage, b: PixelImage, opts: { peak?: number } = {}): number {
  const peak = opts.peak ?? 255;
  const e = mse(a, b);
  return e === 0 ? Infinity : 10 * Math.log10((peak * peak) / e);
}

export interface SsimOptions {
  /** Dynamic range. Default 255. */
  dataRange?: number;
  k1?: number;
  k2?: number;
  /** Gaussian window side and sigma. Defaults 11 and 1.5 (Wang et al. 2004). */
  windowSize?: number;
  sigma?: number;
}

/** Normalised 1-D Gaussian; its outer product equals fspecial('gaussian', size, sigma). */
export function gaussianWindow1d(size: number, sigma: number): Float64Array {
  const w = new Float64Array(size);
  const c = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    w[i] = Math.exp(-((i - c) ** 2) / (2 * sigma * sigma));
    sum += w[i];
  }
  for (let i = 0; i < size; i++) w[i] /= sum;
  return w;
}

/** Correlates a plane with w ⊗ w keeping only fully covered positions (MATLAB filter2 'valid'). */
function filterValid(src: Float64Array, width: number, height: number, w: Float64Array): Float64Array {
  const k = w.length;
  const outW = width - k + 1;
  const outH = height - k + 1;
  const rows = new Float64Array(height * outW);
  for (let y = 0; y < height; y++) {
    const r = y * width;
    for (let x = 0; x < outW; x++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += w[t] * src[r + x + t];
      rows[y * outW + x] = s;
    }
  }
  const out = new Float64Array(outH * outW);
  for (let y = 0; y < outH; y++) {
    for (let t = 0; t < k; t++) {
      const wt = w[t];
      const r = (y + t) * outW;
      const o = y * outW;
      for (let x = 0; x < outW; x++) out[o + x] += wt * rows[r + x];
    }
  }
  return out;
}

/**
 * Mean SSIM of two single-channel images, following Wang et al.'s reference
 * ssim_index.m: Gaussian-weighted local statistics, 'valid' filtering (no
 * padding, so the map is (H-10)x(W-10)), no downsampling.
 */
export function ssim(a: PixelImage, b: PixelImage, opts: SsimOptions = {}): number {
  assertSameShape(a, b, 'ssim');
  if (a.channels !== 1) throw new Error(`ssim: expects single-channel planes, got ${a.channels} channels (use rgbToY)`);
  const L = opts.dataRange ?? 255;
  const c1 = ((opts.k1 ?? 0.01) * L) ** 2;
  const c2 = ((opts.k2 ?? 0.03) * L) ** 2;
  const size = opts.windowSize ?? 11;
  const w = gaussianWindow1d(size, opts.sigma ?? 1.5);
  const { width, height } = a;
  if (width < size || height < size) throw new Error(`ssim: image ${width}x${height} smaller than the ${size}x${size} window`);

  const n = width * height;
  const x = Float64Array.from(a.data);
  const y = Float64Array.from(b.data);
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const mu1 = filterValid(x, width, height, w);
  const mu2 = filterValid(y, width, height, w);
  const e11 = filterValid(xx, width, height, w);
  const e22 = filterValid(yy, width, height, w);
  const e12 = filterValid(xy, width, height, w);
  let sum = 0;
  for (let i = 0; i < mu1.length; i++) {
    const m1 = mu1[i];
    const m2 = mu2[i];
    const s11 = e11[i] - m1 * m1;
    const s22 = e22[i] - m2 * m2;
    const s12 = e12[i] - m1 * m2;
    sum += ((2 * m1 * m2 + c1) * (2 * s12 + c2)) / ((m1 * m1 + m2 * m2 + c1) * (s11 + s22 + c2));
  }
  return sum / mu1.length;
}

export interface SrMetricOptions {
  /** Round Y to integers like MATLAB's rgb2ycbcr on uint8. Default true. */
  roundY?: boolean;
}

/** Y planes of an SR/HR pair with `border` pixels shaved, per the SR protocol. */
export function srYPlanes(sr: PixelImage, hr: PixelImage, border: number, opts: SrMetricOptions = {}): [PixelImage<Float64Array>, PixelImage<Float64Array>] {
  const srRgb = toRgb(sr);
  const hrRgb = toRgb(hr);
  assertSameShape(srRgb, hrRgb, 'srYPlanes');
  const round = opts.roundY ?? true;
  return [shave(rgbToY(srRgb, { round }), border), shave(rgbToY(hrRgb, { round }), border)];
}

/** SR-protocol PSNR: Y (BT.601 studio range) of both images, `border` (= scale) pixels shaved, peak 255. */
export function psnrY(sr: PixelImage, hr: PixelImage, border: number, opts: SrMetricOptions = {}): number {
  const [a, b] = srYPlanes(sr, hr, border, opts);
  return psnr(a, b, { peak: 255 });
}

/** SR-protocol SSIM on the shaved Y planes. */
export function ssimY(sr: PixelImage, hr: PixelImage, border: number, opts: SrMetricOptions = {}): number {
  const [a, b] = srYPlanes(sr, hr, border, opts);
  return ssim(a, b);
}

/** Mean absolute horizontal + vertical difference of a single-channel plane: how much fine detail it carries. */
export function gradientEnergy(y: PixelImage): number {
  const { data, width: w, height: h } = y;
  let s = 0,
    n = 0;
  for (let r = 0; r < h; r++)
    for (let c = 0; c < w; c++) {
      const v = data[r * w + c];
      if (c + 1 < w) {
        s += Math.abs(data[r * w + c + 1] - v);
        n++;
      }
      if (r + 1 < h) {
        s += Math.abs(data[(r + 1) * w + c] - v);
        n++;
      }
    }
  return n ? s / n : 0;
}

/**
 * Detail ratio on the SR-protocol Y planes: gradientEnergy(sr) / gradientEnergy(hr).
 * 1 = as much fine detail as the original; blurry upscalers score well below 1 (bicubic x4
 * about 0.6), texture synthesis moves it up (it says nothing about the detail being right:
 * read it next to PSNR).
 */
export function detailRatioY(sr: PixelImage, hr: PixelImage, border: number, opts: SrMetricOptions = {}): number {
  const [a, b] = srYPlanes(sr, hr, border, opts);
  return gradientEnergy(a) / gradientEnergy(b);
}
