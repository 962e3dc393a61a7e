/**
 * Shipped-weights regression check: PSNR-Y of the generator on the bundled example
 * (HR → MATLAB bicubic LR → ours), against a floor stored in regression-floors.json.
 * export.ts re-measures and rewrites the floor (measured − 0.1 dB) on every export.
 */
import * as fs from 'fs';
import * as path from 'path';
import { makeSrPair, psnrY, bicubicUpscale } from '@diffgan/eval';
import { writeFileAtomic } from '@diffgan/core-models';
import { readImageChecked } from './io';
import { upscale, Scale } from './upscale';

export const EXAMPLE_IMAGE = path.resolve(__dirname, '..', 'examples', 'kodim23_crop128.png');
export const FLOORS_FILE = path.resolve(__dirname, '..', 'src', 'regression-floors.json');
export const FLOOR_MARGIN_DB = 0.1;

export interface FloorEntry {
  floor: number;
  measured: number;
  bicubic: number;
  image: string;
  step: number;
  sha256: string;
  measuredAt: string;
}
export type Floors = Partial<Record<`x${Scale}`, FloorEntry>>;

/** PSNR-Y (Y rounded, `scale` px shaved) of ours and of bicubic on the example, as in the bench protocol. */
export async function measureExample(scale: Scale, opts: { weightsDir?: string; image?: string } = {}): Promise<{ psnr: number; bicubic: number }> {
  const hrImg = await readImageChecked(opts.image ?? EXAMPLE_IMAGE);
  const { hr, lr } = makeSrPair(hrImg, scale);
  const sr = await upscale(lr, { scale, weightsDir: opts.weightsDir });
  return { psnr: psnrY(sr, hr, scale), bicubic: psnrY(bicubicUpscale(lr, scale), hr, scale) };
}

export function readFloors(): Floors {
  return fs.existsSync(FLOORS_FILE) ? (JSON.parse(fs.readFileSync(FLOORS_FILE, 'utf8')) as Floors) : {};
}

export function writeFloor(scale: Scale, entry: FloorEntry): void {
  const floors = readFloors();
  floors[`x${scale}`] = entry;
  writeFileAtomic(FLOORS_FILE, JSON.stringify(floors, null, 2) + '\n');
}
