/**
 * `npm run train -w @diffgan/image-sr -- <recipe> [--config configs/<weights>.json] [--key=value ...]`:
 * `diffgan train` over image-sr's recipes (sr-x2, sr-x4, sr-refiner-x2, sr-refiner-x4; src/recipes.ts).
 */
import { DiffganError, trainMain } from '@diffgan/core-models';
import './recipes';

if (require.main === module) {
  trainMain(process.argv.slice(2), { program: 'npm run train -w @diffgan/image-sr --' }).catch((e) => {
    process.stderr.write(`sr train: ${e instanceof DiffganError ? e.message : e.stack}\n`);
    process.exit(1);
  });
}
