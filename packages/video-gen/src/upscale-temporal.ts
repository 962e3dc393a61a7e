/**
 * Video super-resolution with @diffgan/image-sr's x2/x4 generator, stabilised over time.
 *
 * Per frame: SR_t = G(LR_t). With the temporal mechanism on, the previous *output* frame
 * is carried along the motion and blended in where the motion is reliable:
 *   v        = forward block motion LR_t → LR_{t−1} (motion.ts; LR_t(p) ≈ LR_{t−1}(p + v))
 *   P_t      = O_{t−1} warped by s·v (s = scale; cubic kernel: a bilinear warp would blur what it carries)
 *   e(p)     = 3×3 mean of |Y(LR_t) − Y(LR_{t−1} warped by v)|   (brightness/occlusion check, LR)
 *   d(P)     = mean over RGB of |P_t − SR_t| at each HR pixel P
 *   α(P)     = strength · exp(−(e/tolerance)²) · exp(−(d/detailTolerance)²)
 *   O_t      = α·P_t + (1 − α)·SR_t
 * A recursive filter along motion trajectories: where the content is static or moves as
 * estimated, per-frame SR noise (the flicker) is averaged over about 1/(1−strength)
 * frames; where the warp does not explain the new frame (occlusions, cuts, lighting),
 * α → 0 and the output is the plain per-frame SR. The state is reset when the frames
 * passed in are not consecutive.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createUpscaler, DEFAULT_WEIGHTS_DIR as SR_WEIGHTS_DIR, generatorName, Upscaler as ImageUpscaler } from '@diffgan/image-sr';
import type { Frame } from './frame';
import type { Upscaler, UpscaleFactor, UpscaleContext } from './upscale';
import { denseFlow, estimateMotion, lumaOf, warp, warpCubic } from './interp/motion';
import { toFloat, toFrame } from './interp/interpolator';

/** Per-frame SR of RGB float [0, 1] HWC to RGB float (width·scale × height·scale). */
export type FrameSr = (rgb: Float32Array, width: number, height: number, scale: UpscaleFactor) => Promise<Float32Array>;

export interface TemporalUpscalerOptions {
  /** The temporal mechanism (default true); false gives plain per-frame SR. */
  temporal?: boolean;
  /** Largest weight of the warped previous output (default 0.6). */
  strength?: number;
  /** LR luma error (0-255 units) of the motion check at which the weight falls to 1/e (default 6). */
  tolerance?: number;
  /**
   * HR difference (0-255 units, mean over RGB) between the warped previous output and the
   * current SR at which the weight falls to 1/e (default 12): only small differences
   * (flicker) are smoothed, real changes pass through. Infinity turns the check off.
   */
  detailTolerance?: number;
  /**
   * 'detail' (default): blend only the high-frequency part of the difference (the
   * difference minus its scale×scale box average), so brightness and colour always come
   * from the current frame and only texture (where per-frame SR flickers) is stabilised;
   * 'full': blend everything.
   */
  band?: 'detail' | 'full';
  /** image-sr weights folder (default: image-sr's shipped weights/, or $DIFFGAN_SR_WEIGHTS). */
  weightsDir?: string;
  threads?: number;
  /** Replace the per-frame SR (tests, other models). */
  sr?: FrameSr;
}

export interface TemporalUpscaler extends Upscaler {
  reset(): void;
  /** The last frame's mean blend weight (0 with the mechanism off). */
  readonly lastMeanWeight: number;
}

export function srWeightsDir(dir?: string): string {
  return path.resolve(dir ?? process.env.DIFFGAN_SR_WEIGHTS ?? SR_WEIGHTS_DIR);
}
export function srManifestPath(scale: UpscaleFactor, dir?: string): string {
  return path.join(srWeightsDir(dir), `${generatorName(scale)}.manifest.json`);
}

/**
 * image-sr's generator as a FrameSr. When x2 weights are missing, x2 runs the x4 model and
 * halves its output with a 2×2 box filter.
 */
export function imageSrFrameSr(opts: { weightsDir?: string; threads?: number } = {}): FrameSr {
  // one upscaler per scale, loaded on the first frame and held for the process (as image-sr's runner cache was)
  const upscalers = new Map<string, Promise<ImageUpscaler>>();
  const upscalerFor = (scale: 2 | 4, weightsDir: string): Promise<ImageUpscaler> => {
    const key = `${scale}|${weightsDir}`;
    let sr = upscalers.get(key);
    if (!sr) {
      sr = createUpscaler({ scale, weightsDir, threads: opts.threads ?? 0 });
      upscalers.set(key, sr);
      sr.catch(() => upscalers.delete(key));
    }
    return sr;
  };
  return async (rgb, width, height, scale) => {
    const dir = srWeightsDir(opts.weightsDir);
    const native = fs.existsSync(srManifestPath(scale, dir));
    const s: 2 | 4 = native ? scale : 4;
    const out = await (await upscalerFor(s, dir)).upscaleFloat({ data: rgb, width, height, channels: 3 });
    if (s === scale) return out.data;
    const W = width * 2,
      H = height * 2,
      big = out.data,
      W4 = width * 4,
      res = new Float32Array(W * H * 3);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < 3; c++) {
          const i = (2 * y * W4 + 2 * x) * 3 + c;
          res[(y * W + x) * 3 + c] = 0.25 * (big[i] + big[i + 3] + big[i + W4 * 3] + big[i + W4 * 3 + 3]);
        }
    return res;
  };
}

export function createTemporalUpscaler(opts: TemporalUpscalerOptions = {}): TemporalUpscaler {
  const temporal = opts.temporal ?? true,
    strength = opts.strength ?? 0.6,
    tol = opts.tolerance ?? 6,
    dtol = (opts.detailTolerance ?? 12) / 255;
  const sr = opts.sr ?? imageSrFrameSr(opts);
  let state: { frame: Frame; index: number; scale: number; out: Float32Array; luma: Float32Array } | undefined;
  let lastMeanWeight = 0;

  const upscaler = (async (frame: Frame, scale: UpscaleFactor, ctx: UpscaleContext): Promise<Frame> => {
    const { width: w, height: h } = frame;
    const W = w * scale,
      H = h * scale;
    const rgb = toFloat(frame);
    const cur = await sr(rgb, w, h, scale);
    const lum = lumaOf(frame.data, w, h);
    let out = cur;
    lastMeanWeight = 0;
    const consecutive =
      state &&
      state.scale === scale &&
      state.frame.width === w &&
      state.frame.height === h &&
      state.index === ctx.index - 1 &&
      (ctx.previous === undefined || ctx.previous === state.frame);
    if (temporal && state && consecutive) {
      const prevL = { data: state.luma, width: w, height: h };
      const m = estimateMotion(lum, prevL, { mode: 'forward', range: 4 });
      const lrFlow = denseFlow(m, 1),
        hrFlow = denseFlow(m, scale);
      const prevWarpL = warp(state.luma, w, h, 1, lrFlow.fx, lrFlow.fy, 1);
      // 3×3 mean abs luma error → weight per LR pixel
      const err = new Float32Array(w * h);
      for (let p = 0; p < w * h; p++) err[p] = Math.abs(lum.data[p] - prevWarpL[p]);
      const alpha = new Float32Array(w * h);
      let sum = 0;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          let s = 0,
            n = 0;
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const yy = y + dy,
                xx = x + dx;
              if (yy < 0 || xx < 0 || yy >= h || xx >= w) continue;
              s += err[yy * w + xx];
              n++;
            }
          const e = s / n / tol;
          sum += alpha[y * w + x] = strength * Math.exp(-e * e);
        }
      lastMeanWeight = sum / (w * h);
      const prevWarp = warpCubic(state.out, W, H, 3, hrFlow.fx, hrFlow.fy, 1);
      out = new Float32Array(W * H * 3);
      const detailOnly = (opts.band ?? 'detail') === 'detail';
      const low = detailOnly
        ? boxBlur(
            prevWarp.map((v, k) => v - cur[k]),
            W,
            H,
            scale,
          )
        : undefined;
      for (let Y = 0; Y < H; Y++) {
        const ay = Math.min(h - 1, Math.floor(Y / scale));
        for (let X = 0; X < W; X++) {
          const k = (Y * W + X) * 3;
          let a = alpha[ay * w + Math.min(w - 1, Math.floor(X / scale))];
          if (dtol !== Infinity) {
            const d = (Math.abs(prevWarp[k] - cur[k]) + Math.abs(prevWarp[k + 1] - cur[k + 1]) + Math.abs(prevWarp[k + 2] - cur[k + 2])) / (3 * dtol);
            a *= Math.exp(-d * d);
          }
          if (low) for (let c = 0; c < 3; c++) out[k + c] = cur[k + c] + a * (prevWarp[k + c] - cur[k + c] - low[k + c]);
          else for (let c = 0; c < 3; c++) out[k + c] = cur[k + c] + a * (prevWarp[k + c] - cur[k + c]);
        }
      }
    }
    state = { frame, index: ctx.index, scale, out, luma: lum.data };
    return toFrame(out, W, H);
  }) as TemporalUpscaler;
  Object.defineProperty(upscaler, 'lastMeanWeight', { get: () => lastMeanWeight });
  upscaler.reset = () => {
    state = undefined;
  };
  return upscaler;
}

/** Separable box filter of odd-ized size ≥ r (clamped borders) on RGB-interleaved data. */
function boxBlur(src: Float32Array, W: number, H: number, r: number): Float32Array {
  const rad = Math.max(1, Math.floor(r / 2)),
    n = 2 * rad + 1;
  const tmp = new Float32Array(src.length),
    out = new Float32Array(src.length);
  for (let y = 0; y < H; y++)
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let x = -rad - 1; x < rad; x++) s += src[(y * W + Math.min(W - 1, Math.max(0, x))) * 3 + c];
      for (let x = 0; x < W; x++) {
        s += src[(y * W + Math.min(W - 1, x + rad)) * 3 + c] - src[(y * W + Math.max(0, x - rad - 1)) * 3 + c];
        tmp[(y * W + x) * 3 + c] = s / n;
      }
    }
  for (let x = 0; x < W; x++)
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let y = -rad - 1; y < rad; y++) s += tmp[(Math.min(H - 1, Math.max(0, y)) * W + x) * 3 + c];
      for (let y = 0; y < H; y++) {
        s += tmp[(Math.min(H - 1, y + rad) * W + x) * 3 + c] - tmp[(Math.max(0, y - rad - 1) * W + x) * 3 + c];
        out[(y * W + x) * 3 + c] = s / n;
      }
    }
  return out;
}
