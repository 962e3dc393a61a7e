/**
 * Shipped-weights regression check: PSNR-Y of a generator on the bundled example
 * (HR → MATLAB bicubic LR → ours; for the real model the LR is JPEG-compressed at quality 40
 * first, the input it is for), against a floor stored in regression-floors.json under
 * `x{s}` (fidelity) or `real_x{s}`. A refiner's entry (`refiner_x{s}`, `real_refiner_x{s}`) holds
 * refine 2 on its generator's input (the clean LR; for the real one at JPEG 40): its PSNR floor and
 * its detail against the generator's (refine 0), measured with the generator it shipped with. export.ts re-measures and rewrites the floor
 * (measured − 0.1 dB) on every export into the shipped weights.
 */
import * as fs from 'fs';
import * as path from 'path';
import { makeSrPair, psnrY, bicubicUpscale, detailRatioY } from '@diffgan/eval';
import { writeFileAtomic } from '@diffgan/core-models';
import { readImageChecked, sharpJpeg } from './io';
import { upscale, Scale } from './upscale';
import type { SrModel } from './model-names';

export const EXAMPLE_IMAGE = path.resolve(__dirname, '..', 'examples', 'kodim23_crop128.png');
export const FLOORS_FILE = path.resolve(__dirname, '..', 'src', 'regression-floors.json');
export const FLOOR_MARGIN_DB = 0.1;
/** The stored floor of a measured PSNR: FLOOR_MARGIN_DB below it, rounded down to 0.01 dB. */
export const floorOf = (psnr: number): number => Math.floor((psnr - FLOOR_MARGIN_DB) * 100) / 100;
/** The JPEG quality of the real model's example input. */
export const REAL_EXAMPLE_JPEG = 40;

export interface FloorEntry {
  floor: number;
  measured: number;
  bicubic: number;
  image: string;
  step: number;
  sha256: string;
  measuredAt: string;
}
export type FloorKey = `x${Scale}` | `real_x${Scale}`;
/** A refiner's entry: refine REFINER_EXAMPLE_STEPS (seed 0) against the generator's own output (refine 0). */
export interface RefinerFloorEntry extends FloorEntry {
  refine: number;
  refine0: number;
  detail: number;
  detailRefine0: number;
  /** the generator it was measured with: a new generator needs a new measurement */
  generatorSha256: string;
}
export type RefinerFloorKey = `refiner_x${Scale}` | `real_refiner_x${Scale}`;
export type Floors = Partial<Record<FloorKey, FloorEntry>> & Partial<Record<RefinerFloorKey, RefinerFloorEntry>>;
export const refinerFloorKey = (scale: Scale, model: SrModel = 'fidelity'): RefinerFloorKey =>
  model === 'real' ? `real_refiner_x${scale}` : `refiner_x${scale}`;
/** The refine steps the regression check runs (the bench's "ours + refine" row). */
export const REFINER_EXAMPLE_STEPS = 2;
export const floorKey = (scale: Scale, model: SrModel = 'fidelity'): FloorKey => (model === 'real' ? `real_x${scale}` : `x${scale}`);

/** PSNR-Y (Y rounded, `scale` px shaved) of ours and of bicubic on the example, as in the bench protocol. */
export async function measureExample(
  scale: Scale,
  opts: { weightsDir?: string; image?: string; model?: SrModel } = {},
): Promise<{ psnr: number; bicubic: number }> {
  const { hr, lr } = await examplePair(scale, opts);
  const sr = await upscale(lr, { scale, weightsDir: opts.weightsDir, model: opts.model });
  return { psnr: psnrY(sr, hr, scale), bicubic: psnrY(bicubicUpscale(lr, scale), hr, scale) };
}

/** The example's HR and the input its model is for: the MATLAB-bicubic LR, for the real model at JPEG REAL_EXAMPLE_JPEG. */
async function examplePair(scale: Scale, opts: { image?: string; model?: SrModel }) {
  const hrImg = await readImageChecked(opts.image ?? EXAMPLE_IMAGE);
  const { hr, lr } = makeSrPair(hrImg, scale);
  return { hr, lr: opts.model === 'real' ? await sharpJpeg(lr, REAL_EXAMPLE_JPEG) : lr };
}

/** Refine REFINER_EXAMPLE_STEPS and refine 0 of `model` on the example's input (examplePair): PSNR-Y and detail vs HR (detailRatioY). */
export async function measureRefinerExample(
  scale: Scale,
  opts: { weightsDir?: string; image?: string; model?: SrModel } = {},
): Promise<{ psnr: number; refine0: number; bicubic: number; detail: number; detailRefine0: number }> {
  const { hr, lr } = await examplePair(scale, opts);
  const common = { scale, weightsDir: opts.weightsDir, model: opts.model };
  const refined = await upscale(lr, { ...common, refine: REFINER_EXAMPLE_STEPS, seed: 0 });
  const plain = await upscale(lr, common);
  return {
    psnr: psnrY(refined, hr, scale),
    refine0: psnrY(plain, hr, scale),
    bicubic: psnrY(bicubicUpscale(lr, scale), hr, scale),
    detail: detailRatioY(refined, hr, scale),
    detailRefine0: detailRatioY(plain, hr, scale),
  };
}

export function readFloors(): Floors {
  return fs.existsSync(FLOORS_FILE) ? (JSON.parse(fs.readFileSync(FLOORS_FILE, 'utf8')) as Floors) : {};
}

export function writeFloor<K extends FloorKey | RefinerFloorKey>(key: K, entry: NonNullable<Floors[K]>): void {
  const floors = readFloors();
  floors[key] = entry;
  writeFileAtomic(FLOORS_FILE, JSON.stringify(floors, null, 2) + '\n');
}
