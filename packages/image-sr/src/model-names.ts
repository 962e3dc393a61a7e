/** File names of the shipped weights (runtime-free: the browser entry uses them too). */
export const generatorName = (scale: 2 | 4): string => `sr_generator_x${scale}`;
/** A generator's refiner: sr_refiner_x{s} (fidelity) or sr_real_refiner_x{s} (trained on the real generator's outputs for degraded LR). */
export const refinerName = (scale: 2 | 4, model: SrModel = 'fidelity'): string => (model === 'real' ? `sr_real_refiner_x${scale}` : `sr_refiner_x${scale}`);

/** The generators: `fidelity` (trained on MATLAB-bicubic LR) and `real` (on Real-ESRGAN-degraded LR, for JPEG photos). */
export type SrModel = 'fidelity' | 'real';
export const SR_MODELS: readonly SrModel[] = ['fidelity', 'real'];
/** The weights name of a model's generator: sr_generator_x{s} (fidelity) or sr_real_x{s}. */
export const modelWeightsName = (model: SrModel, scale: 2 | 4): string => (model === 'real' ? `sr_real_x${scale}` : generatorName(scale));
