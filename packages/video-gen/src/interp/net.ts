/**
 * The interpolation networks and the host-side preparation they share between training
 * and inference.
 *
 * Pipeline for the frame halfway between f0 and f1 (RGB in [0, 1]):
 * 1. symmetric block motion on luma (motion.ts; 12-px matching windows, |v| cost 1) gives v
 *    with f0(p − v) ≈ f1(p + v); w0 = f0 warped by −v, w1 = f1 warped by +v with the cubic
 *    kernel (both aligned with the midpoint);
 * 2. the GAN generator `interp_g` (a 3-level UNet, avgPool down / nearest up) reads
 *    x = [w0, w1, f0, f1] − ½ (12 channels) and outputs 4 channels: a blend logit m and an
 *    RGB residual r; the frame is g = σ(m)·w0 + (1 − σ(m))·w1 + r. The output layer starts
 *    at zero, so an untrained net is plain motion-compensated averaging;
 * 3. optionally, `interp_refiner`, a tiny conditional denoiser, runs 1-2 diffusion steps
 *    on the residual (y − g)·RES_SCALE conditioned on g (see refine.ts).
 */
import { GraphBuilder, GraphSpec, Value, unet, UNetConfig, patchDiscriminator, vpSdeSchedule } from '@diffgan/core-models';
import { midpointMotion, warpCubic } from './motion';

export const INTERP_IN = 12;
export const INTERP_OUT = 4;
/** H and W are padded to a multiple of this (two 2× poolings). */
export const INTERP_ALIGN = 4;

export interface InterpNetConfig {
  channels: [number, number, number];
}
export const INTERP_CONFIG: InterpNetConfig = { channels: [16, 32, 64] };

export function interpNetSpec(c: InterpNetConfig = INTERP_CONFIG, name = 'interp_g'): GraphSpec {
  const g = new GraphBuilder(name);
  const [c0, c1, c2] = c.channels;
  const lrelu = (v: Value) => g.act(v, 'leakyRelu');
  const x = g.input('x', 'image', INTERP_IN);
  const e0 = g.scope('enc0', () => lrelu(g.conv(lrelu(g.conv(x, c0)), c0)));
  const e1 = g.scope('enc1', () => lrelu(g.conv(lrelu(g.conv(g.avgPool(e0, 2), c1)), c1)));
  const e2 = g.scope('enc2', () => {
    const h = lrelu(g.conv(lrelu(g.conv(g.avgPool(e1, 2), c2)), c2));
    return g.add(h, g.conv(lrelu(g.conv(h, c2)), c2, { gain: 0.5 }));
  });
  // decoder: project at the coarse resolution, upsample, add the skip, conv
  const d1 = g.scope('dec1', () => lrelu(g.conv(lrelu(g.add(g.upNearest(g.conv(e2, c1, { k: 1 }), 2), e1)), c1)));
  const d0 = g.scope('dec0', () => lrelu(g.conv(lrelu(g.add(g.upNearest(g.conv(d1, c0, { k: 1 }), 2), e0)), c0)));
  g.output('out', g.conv(d0, INTERP_OUT, { name: 'out', gain: 0 }));
  return g.build();
}

/** Patch discriminator on [frame, f0, f1] (9 channels): conditional, LSGAN. */
export const discSpec = (): GraphSpec => patchDiscriminator({ inChannels: 9, channels: [16, 32, 64] }, 'interp_d');

// ---- refinement (few-step diffusion on the residual, conditioned on the GAN frame) ----
export const REFINER_T = 2;
export const RES_SCALE = 8;
export const T_EMBED_SCALE = 1000 / REFINER_T;
export const REFINER_CONFIG: UNetConfig = { inChannels: 3, outChannels: 3, channels: [8, 16], blocksPerLevel: 1, embDim: 16, condChannels: 3 };
/** core-models' UNet with its output layer initialised to zero: an untrained refiner is a no-op. */
export function refinerSpec(): GraphSpec {
  const spec = unet(REFINER_CONFIG, 'interp_refiner');
  for (const p of spec.params) if (p.name === 'out.w') p.gain = 0;
  return spec;
}
export const refinerSchedule = () => vpSdeSchedule(REFINER_T);

/** Network input and the two warped frames for one pair; all HWC float. */
export interface Prepared {
  width: number;
  height: number;
  x: Float32Array;
  w0: Float32Array;
  w1: Float32Array;
}

/**
 * Motion-compensates f0, f1 (RGB floats in [0, 1], width×height) onto their midpoint and
 * builds the 12-channel input. Sizes are used as given (pad beforehand if needed).
 */
export function prepareMidpoint(f0: Float32Array, f1: Float32Array, width: number, height: number): Prepared {
  const { fx, fy } = midpointMotion(f0, f1, width, height);
  const w0 = warpCubic(f0, width, height, 3, fx, fy, -1),
    w1 = warpCubic(f1, width, height, 3, fx, fy, 1);
  const n = width * height,
    x = new Float32Array(n * INTERP_IN);
  for (let p = 0; p < n; p++) {
    const o = p * INTERP_IN,
      s = p * 3;
    for (let c = 0; c < 3; c++) {
      x[o + c] = w0[s + c] - 0.5;
      x[o + 3 + c] = w1[s + c] - 0.5;
      x[o + 6 + c] = f0[s + c] - 0.5;
      x[o + 9 + c] = f1[s + c] - 0.5;
    }
  }
  return { width, height, x, w0, w1 };
}

/** g = σ(m)·w0 + (1 − σ(m))·w1 + r on host arrays. */
export function composeHost(out: Float32Array, w0: Float32Array, w1: Float32Array): Float32Array {
  const n = w0.length / 3,
    g = new Float32Array(n * 3);
  for (let p = 0; p < n; p++) {
    const o = p * INTERP_OUT,
      a = 1 / (1 + Math.exp(-out[o]));
    for (let c = 0; c < 3; c++) g[p * 3 + c] = a * w0[p * 3 + c] + (1 - a) * w1[p * 3 + c] + out[o + 1 + c];
  }
  return g;
}

/** Edge-replicating pad of HWC data to (W, H) ≥ (w, h). */
export function padEdge(src: Float32Array, w: number, h: number, C: number, W: number, H: number): Float32Array {
  if (W === w && H === h) return src;
  const out = new Float32Array(W * H * C);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(y, h - 1);
    for (let x = 0; x < W; x++) {
      const sx = Math.min(x, w - 1),
        s = (sy * w + sx) * C,
        d = (y * W + x) * C;
      for (let c = 0; c < C; c++) out[d + c] = src[s + c];
    }
  }
  return out;
}

export function cropHwc(src: Float32Array, W: number, C: number, w: number, h: number): Float32Array {
  if (W === w) return src.length === w * h * C ? src : src.slice(0, w * h * C);
  const out = new Float32Array(w * h * C);
  for (let y = 0; y < h; y++) out.set(src.subarray(y * W * C, (y * W + w) * C), y * w * C);
  return out;
}

// ---- shipped weights ----
import * as nodePath from 'path';
/** `<package>/weights` (the same from src/interp and dist/interp). */
export const DEFAULT_VGEN_WEIGHTS_DIR = nodePath.resolve(__dirname, '..', '..', 'weights');
export const GENERATOR_NAME = 'interp_g';
export const REFINER_NAME = 'interp_refiner';
/** The weights folder: an explicit option, else $DIFFGAN_VGEN_WEIGHTS, else the package's weights/. */
export function vgenWeightsDir(dir?: string): string {
  return nodePath.resolve(dir ?? process.env.DIFFGAN_VGEN_WEIGHTS ?? DEFAULT_VGEN_WEIGHTS_DIR);
}
