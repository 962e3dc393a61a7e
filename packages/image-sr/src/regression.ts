/**
 * Shipped-weights regression check: PSNR-Y of a generator on the bundled example
 * (HR → MATLAB bicubic LR → ours; for the real model the LR is JPEG-compressed at quality 40
 * first, the input it is for), against a floor stored in regression-floors.json under
 * `x{s}` (fidelity) or `real_x{s}`. export.ts re-measures and rewrites the floor
 * (measured − 0.1 dB) on every export.
 */
import * as fs from 'fs';
import * as path from 'path';
import { makeSrPair, psnrY, bicubicUpscale } from '@diffgan/eval';
import { writeFileAtomic } from '@diffgan/core-models';
import { readImageChecked, sharpJpeg } from './io';
import { upscale, Scale } from './upscale';
import type { SrModel } from './model-names';

export const EXAMPLE_IMAGE = path.resolve(__dirname, '..', 'examples', 'kodim23_crop128.png');
export const FLOORS_FILE = path.resolve(__dirname, '..', 'src', 'regression-floors.json');
export const FLOOR_MARGIN_DB = 0.1;
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
export type Floors = Partial<Record<FloorKey, FloorEntry>>;
export const floorKey = (scale: Scale, model: SrModel = 'fidelity'): FloorKey => (model === 'real' ? `real_x${scale}` : `x${scale}`);

/** PSNR-Y (Y rounded, `scale` px shaved) of ours and of bicubic on the example, as in the bench protocol. */
export async function measureExample(
  scale: Scale,
  opts: { weightsDir?: string; image?: string; model?: SrModel } = {},
): Promise<{ psnr: number; bicubic: number }> {
  const hrImg = await readImageChecked(opts.image ?? EXAMPLE_IMAGE);
  const { hr, lr: clean } = makeSrPair(hrImg, scale);
  let lr = clean;
  if (opts.model === 'real') lr = await sharpJpeg(clean, REAL_EXAMPLE_JPEG);
  const sr = await upscale(lr, { scale, weightsDir: opts.weightsDir, model: opts.model });
  return { psnr: psnrY(sr, hr, scale), bicubic: psnrY(bicubicUpscale(lr, scale), hr, scale) };
}

export function readFloors(): Floors {
  return fs.existsSync(FLOORS_FILE) ? (JSON.parse(fs.readFileSync(FLOORS_FILE, 'utf8')) as Floors) : {};
}

export function writeFloor(key: FloorKey, entry: FloorEntry): void {
  const floors = readFloors();
  floors[key] = entry;
  writeFileAtomic(FLOORS_FILE, JSON.stringify(floors, null, 2) + '\n');
}
