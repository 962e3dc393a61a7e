/** Names and default location of the shipped weights. */
import * as path from 'path';

/** `<package>/weights` (the same from src/ and dist/). */
export const DEFAULT_WEIGHTS_DIR = path.resolve(__dirname, '..', 'weights');

export const generatorName = (scale: 2 | 4): string => `sr_generator_x${scale}`;
export const refinerName = (scale: 2 | 4): string => `sr_refiner_x${scale}`;
