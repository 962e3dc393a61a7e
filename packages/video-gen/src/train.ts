/**
 * `@diffgan/video-gen/train`: the interpolation network's training recipe (registered with
 * core-models' registry on import) and its tfjs loss: tfjs-typed, so apart from the package index.
 */
export { temporalConsistencyLossTf } from './interp/train-task';
export { INTERP_RECIPE, exportInterpWeights } from './interp/train';
export type { InterpConfig } from './interp/train';
