export { srGeneratorSpec, SR_CONFIGS } from './models';
export { loadTrainingPairs, PatchSampler, DEFAULT_EXCLUDE } from './data';
