/**
 * Real-ESRGAN's second-order degradation (Wang et al. 2021), applied on the CPU to one HR
 * crop with a seeded Rng: same crop, same seed → the same LR image, bit for bit.
 *
 * Ranges and probabilities are those of Real-ESRGAN's options/train_realesrgan_x4plus.yml
 * (x2plus has the same ones), the kernels are basicsr/data/degradations.py's and the order
 * of operations is realesrgan_model.py's feed_data:
 *
 *   blur(kernel1) → resize up/down/keep (area | bilinear | bicubic) → Gaussian or Poisson
 *   noise (colour or grey) → JPEG → [p 0.8] blur(kernel2) → resize to (LR size × s) →
 *   noise → either [resize to LR + sinc] then JPEG, or JPEG then [resize to LR + sinc]
 *   (p 0.5 each) → clamp and round to 8 bits.
 *
 * Kernels (realesrgan_dataset.py): size drawn from 7, 9, ..., 21; with p 0.1 a circular
 * sinc (cutoff in [π/3, π] below size 13, else [π/5, π]); otherwise iso / aniso Gaussian,
 * generalized Gaussian, plateau with p 0.45 / 0.25 / 0.12 / 0.03 / 0.12 / 0.03. The final
 * sinc (p 0.8) has cutoff in [π/3, π]. Resizing follows torch's F.interpolate (no antialias,
 * align_corners false, bicubic a = −0.75, "area" = adaptive average pooling); filter2D pads
 * by reflection. JPEG is jpeg-sim.ts (libjpeg's quantisation, 4:2:0) at an integer quality.
 * Left out: Real-ESRGAN's unsharp-masked targets (l1_gt_usm) and its batch shuffling queue.
 */
import type { Rng } from '@diffgan/core-models';
import { imresize } from '@diffgan/image';
import { jpegRoundTrip } from './jpeg-sim';

/** An RGB float image, HWC, values in [0, 1]. */
export interface FloatRgb {
  data: Float32Array;
  width: number;
  height: number;
}

type Range = [number, number];
export type KernelType = 'iso' | 'aniso' | 'generalized_iso' | 'generalized_aniso' | 'plateau_iso' | 'plateau_aniso';
export type ResizeMode = 'area' | 'bilinear' | 'bicubic';

export interface BlurOptions {
  kernelProb: Record<KernelType, number>;
  sincProb: number;
  sigma: Range;
  betaG: Range;
  betaP: Range;
}
/** Additive noise: Gaussian (p gaussianNoiseProb) or Poisson, colour or grey (p grayNoiseProb). */
export interface NoiseOptions {
  gaussianNoiseProb: number;
  /** Gaussian sigma on the 0-255 scale */
  noiseRange: Range;
  poissonScaleRange: Range;
  grayNoiseProb: number;
}
export interface StageOptions extends NoiseOptions {
  /** probabilities of up, down, keep */
  resizeProb: [number, number, number];
  resizeRange: Range;
  jpegRange: Range;
}
export interface DegradationOptions {
  blur1: BlurOptions;
  blur2: BlurOptions;
  stage1: StageOptions;
  stage2: StageOptions;
  secondBlurProb: number;
  finalSincProb: number;
}

const KERNEL_PROB: Record<KernelType, number> = {
  iso: 0.45,
  aniso: 0.25,
  generalized_iso: 0.12,
  generalized_aniso: 0.03,
  plateau_iso: 0.12,
  plateau_aniso: 0.03,
};

const STAGE1: DegradationOptions['stage1'] = {
  resizeProb: [0.2, 0.7, 0.1],
  resizeRange: [0.15, 1.5],
  gaussianNoiseProb: 0.5,
  noiseRange: [1, 30],
  poissonScaleRange: [0.05, 3],
  grayNoiseProb: 0.4,
  jpegRange: [30, 95],
};

/** options/train_realesrgan_x4plus.yml (and x2plus): the degradation keys, verbatim. */
export const REALESRGAN_DEGRADATION: DegradationOptions = {
  blur1: { kernelProb: KERNEL_PROB, sincProb: 0.1, sigma: [0.2, 3], betaG: [0.5, 4], betaP: [1, 2] },
  blur2: { kernelProb: KERNEL_PROB, sincProb: 0.1, sigma: [0.2, 1.5], betaG: [0.5, 4], betaP: [1, 2] },
  stage1: STAGE1,
  // the *2 keys: the second stage differs only in these
  stage2: { ...STAGE1, resizeProb: [0.3, 0.4, 0.3], resizeRange: [0.3, 1.2], noiseRange: [1, 25], poissonScaleRange: [0.05, 2.5] },
  secondBlurProb: 0.8,
  finalSincProb: 0.8,
};

const uniform = (rng: Rng, [a, b]: Range): number => a + (b - a) * rng.uniform();
function choose<T>(rng: Rng, items: readonly T[], probs: readonly number[]): T {
  const total = probs.reduce((a, b) => a + b, 0);
  let r = rng.uniform() * total;
  for (let i = 0; i < items.length; i++) if ((r -= probs[i]) < 0) return items[i];
  return items[items.length - 1];
}

// ------------------------------------------------------------------ kernels

/** A square, odd-sized filter, row-major (kernel[y * size + x]), summing to 1. */
export interface Kernel {
  size: number;
  data: Float64Array;
}

/** size x size values of f(x, y) on the grid centred at 0 (degradations.py mesh_grid), normalised to sum 1. */
function gridKernel(size: number, f: (x: number, y: number) => number): Kernel {
  const data = new Float64Array(size * size),
    c = (size - 1) / 2;
  let sum = 0;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const v = f(x - c, y - c);
      data[y * size + x] = v;
      sum += v;
    }
  for (let i = 0; i < data.length; i++) data[i] /= sum;
  return { size, data };
}

/** xᵀ Σ⁻¹ x for Σ = R diag(σx², σy²) Rᵀ, R the rotation by theta (sigma_matrix2). */
function mahalanobis(sx: number, sy: number, theta: number): (x: number, y: number) => number {
  const c = Math.cos(theta),
    s = Math.sin(theta);
  return (x, y) => {
    const u = c * x + s * y,
      v = -s * x + c * y;
    return (u * u) / (sx * sx) + (v * v) / (sy * sy);
  };
}

/** bivariate_Gaussian: exp(−q/2). */
export const gaussianKernel = (size: number, sx: number, sy = sx, theta = 0): Kernel => {
  const q = mahalanobis(sx, sy, theta);
  return gridKernel(size, (x, y) => Math.exp(-0.5 * q(x, y)));
};
/** bivariate_generalized_Gaussian: exp(−q^β / 2). */
export const generalizedGaussianKernel = (size: number, sx: number, sy: number, theta: number, beta: number): Kernel => {
  const q = mahalanobis(sx, sy, theta);
  return gridKernel(size, (x, y) => Math.exp(-0.5 * Math.pow(q(x, y), beta)));
};
/** bivariate_plateau: 1 / (q^β + 1). */
export const plateauKernel = (size: number, sx: number, sy: number, theta: number, beta: number): Kernel => {
  const q = mahalanobis(sx, sy, theta);
  return gridKernel(size, (x, y) => 1 / (Math.pow(q(x, y), beta) + 1));
};

/** Bessel J1 (Numerical Recipes bessj1: rational fits, |error| < 1e-8). */
export function besselJ1(x: number): number {
  const ax = Math.abs(x);
  if (ax < 8) {
    const y = x * x;
    const a = x * (72362614232.0 + y * (-7895059235.0 + y * (242396853.1 + y * (-2972611.439 + y * (15704.4826 + y * -30.16036606)))));
    const b = 144725228442.0 + y * (2300535178.0 + y * (18583304.74 + y * (99447.43394 + y * (376.9991397 + y))));
    return a / b;
  }
  const z = 8 / ax,
    y = z * z,
    xx = ax - 2.356194491;
  const p = 1 + y * (0.183105e-2 + y * (-0.3516396496e-4 + y * (0.2457520174e-5 + y * -0.240337019e-6)));
  const q = 0.04687499995 + y * (-0.2002690873e-3 + y * (0.8449199096e-5 + y * (-0.88228987e-6 + y * 0.105787412e-6)));
  const r = Math.sqrt(0.636619772 / ax) * (Math.cos(xx) * p - z * Math.sin(xx) * q);
  return x < 0 ? -r : r;
}

/** circular_lowpass_kernel: the 2-D circular sinc ω J1(ω r) / (2π r), centre ω²/(4π), normalised. */
export function sincKernel(cutoff: number, size: number): Kernel {
  return gridKernel(size, (x, y) => {
    const r = Math.hypot(x, y);
    return r === 0 ? (cutoff * cutoff) / (4 * Math.PI) : (cutoff * besselJ1(cutoff * r)) / (2 * Math.PI * r);
  });
}

/** β in [lo, 1) or [1, hi) with p 1/2 each (degradations.py's random_bivariate_* "assume beta_range[0] < 1 < beta_range[1]"). */
const drawBeta = (rng: Rng, [lo, hi]: Range): number => (rng.uniform() < 0.5 ? uniform(rng, [lo, 1]) : uniform(rng, [1, hi]));

/** One blur kernel as realesrgan_dataset.py draws kernel1 / kernel2. */
export function randomBlurKernel(rng: Rng, o: BlurOptions): Kernel {
  const size = 7 + 2 * rng.int(8);
  if (rng.uniform() < o.sincProb) return sincKernel(uniform(rng, [size < 13 ? Math.PI / 3 : Math.PI / 5, Math.PI]), size);
  const types = Object.keys(o.kernelProb) as KernelType[];
  const type = choose(
    rng,
    types,
    types.map((t) => o.kernelProb[t]),
  );
  const iso = type.endsWith('iso') && !type.endsWith('aniso');
  const sx = uniform(rng, o.sigma);
  const sy = iso ? sx : uniform(rng, o.sigma);
  const theta = iso ? 0 : uniform(rng, [-Math.PI, Math.PI]);
  if (type === 'iso' || type === 'aniso') return gaussianKernel(size, sx, sy, theta);
  if (type.startsWith('generalized')) return generalizedGaussianKernel(size, sx, sy, theta, drawBeta(rng, o.betaG));
  return plateauKernel(size, sx, sy, theta, drawBeta(rng, o.betaP));
}

/** The final sinc (p finalSincProb) or none (Real-ESRGAN's "pulse" kernel). */
export function randomFinalSinc(rng: Rng, p: number): Kernel | null {
  if (!(rng.uniform() < p)) return null;
  const size = 7 + 2 * rng.int(8);
  return sincKernel(uniform(rng, [Math.PI / 3, Math.PI]), size);
}

// ------------------------------------------------------------------ filtering

/**
 * A kernel as a sum of separable terms Σ v_r h_rᵀ (SVD by one-sided Jacobi), with the fewest
 * terms whose summed absolute error is below `tol`: filtering with it differs from the full
 * 2-D kernel by less than tol on [0, 1] images (1/1024 by default, a quarter of an 8-bit level).
 * An isotropic Gaussian takes one term; null when more than size/3 terms would be needed (no faster than the 2-D taps).
 */
export function separableTerms(k: Kernel, tol = 1 / 1024): { v: Float64Array; h: Float64Array }[] | null {
  const n = k.size;
  const A = Float64Array.from(k.data); // A[y*n + j]: column j
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 30; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        let a = 0,
          b = 0,
          g = 0;
        for (let i = 0; i < n; i++) {
          const x = A[i * n + p],
            y = A[i * n + q];
          a += x * x;
          b += y * y;
          g += x * y;
        }
        if (Math.abs(g) <= 1e-15 * Math.sqrt(a * b) || g === 0) continue;
        rotated = true;
        const zeta = (b - a) / (2 * g);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t),
          s = c * t;
        for (let i = 0; i < n; i++) {
          const x = A[i * n + p],
            y = A[i * n + q];
          A[i * n + p] = c * x - s * y;
          A[i * n + q] = s * x + c * y;
          const vx = V[i * n + p],
            vy = V[i * n + q];
          V[i * n + p] = c * vx - s * vy;
          V[i * n + q] = s * vx + c * vy;
        }
      }
    if (!rotated) break;
  }
  // K = A Vᵀ: term j is column j of A (vertical, carries σ_j) times column j of V (horizontal)
  const norms = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += A[i * n + j] ** 2;
    return s;
  });
  const order = norms.map((_, j) => j).sort((a, b) => norms[b] - norms[a]);
  const approx = new Float64Array(n * n);
  const terms: { v: Float64Array; h: Float64Array }[] = [];
  for (const j of order) {
    if (3 * (terms.length + 1) > n) return null; // (r+1) terms of 2n taps plus their passes' overhead would not beat n² taps
    const v = Float64Array.from({ length: n }, (_, i) => A[i * n + j]);
    const h = Float64Array.from({ length: n }, (_, i) => V[i * n + j]);
    terms.push({ v, h });
    let err = 0;
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        approx[y * n + x] += v[y] * h[x];
        err += Math.abs(approx[y * n + x] - k.data[y * n + x]);
      }
    if (err < tol) return terms;
  }
  return null;
}

/** Source index of padded position i for reflect padding (torch 'reflect': the edge is not repeated). */
function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

/** For each output position o and tap t, the source index of o + t − r under reflection. */
function reflectTable(n: number, r: number): Int32Array {
  const t = new Int32Array(n + 2 * r);
  for (let i = 0; i < t.length; i++) t[i] = reflectIndex(i - r, n);
  return t;
}

/**
 * acc[dst + i] += Σ_t w[w0 + t] · src[base + t·step + i] for t < n, i < len: four taps per
 * pass over the row (a quarter of the accumulator traffic; ~1.6x faster than one tap a pass).
 */
function addTaps(acc: Float64Array, dst: number, src: Float32Array, base: number, step: number, w: Float64Array, w0: number, n: number, len: number): void {
  let t = 0;
  for (; t + 3 < n; t += 4) {
    const a = w[w0 + t],
      b = w[w0 + t + 1],
      c = w[w0 + t + 2],
      d = w[w0 + t + 3];
    const o = base + t * step;
    for (let i = 0; i < len; i++) acc[dst + i] += a * src[o + i] + b * src[o + step + i] + c * src[o + 2 * step + i] + d * src[o + 3 * step + i];
  }
  for (; t < n; t++) {
    const a = w[w0 + t],
      o = base + t * step;
    for (let i = 0; i < len; i++) acc[dst + i] += a * src[o + i];
  }
}

/** The 2-D correlation with reflect padding (basicsr filter2D), taps as given. */
export function filter2dDirect(img: FloatRgb, k: Kernel): FloatRgb {
  const { width: W, height: H } = img,
    n = k.size,
    r = (n - 1) / 2;
  const pad = padReflect(img, r),
    P = pad.data,
    prow = pad.width * 3,
    row = W * 3;
  const out = new Float32Array(H * row),
    acc = new Float64Array(row);
  // one output row at a time: each kernel row adds n shifted padded rows (contiguous, JIT-friendly)
  for (let y = 0; y < H; y++) {
    acc.fill(0);
    for (let ky = 0; ky < n; ky++) addTaps(acc, 0, P, (y + ky) * prow, 3, k.data, ky * n, n, row);
    out.set(acc, y * row);
  }
  return { data: out, width: W, height: H };
}

/** The image with `r` reflected pixels on every side, HWC. */
function padReflect(img: FloatRgb, r: number): { data: Float32Array; width: number; height: number } {
  const { width: W, height: H, data } = img,
    PW = W + 2 * r,
    PH = H + 2 * r;
  const rx = reflectTable(W, r),
    ry = reflectTable(H, r);
  const out = new Float32Array(PW * PH * 3);
  for (let y = 0; y < PH; y++) {
    const src = ry[y] * W;
    for (let x = 0; x < PW; x++) {
      const s = (src + rx[x]) * 3,
        d = (y * PW + x) * 3;
      out[d] = data[s];
      out[d + 1] = data[s + 1];
      out[d + 2] = data[s + 2];
    }
  }
  return { data: out, width: PW, height: PH };
}

/**
 * The kernel without its outer rings of taps whose absolute sum (all rings dropped together)
 * is below `tol`: a σ = 1 Gaussian drawn at size 21 needs about 9x9.
 */
export function trimKernel(k: Kernel, tol: number): Kernel {
  const n = k.size,
    c = (n - 1) / 2;
  const ring = new Float64Array(c + 1); // absolute mass at Chebyshev distance d
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) ring[Math.max(Math.abs(x - c), Math.abs(y - c))] += Math.abs(k.data[y * n + x]);
  let r = c,
    dropped = 0;
  while (r > 0 && dropped + ring[r] < tol) dropped += ring[r--];
  if (r === c) return k;
  const m = 2 * r + 1,
    data = new Float64Array(m * m);
  for (let y = 0; y < m; y++) for (let x = 0; x < m; x++) data[y * m + x] = k.data[(y + c - r) * n + x + c - r];
  return { size: m, data };
}

/**
 * filter2D within 1/1024 (a quarter of an 8-bit level) of the full 2-D correlation: negligible
 * outer rings trimmed (half the budget), then the separable form when it is cheaper (the other half).
 */
export function filter2d(img: FloatRgb, kernel: Kernel): FloatRgb {
  const k = trimKernel(kernel, 1 / 2048);
  const terms = separableTerms(k, 1 / 2048);
  if (!terms) return filter2dDirect(img, k);
  const { width: W, height: H } = img,
    n = k.size,
    r = (n - 1) / 2;
  const pad = padReflect(img, r),
    P = pad.data,
    prow = pad.width * 3;
  const row = W * 3;
  const out = new Float64Array(H * row),
    acc = new Float64Array(pad.height * row),
    tmp = new Float32Array(pad.height * row);
  for (const { v, h } of terms) {
    // horizontal on every padded row (only the W·3 output columns), then vertical into the output
    acc.fill(0);
    for (let y = 0; y < pad.height; y++) addTaps(acc, y * row, P, y * prow, 3, h, 0, n, row);
    tmp.set(acc);
    for (let y = 0; y < H; y++) addTaps(out, y * row, tmp, y * row, row, v, 0, n, row);
  }
  return { data: new Float32Array(out), width: W, height: H };
}

// ------------------------------------------------------------------ resizing

interface AxisTaps {
  taps: number;
  index: Int32Array;
  weight: Float64Array;
}

/**
 * torch F.interpolate along one axis (align_corners false, no antialias). `srcPerDst` is the
 * source step per output pixel: in/out for a size, 1/scale_factor for a scale factor.
 */
export function interpolateAxis(inLen: number, outLen: number, mode: ResizeMode, srcPerDst = inLen / outLen): AxisTaps {
  if (mode === 'area') {
    // adaptive_avg_pool: [floor(i·in/out), ceil((i+1)·in/out))
    const taps = Math.ceil(inLen / outLen) + 1;
    const index = new Int32Array(outLen * taps),
      weight = new Float64Array(outLen * taps);
    for (let i = 0; i < outLen; i++) {
      const s = Math.floor((i * inLen) / outLen),
        e = Math.ceil(((i + 1) * inLen) / outLen);
      for (let t = 0; t < taps; t++) {
        index[i * taps + t] = Math.min(s + t, inLen - 1);
        weight[i * taps + t] = s + t < e ? 1 / (e - s) : 0;
      }
    }
    return { taps, index, weight };
  }
  if (mode === 'bilinear') {
    const index = new Int32Array(outLen * 2),
      weight = new Float64Array(outLen * 2);
    for (let i = 0; i < outLen; i++) {
      const src = Math.max(0, srcPerDst * (i + 0.5) - 0.5);
      const i0 = Math.min(Math.floor(src), inLen - 1),
        l1 = src - i0;
      index[2 * i] = i0;
      index[2 * i + 1] = Math.min(i0 + 1, inLen - 1);
      weight[2 * i] = 1 - l1;
      weight[2 * i + 1] = l1;
    }
    return { taps: 2, index, weight };
  }
  // bicubic, A = −0.75 (torch's cubic_convolution1/2), indices clamped
  const A = -0.75;
  const near = (x: number) => ((A + 2) * x - (A + 3)) * x * x + 1;
  const far = (x: number) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
  const index = new Int32Array(outLen * 4),
    weight = new Float64Array(outLen * 4);
  for (let i = 0; i < outLen; i++) {
    const src = srcPerDst * (i + 0.5) - 0.5;
    const f = Math.floor(src),
      t = src - f;
    const w = [far(t + 1), near(t), near(1 - t), far(2 - t)];
    for (let k = 0; k < 4; k++) {
      index[4 * i + k] = Math.min(Math.max(f - 1 + k, 0), inLen - 1);
      weight[4 * i + k] = w[k];
    }
  }
  return { taps: 4, index, weight };
}

/** Resizes to outW x outH (torch F.interpolate semantics; rows first, then columns). */
export function resize(img: FloatRgb, outW: number, outH: number, mode: ResizeMode, srcPerDst?: number): FloatRgb {
  const { width: W, height: H, data } = img;
  if (outW === W && outH === H && srcPerDst === undefined) return img;
  const ax = interpolateAxis(W, outW, mode, srcPerDst),
    ay = interpolateAxis(H, outH, mode, srcPerDst);
  const mid = new Float64Array(H * outW * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < outW; x++) {
      let a = 0,
        b = 0,
        c = 0;
      for (let t = 0; t < ax.taps; t++) {
        const w = ax.weight[x * ax.taps + t],
          s = (y * W + ax.index[x * ax.taps + t]) * 3;
        a += w * data[s];
        b += w * data[s + 1];
        c += w * data[s + 2];
      }
      const d = (y * outW + x) * 3;
      mid[d] = a;
      mid[d + 1] = b;
      mid[d + 2] = c;
    }
  const out = new Float32Array(outH * outW * 3);
  const row = outW * 3;
  for (let y = 0; y < outH; y++)
    for (let t = 0; t < ay.taps; t++) {
      const w = ay.weight[y * ay.taps + t];
      if (w === 0) continue;
      const src = ay.index[y * ay.taps + t] * row;
      for (let i = 0; i < row; i++) out[y * row + i] += w * mid[src + i];
    }
  return { data: out, width: outW, height: outH };
}

// ------------------------------------------------------------------ noise, JPEG

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** n standard normal draws, both Box-Muller outputs used (half the uniforms and logs of Rng.normal). */
export function normals(n: number, rng: Rng): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    let u = 0;
    while (u === 0) u = rng.uniform();
    const r = Math.sqrt(-2 * Math.log(u)),
      a = 2 * Math.PI * rng.uniform();
    z[i] = r * Math.cos(a);
    if (i + 1 < n) z[i + 1] = r * Math.sin(a);
  }
  return z;
}

/** img + N(0, (sigma/255)²), one draw per value or (grey) one per pixel for all channels, clipped to [0, 1]. */
export function addGaussianNoise(img: FloatRgb, sigma255: number, gray: boolean, rng: Rng): FloatRgb {
  const s = sigma255 / 255,
    d = img.data,
    out = new Float32Array(d.length);
  const z = normals(gray ? d.length / 3 : d.length, rng);
  if (gray)
    for (let p = 0; p < d.length; p += 3) {
      const e = z[p / 3] * s;
      out[p] = clamp01(d[p] + e);
      out[p + 1] = clamp01(d[p + 1] + e);
      out[p + 2] = clamp01(d[p + 2] + e);
    }
  else for (let i = 0; i < d.length; i++) out[i] = clamp01(d[i] + z[i] * s);
  return { ...img, data: out };
}

/** A Poisson draw: multiplication method below λ = 30, above it a rounded normal N(λ, λ) (same mean and variance). */
export function poisson(lambda: number, rng: Rng): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const L = Math.exp(-lambda);
    let k = 0,
      p = rng.uniform();
    while (p > L) {
      k++;
      p *= rng.uniform();
    }
    return k;
  }
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
}

/**
 * generate_poisson_noise_pt: the values rounded to 8 bits, vals = the next power of two of
 * their count of distinct levels, noise = (Poisson(v·vals)/vals − v)·scale (grey: on
 * 0.2989 R + 0.587 G + 0.114 B, the same noise in every channel), added and clipped.
 */
export function addPoissonNoise(img: FloatRgb, scale: number, gray: boolean, rng: Rng): FloatRgb {
  const d = img.data,
    n = d.length / 3;
  const plane = gray ? new Float64Array(n) : new Float64Array(d.length);
  if (gray) for (let i = 0; i < n; i++) plane[i] = Math.round(clamp01(0.2989 * d[3 * i] + 0.587 * d[3 * i + 1] + 0.114 * d[3 * i + 2]) * 255) / 255;
  else for (let i = 0; i < d.length; i++) plane[i] = Math.round(clamp01(d[i]) * 255) / 255;
  const seen = new Uint8Array(256);
  let levels = 0;
  for (let i = 0; i < plane.length; i++) {
    const l = Math.round(plane[i] * 255);
    if (!seen[l]) {
      seen[l] = 1;
      levels++;
    }
  }
  const vals = 2 ** Math.ceil(Math.log2(levels));
  const out = new Float32Array(d.length);
  if (gray)
    for (let i = 0; i < n; i++) {
      const e = (poisson(plane[i] * vals, rng) / vals - plane[i]) * scale;
      for (let c = 0; c < 3; c++) out[3 * i + c] = clamp01(d[3 * i + c] + e);
    }
  else for (let i = 0; i < d.length; i++) out[i] = clamp01(d[i] + (poisson(plane[i] * vals, rng) / vals - plane[i]) * scale);
  return { ...img, data: out };
}

/** JPEG at `quality` (rounded to an integer, as an encoder takes it) of the image clamped and rounded to 8 bits. */
export function jpeg(img: FloatRgb, quality: number): FloatRgb {
  const u8 = new Uint8Array(img.data.length);
  for (let i = 0; i < u8.length; i++) u8[i] = Math.round(clamp01(img.data[i]) * 255);
  const dec = jpegRoundTrip(u8, img.width, img.height, Math.round(quality));
  const data = new Float32Array(dec.length);
  for (let i = 0; i < dec.length; i++) data[i] = dec[i] / 255;
  return { ...img, data };
}

// ------------------------------------------------------------------ the pipeline

const RESIZE_MODES: ResizeMode[] = ['area', 'bilinear', 'bicubic'];

function randomNoise(img: FloatRgb, o: NoiseOptions, rng: Rng): FloatRgb {
  if (rng.uniform() < o.gaussianNoiseProb) {
    const sigma = uniform(rng, o.noiseRange);
    return addGaussianNoise(img, sigma, rng.uniform() < o.grayNoiseProb, rng);
  }
  const scale = uniform(rng, o.poissonScaleRange);
  return addPoissonNoise(img, scale, rng.uniform() < o.grayNoiseProb, rng);
}

/** The resize factor of a stage: up, down or keep. */
function resizeFactor(o: StageOptions, rng: Rng): number {
  const kind = choose(rng, ['up', 'down', 'keep'] as const, o.resizeProb);
  return kind === 'up' ? uniform(rng, [1, o.resizeRange[1]]) : kind === 'down' ? uniform(rng, [o.resizeRange[0], 1]) : 1;
}

/**
 * The LR image (floor(W/scale) x floor(H/scale), 8-bit values / 255) of an HR crop under
 * Real-ESRGAN's second-order degradation. All randomness comes from `rng`, in a fixed order.
 */
export function degradeRealEsrgan(hr: FloatRgb, scale: number, rng: Rng, o: DegradationOptions = REALESRGAN_DEGRADATION): FloatRgb {
  const lrW = Math.floor(hr.width / scale),
    lrH = Math.floor(hr.height / scale);
  if (lrW < 1 || lrH < 1) throw new Error(`degradeRealEsrgan: ${hr.width}x${hr.height} is smaller than the scale ${scale}`);
  // the kernels first, as the dataset draws them
  const kernel1 = randomBlurKernel(rng, o.blur1),
    kernel2 = randomBlurKernel(rng, o.blur2),
    sinc = randomFinalSinc(rng, o.finalSincProb);
  const mode = () => RESIZE_MODES[rng.int(3)];
  // first degradation
  let out = filter2d(hr, kernel1);
  const f1 = resizeFactor(o.stage1, rng);
  // F.interpolate(scale_factor=f1): size floor(n·f1), source step 1/f1
  out = resize(out, Math.max(1, Math.floor(out.width * f1)), Math.max(1, Math.floor(out.height * f1)), mode(), 1 / f1);
  out = randomNoise(out, o.stage1, rng);
  out = jpeg(out, uniform(rng, o.stage1.jpegRange));
  // second degradation
  if (rng.uniform() < o.secondBlurProb) out = filter2d(out, kernel2);
  const f2 = resizeFactor(o.stage2, rng);
  out = resize(out, Math.max(1, Math.floor((hr.width / scale) * f2)), Math.max(1, Math.floor((hr.height / scale) * f2)), mode());
  out = randomNoise(out, o.stage2, rng);
  const toLr = (img: FloatRgb): FloatRgb => {
    const r = resize(img, lrW, lrH, mode());
    return sinc ? filter2d(r, sinc) : r;
  };
  if (rng.uniform() < 0.5) out = jpeg(toLr(out), uniform(rng, o.stage2.jpegRange));
  else out = toLr(jpeg(out, uniform(rng, o.stage2.jpegRange)));
  const data = new Float32Array(out.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(clamp01(out.data[i]) * 255) / 255;
  return { data, width: lrW, height: lrH };
}

// ------------------------------------------------------------------ degradation levels

/**
 * The classical (first-order) degradation, Real-ESRGAN's eq. 1: y = [(x ⊛ k)↓s + n]_JPEG —
 * blur at HR, downscale to LR, noise at LR, JPEG at LR.
 */
export interface FirstOrderOptions extends NoiseOptions {
  blur: BlurOptions;
  jpegRange: Range;
}

/** DASR's one-stage kernels: isotropic / anisotropic Gaussian only, no sinc. */
const ONE_STAGE_KERNELS: Record<KernelType, number> = { iso: 0.65, aniso: 0.35, generalized_iso: 0, generalized_aniso: 0, plateau_iso: 0, plateau_aniso: 0 };
const oneStageBlur = (sigma: Range): BlurOptions => ({ kernelProb: ONE_STAGE_KERNELS, sincProb: 0, sigma, betaG: [0.5, 4], betaP: [1, 2] });

/** DASR's (Liang et al. 2022, options/train/DASR/train_DASR.yml) weak_degrade_one_stage ranges. */
export const WEAK_FIRST_ORDER: FirstOrderOptions = {
  blur: oneStageBlur([0.2, 0.8]),
  gaussianNoiseProb: 0.5,
  noiseRange: [1, 10],
  poissonScaleRange: [0.05, 0.5],
  grayNoiseProb: 0.4,
  jpegRange: [90, 95],
};
/** ... and its standard_degrade_one_stage ranges. */
export const STANDARD_FIRST_ORDER: FirstOrderOptions = {
  blur: oneStageBlur([0.2, 1.5]),
  gaussianNoiseProb: 0.5,
  noiseRange: [1, 20],
  poissonScaleRange: [0.05, 1.5],
  grayNoiseProb: 0.4,
  jpegRange: [50, 95],
};

/**
 * The LR of an HR crop under the first-order model. The downscale is area averaging or
 * MATLAB's antialiased bicubic (p 1/2 each): the resizers photos meet on their way to a user
 * (libvips, PIL, browsers, phones) filter when they shrink, unlike torch's F.interpolate.
 */
export function degradeFirstOrder(hr: FloatRgb, scale: number, rng: Rng, o: FirstOrderOptions): FloatRgb {
  const lrW = Math.floor(hr.width / scale),
    lrH = Math.floor(hr.height / scale);
  if (lrW < 1 || lrH < 1) throw new Error(`degradeFirstOrder: ${hr.width}x${hr.height} is smaller than the scale ${scale}`);
  const blurred = filter2d(hr, randomBlurKernel(rng, o.blur));
  let out: FloatRgb;
  if (rng.uniform() < 0.5) out = resize(blurred, lrW, lrH, 'area');
  else {
    const r = imresize({ data: blurred.data, width: blurred.width, height: blurred.height, channels: 3 }, { width: lrW, height: lrH, output: 'float' });
    out = { data: r.data, width: lrW, height: lrH };
  }
  out = jpeg(randomNoise(out, o, rng), uniform(rng, o.jpegRange));
  return { data: out.data, width: lrW, height: lrH };
}

/** The degradation levels of the real model's training and their probabilities (DASR's degree_list / degree_prob). */
export const DEGRADATION_LEVELS = [
  { name: 'weak', p: 0.3 },
  { name: 'standard', p: 0.3 },
  { name: 'severe', p: 0.4 },
] as const;
export type DegradationLevel = (typeof DEGRADATION_LEVELS)[number]['name'];

/**
 * The real model's training degradation: a weak or standard first-order degradation or
 * Real-ESRGAN's second-order one, drawn per sample with DASR's probabilities 0.3 / 0.3 / 0.4.
 * Real-ESRGAN's model alone is tuned to badly damaged web images: a network trained only on it
 * smooths every input as if it were that noisy (measured in docs/experiments/image-sr-real-photos.md).
 */
export function degradeMixed(hr: FloatRgb, scale: number, rng: Rng): FloatRgb {
  const level = choose(
    rng,
    DEGRADATION_LEVELS.map((l) => l.name),
    DEGRADATION_LEVELS.map((l) => l.p),
  );
  return degradeLevel(hr, scale, rng, level);
}

/** One level's degradation (degradeMixed after its draw). */
export function degradeLevel(hr: FloatRgb, scale: number, rng: Rng, level: DegradationLevel): FloatRgb {
  if (level === 'severe') return degradeRealEsrgan(hr, scale, rng);
  return degradeFirstOrder(hr, scale, rng, level === 'weak' ? WEAK_FIRST_ORDER : STANDARD_FIRST_ORDER);
}
