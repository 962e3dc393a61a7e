/**
 * The seed table's bench, run from dist (`npm run build` first in the monorepo):
 *   npm run bench -w @diffgan/seed-table -- [options]                 trains, samples, scores, writes results/ and the README table
 *   npm run bench -w @diffgan/seed-table -- d-accuracy --model M ...  a trained discriminator's accuracy (diagnostics)
 * Both declare their options (core-models defineCommand); `--help` prints them.
 */
import { DiffganError } from '@diffgan/core-models';
import { dAccuracyMain } from './diagnose';
import { seedTableMain } from './run';

export async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'd-accuracy') return dAccuracyMain(argv.slice(1));
  return seedTableMain(argv);
}

// a usage or data error is one line; anything else is a bug, with its stack
if (require.main === module)
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof DiffganError ? e.message : (e as Error).stack}\n`);
    process.exit(1);
  });
