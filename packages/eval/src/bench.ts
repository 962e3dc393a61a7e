/**
 * Benchmarks of @diffgan/eval, run from dist: `npm run bench -w @diffgan/eval -- <name> [options]`.
 *   train-classifier   trains the MNIST feature classifier (weights/ + manifest)
 * (the seed table's bench is @diffgan/seed-table's).
 * Each declares its options (core-models defineCommand); `<name> --help` prints them.
 */
import { DiffganError, defineCommand, commandsHelp, TRAIN_RUNTIME_OPTIONS } from '@diffgan/core-models';
import { classifierName } from './classifier';
import { trainClassifier } from './classifier-train';
import { DATASETS, DATASET_TITLE } from './mnist';

export const trainClassifierCommand = defineCommand({
  name: 'npm run bench -w @diffgan/eval -- train-classifier',
  summary: 'Trains the feature classifier used by FID/KID/PR (data parallel; runtime auto: onnxruntime when it loads, else tfjs).',
  options: {
    dataset: { type: 'enum', choices: DATASETS, default: 'mnist', placeholder: 'NAME', help: 'mnist or fashion-mnist' },
    steps: { type: 'integer', min: 1, default: 3000, help: 'training steps' },
    batch: { type: 'integer', min: 1, default: 64, help: 'batch size' },
    lr: { type: 'number', default: 2e-3, help: 'Adam learning rate' },
    run: { type: 'string', placeholder: 'DIR', help: 'checkpoints and log (default runs/<dataset>-classifier)' },
    out: { type: 'string', placeholder: 'DIR', help: "weights folder (default: this package's weights/)" },
    ...TRAIN_RUNTIME_OPTIONS,
  },
});

const BENCHMARKS = { 'train-classifier': trainClassifierCommand };

export const HELP = commandsHelp('npm run bench -w @diffgan/eval --', 'the benchmarks of @diffgan/eval', Object.values(BENCHMARKS));

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return;
  }
  if (name === 'train-classifier') {
    const a = trainClassifierCommand.parse(rest);
    if (a.help) {
      process.stdout.write(trainClassifierCommand.help());
      return;
    }
    const { dataset } = a;
    const r = await trainClassifier({
      dataset,
      dir: a.run ?? `runs/${classifierName(dataset)}`,
      steps: a.steps,
      batch: a.batch,
      lr: a.lr,
      out: a.out,
      command: `npm run bench -w @diffgan/eval -- train-classifier ${rest.join(' ')}`.trim(),
      workers: a.workers,
      runtime: a.runtime,
      threads: a.threads,
      executionProvider: a.ep,
    });
    process.stdout.write(
      `${DATASET_TITLE[dataset]} classifier: test accuracy ${(r.accuracy * 100).toFixed(2)}% after ${r.steps} steps (${(r.seconds / 60).toFixed(1)} min this run)\n`,
    );
    return;
  }
  throw new DiffganError(`unknown benchmark '${name}' (${Object.keys(BENCHMARKS).join(', ')}; see --help)`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    if (e instanceof DiffganError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  });
}
