/**
 * The single tfjs entry point of the project.
 *
 * tfjs-core's CommonJS build registers neither the gradient functions nor the chained
 * tensor methods (x.add(y)); both exist only as ESM side-effect files. The
 * @tensorflow/tfjs node bundle carries them, compiled against the shared tfjs-core, so we
 * load it once here for those side effects and use tfjs-core's API everywhere.
 */
import '@tensorflow/tfjs';
// Types only (erased at runtime): the augmentations that declare x.add(y) and friends.
import type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
export * from '@tensorflow/tfjs-core';
