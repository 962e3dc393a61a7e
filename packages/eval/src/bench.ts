/**
 * Benchmarks of @diffgan/eval, run from dist: `npm run bench -w @diffgan/eval -- <name> [options]`.
 *   train-classifier   trains the MNIST feature classifier (weights/ + manifest)
 *   seed-table         the GAN / DDPM / DiffGAN / pipeline comparison on MNIST
 *   d-accuracy         a seed-table discriminator's accuracy per condition (diagnostics)
 */
import { DiffganError } from '@diffgan/core-models';
import { numberArg, parseArgs, stringArg, runtimeFlags } from '@diffgan/core-models';
import { classifierName, trainClassifier } from './classifier';
import { DATASETS, DATASET_TITLE, Dataset } from './mnist';
import { seedTableMain } from './seed-table/run';
import { dAccuracyMain } from './seed-table/diagnose';

const HELP = `usage: npm run bench -w @diffgan/eval -- <benchmark> [options]

benchmarks:
  seed-table         GAN vs DDPM vs DiffGAN vs pipeline on MNIST (see seed-table --help)
  d-accuracy         a seed-table discriminator's accuracy, real vs generated (see d-accuracy --help)
  train-classifier   train the MNIST feature classifier used by FID/KID/PR
                     [--steps 3000] [--batch 64] [--run runs/mnist-classifier] [--out weights]
                     [--workers W] [--runtime tfjs|onnxruntime|auto] [--threads N] [--ep NAME]
                     (data parallel; runtime auto: onnxruntime when it loads, else tfjs)
`;

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') { process.stdout.write(HELP); return; }
  if (name === 'seed-table') return seedTableMain(rest);
  if (name === 'd-accuracy') return dAccuracyMain(rest);
  if (name === 'train-classifier') {
    const a = parseArgs(rest, { boolean: ['help'], known: ['dataset', 'steps', 'batch', 'run', 'out', 'lr', 'workers', 'runtime', 'threads', 'ep'] });
    if (a.help) { process.stdout.write(HELP); return; }
    const steps = numberArg(a, 'steps', 3000, (n) => n > 0 && Number.isInteger(n));
    const { runtime, threads, executionProvider } = runtimeFlags(a);
    const whole = (n: number) => Number.isInteger(n) && n >= 1;
    const dataset = stringArg(a, 'dataset', 'mnist') as Dataset;
    if (!DATASETS.includes(dataset)) throw new DiffganError(`--dataset: '${dataset}' is not one of ${DATASETS.join(', ')}`);
    const r = await trainClassifier({
      dataset, dir: stringArg(a, 'run', `runs/${classifierName(dataset)}`)!, steps, batch: numberArg(a, 'batch', 64, whole), lr: numberArg(a, 'lr', 2e-3),
      out: stringArg(a, 'out'), command: `npm run bench -w @diffgan/eval -- train-classifier ${rest.join(' ')}`.trim(),
      workers: a.workers !== undefined ? numberArg(a, 'workers', 1, whole) : undefined, runtime,
      threads, executionProvider,
    });
    process.stdout.write(`${DATASET_TITLE[dataset]} classifier: test accuracy ${(r.accuracy * 100).toFixed(2)}% after ${r.steps} steps (${(r.seconds / 60).toFixed(1)} min this run)\n`);
    return;
  }
  throw new DiffganError(`unknown benchmark '${name}' (try --help)`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    if (e instanceof DiffganError) { process.stderr.write(`error: ${e.message}\n`); process.exit(1); }
    throw e;
  });
}
