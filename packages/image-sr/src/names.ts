/** Names and default location of the shipped weights. */
import * as path from 'path';

/** `<package>/weights` (the same from src/ and dist/). */
export const DEFAULT_WEIGHTS_DIR = path.resolve(__dirname, '..', 'weights');

export { generatorName, refinerName, modelWeightsName, SR_MODELS } from './model-names';
export type { SrModel } from './model-names';
