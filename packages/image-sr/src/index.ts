export { srGeneratorSpec, SR_CONFIGS } from './models';
export { loadTrainingPairs, PatchSampler, DEFAULT_EXCLUDE } from './data';
export { upscale, upscaleFloat, runTiled, getGenerator, disposeRunners, setRefinerLoader, refinerAvailable } from './upscale';
export type { Scale, Refiner, RefinerLoader, UpscaleOptions, UpscaleInput, UpscaleResult, TiledOptions } from './upscale';
export { receptiveRadius, planAxis, rampWeight } from './tiling';
export type { AxisPlan, AxisTile } from './tiling';
export { readImageChecked, writePngAtomic, checkOutputPath, checkPixelLimit, DEFAULT_MAX_PIXELS } from './io';
export type { RawImage } from './io';
export { exportGenerator, updateManifestMetrics, generatorName, refinerName, DEFAULT_WEIGHTS_DIR } from './export';
