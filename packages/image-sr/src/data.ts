/**
 * Training data: HR images from the training folders, their MATLAB-bicubic LR versions
 * (computed once, in memory), and random aligned patch pairs with the 8 dihedral
 * augmentations (flips and 90° rotations). For the `real` models, DegradedPatchSampler
 * degrades HR crops on the fly instead (degrade.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { readImage } from '@diffgan/image';
import { makeSrPair } from '@diffgan/eval';
import { Rng, DiffganError } from '@diffgan/core-models';
import { degradeMixed, FloatRgb } from './degrade';

export interface SrImagePair {
  name: string;
  hr: Uint8Array;
  lr: Uint8Array;
  hrW: number;
  hrH: number;
  lrW: number;
  lrH: number;
}

/** BSD200 302003.jpg is the same photograph as Set5 woman.png (data README), so it is left out. */
export const DEFAULT_EXCLUDE = ['302003.jpg'];

/** The image files of the training folders, in order (never an eval split). */
function trainingFiles(trainDirs: string[], exclude: string[]): string[] {
  const files: string[] = [];
  for (const dir of trainDirs) {
    if (!fs.existsSync(dir)) throw new DiffganError(`training folder not found: ${dir}`);
    if (/[\\/]eval([\\/]|$)/.test(dir)) throw new DiffganError(`refusing to train on an eval split: ${dir}`);
    for (const f of fs.readdirSync(dir).sort()) if (/\.(png|jpe?g|webp)$/i.test(f) && !exclude.includes(f)) files.push(path.join(dir, f));
  }
  return files;
}

export async function loadTrainingPairs(trainDirs: string[], scale: number, exclude = DEFAULT_EXCLUDE): Promise<SrImagePair[]> {
  const pairs: SrImagePair[] = [];
  for (const file of trainingFiles(trainDirs, exclude)) {
    const { hr, lr } = makeSrPair(await readImage(file), scale);
    pairs.push({ name: path.basename(file), hr: hr.data, lr: lr.data, hrW: hr.width, hrH: hr.height, lrW: lr.width, lrH: lr.height });
  }
  return pairs;
}

/** An RGB training image as it is on disk (the real models' HR; no LR is precomputed). */
export interface SrImage {
  name: string;
  data: Uint8Array;
  width: number;
  height: number;
}

export async function loadTrainingImages(trainDirs: string[], exclude = DEFAULT_EXCLUDE): Promise<SrImage[]> {
  const out: SrImage[] = [];
  for (const file of trainingFiles(trainDirs, exclude)) {
    const img = await readImage(file);
    if (img.channels !== 3) throw new DiffganError(`${file}: ${img.channels} channels, training images are RGB`);
    out.push({ name: path.basename(file), data: img.data, width: img.width, height: img.height });
  }
  return out;
}

/** Draws an index with probability proportional to `areas` (one uniform). */
function areaPicker(areas: number[]): (rng: Rng) => number {
  const cum: number[] = [];
  let acc = 0;
  for (const a of areas) cum.push((acc += a));
  return (rng) => {
    const r = rng.uniform() * cum[cum.length - 1];
    let lo = 0,
      hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** Reads pixel (x, y) of a patch after dihedral transform `d` (0..7) of a size×size window. */
function dihedral(d: number, x: number, y: number, size: number): [number, number] {
  let u = x,
    v = y;
  if (d & 4) [u, v] = [v, u];
  if (d & 1) u = size - 1 - u;
  if (d & 2) v = size - 1 - v;
  return [u, v];
}

/**
 * A batch of aligned (LR patch, HR patch) as float NHWC arrays in [0, 1]. Images are
 * drawn with probability proportional to their area so every pixel is equally likely.
 */
export class PatchSampler {
  private eligible: SrImagePair[];
  private pickIndex: (rng: Rng) => number;
  constructor(
    pairs: SrImagePair[],
    private scale: number,
    private patch: number,
  ) {
    this.eligible = pairs.filter((p) => p.lrW >= patch && p.lrH >= patch);
    if (!this.eligible.length) throw new DiffganError('no training image is large enough for the patch size');
    this.pickIndex = areaPicker(this.eligible.map((p) => p.lrW * p.lrH));
  }

  private pick(rng: Rng): SrImagePair {
    return this.eligible[this.pickIndex(rng)];
  }

  sample(batch: number, rng: Rng): { lr: Float32Array; hr: Float32Array } {
    const P = this.patch,
      S = this.scale,
      HP = P * S;
    const lr = new Float32Array(batch * P * P * 3),
      hr = new Float32Array(batch * HP * HP * 3);
    for (let b = 0; b < batch; b++) {
      const p = this.pick(rng);
      const x0 = rng.int(p.lrW - P + 1),
        y0 = rng.int(p.lrH - P + 1),
        d = rng.int(8);
      for (let y = 0; y < P; y++)
        for (let x = 0; x < P; x++) {
          const [u, v] = dihedral(d, x, y, P);
          const src = ((y0 + v) * p.lrW + (x0 + u)) * 3,
            dst = ((b * P + y) * P + x) * 3;
          lr[dst] = p.lr[src] / 255;
          lr[dst + 1] = p.lr[src + 1] / 255;
          lr[dst + 2] = p.lr[src + 2] / 255;
        }
      for (let y = 0; y < HP; y++)
        for (let x = 0; x < HP; x++) {
          const [u, v] = dihedral(d, x, y, HP);
          const src = ((y0 * S + v) * p.hrW + (x0 * S + u)) * 3,
            dst = ((b * HP + y) * HP + x) * 3;
          hr[dst] = p.hr[src] / 255;
          hr[dst + 1] = p.hr[src + 1] / 255;
          hr[dst + 2] = p.hr[src + 2] / 255;
        }
    }
    return { lr, hr };
  }
}

/**
 * A batch of (degraded LR patch, HR patch) as float NHWC arrays in [0, 1]: an HR crop of
 * patch·scale pixels (area-weighted image, any position, one of the 8 dihedral transforms)
 * and its LR from `degrade` (default degradeMixed: weak, standard or Real-ESRGAN's severe
 * level), each sample's degradation drawn from its own fork of `rng` (a batch replays from the
 * step's seed).
 */
export class DegradedPatchSampler {
  private eligible: SrImage[];
  private pickIndex: (rng: Rng) => number;
  constructor(
    images: SrImage[],
    private scale: number,
    private patch: number,
    private degrade: (hr: FloatRgb, scale: number, rng: Rng) => FloatRgb = degradeMixed,
  ) {
    const HP = patch * scale;
    this.eligible = images.filter((p) => p.width >= HP && p.height >= HP);
    if (!this.eligible.length) throw new DiffganError(`no training image is at least ${HP}x${HP} (patch ${patch} at x${scale})`);
    this.pickIndex = areaPicker(this.eligible.map((p) => p.width * p.height));
  }

  sample(batch: number, rng: Rng): { lr: Float32Array; hr: Float32Array } {
    const P = this.patch,
      HP = P * this.scale;
    const lr = new Float32Array(batch * P * P * 3),
      hr = new Float32Array(batch * HP * HP * 3);
    for (let b = 0; b < batch; b++) {
      const p = this.eligible[this.pickIndex(rng)];
      const x0 = rng.int(p.width - HP + 1),
        y0 = rng.int(p.height - HP + 1),
        d = rng.int(8);
      const crop = hr.subarray(b * HP * HP * 3, (b + 1) * HP * HP * 3);
      for (let y = 0; y < HP; y++)
        for (let x = 0; x < HP; x++) {
          const [u, v] = dihedral(d, x, y, HP);
          const src = ((y0 + v) * p.width + (x0 + u)) * 3,
            dst = (y * HP + x) * 3;
          crop[dst] = p.data[src] / 255;
          crop[dst + 1] = p.data[src + 1] / 255;
          crop[dst + 2] = p.data[src + 2] / 255;
        }
      lr.set(this.degrade({ data: crop, width: HP, height: HP }, this.scale, rng.fork()).data, b * P * P * 3);
    }
    return { lr, hr };
  }
}
