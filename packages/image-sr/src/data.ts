/**
 * Training data: HR images from the training folders, their MATLAB-bicubic LR versions
 * (computed once, in memory), and random aligned patch pairs with the 8 dihedral
 * augmentations (flips and 90° rotations).
 */
import * as fs from 'fs';
import * as path from 'path';
import { readImage } from '@diffgan/image';
import { makeSrPair } from '@diffgan/eval';
import { Rng, DiffganError } from '@diffgan/core-models';

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

export async function loadTrainingPairs(trainDirs: string[], scale: number, exclude = DEFAULT_EXCLUDE): Promise<SrImagePair[]> {
  const pairs: SrImagePair[] = [];
  for (const dir of trainDirs) {
    if (!fs.existsSync(dir)) throw new DiffganError(`training folder not found: ${dir}`);
    if (/[\\/]eval([\\/]|$)/.test(dir)) throw new DiffganError(`refusing to train on an eval split: ${dir}`);
    for (const f of fs.readdirSync(dir).sort()) {
      if (!/\.(png|jpe?g|webp)$/i.test(f) || exclude.includes(f)) continue;
      const { hr, lr } = makeSrPair(await readImage(path.join(dir, f)), scale);
      pairs.push({ name: f, hr: hr.data, lr: lr.data, hrW: hr.width, hrH: hr.height, lrW: lr.width, lrH: lr.height });
    }
  }
  return pairs;
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
  private cumArea: number[] = [];
  private eligible: SrImagePair[];
  constructor(
    pairs: SrImagePair[],
    private scale: number,
    private patch: number,
  ) {
    this.eligible = pairs.filter((p) => p.lrW >= patch && p.lrH >= patch);
    let acc = 0;
    for (const p of this.eligible) {
      acc += p.lrW * p.lrH;
      this.cumArea.push(acc);
    }
    if (!this.cumArea.length) throw new DiffganError('no training image is large enough for the patch size');
  }

  private pick(rng: Rng): SrImagePair {
    const r = rng.uniform() * this.cumArea[this.cumArea.length - 1];
    let lo = 0,
      hi = this.cumArea.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumArea[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return this.eligible[lo];
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
