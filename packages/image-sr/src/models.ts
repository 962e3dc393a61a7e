/** The shipped architectures, one place. Changing one means retraining its weights. */
import { srNet, SrNetConfig } from '@diffgan/core-models';
import { modelWeightsName, SrModel } from './model-names';

export const SR_CONFIGS: Record<2 | 4, SrNetConfig> = {
  2: { scale: 2, channels: 48, blocks: 6 },
  4: { scale: 4, channels: 48, blocks: 6 },
};

/** A generator's graph: `real` has the fidelity architecture under its own name. */
export const srGeneratorSpec = (scale: 2 | 4, model: SrModel = 'fidelity') => srNet(SR_CONFIGS[scale], modelWeightsName(model, scale));
