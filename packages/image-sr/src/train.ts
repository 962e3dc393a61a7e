/**
 * `@diffgan/image-sr/train`: image-sr's training recipes (registered with core-models' registry
 * on import; tfjs-typed, so apart from the package index), and as a script
 * `npm run train -w @diffgan/image-sr -- <recipe> [--config configs/<weights>.json] [--key=value ...]`:
 * `diffgan train` over them (sr-x2, sr-x4, sr-refiner-x2, sr-refiner-x4, ...; src/recipes.ts).
 */
import { DiffganError } from '@diffgan/core-models';
import { trainMain } from '@diffgan/core-models/train';

export { SR_RECIPES } from './recipes';
export type { SrConfig, RefinerConfig } from './recipes';

if (require.main === module) {
  trainMain(process.argv.slice(2), { program: 'npm run train -w @diffgan/image-sr --' }).catch((e) => {
    process.stderr.write(`sr train: ${e instanceof DiffganError ? e.message : e.stack}\n`);
    process.exit(1);
  });
}
