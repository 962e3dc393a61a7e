/**
 * `@diffgan/video-gen/train`: the interpolation networks' training recipes, interp and
 * interp-ifnet (registered with core-models' registry on import), and the tfjs temporal loss:
 * tfjs-typed, so apart from the package index.
 */
export { temporalConsistencyLossTf } from './interp/train-task';
export { INTERP_RECIPE, exportInterpWeights } from './interp/train';
export type { InterpConfig } from './interp/train';
export { IFNET_RECIPE, exportIfnetRun } from './interp/ifnet-train';
export type { IfnetTrainConfig } from './interp/ifnet-train';
