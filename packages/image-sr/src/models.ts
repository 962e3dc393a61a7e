/** The shipped architectures, one place. Changing one means retraining its weights. */
import { srNet, SrNetConfig } from '@diffgan/core-models';

export const SR_CONFIGS: Record<2 | 4, SrNetConfig> = {
  2: { scale: 2, channels: 48, blocks: 6 },
  4: { scale: 4, channels: 48, blocks: 6 },
};

export const srGeneratorSpec = (scale: 2 | 4) => srNet(SR_CONFIGS[scale], `sr_generator_x${scale}`);
