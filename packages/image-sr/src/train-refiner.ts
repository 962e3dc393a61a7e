/**
 * Trains the refiner against the shipped generator (weights/sr_generator_x{scale}):
 *   npm run train-refiner -w @diffgan/image-sr -- --scale 4 --steps 3000 --run checkpoints/refiner_x4   (--help: the options)
 */
import * as path from 'path';
import { initBackend, createModel, Trainer, cosineLrSchedule, DiffganError, paramCount, runParallel } from '@diffgan/core-models';
import { requireDataRoot } from '@diffgan/core-models';
import { refinerSpec, refinerDiscriminatorSpec, REFINER_CONFIG } from './refiner';
import { refinerTaskModulePath, createTask, RefinerTaskConfig } from './train-refiner-task';

import { DEFAULT_WEIGHTS_DIR, generatorName } from './names';
import { defineCommand, resolveRuntimeOptions, runtimeLabel, TRAIN_RUNTIME_OPTIONS } from '@diffgan/core-models';

export const trainRefinerCommand = defineCommand({
  name: 'npm run train-refiner -w @diffgan/image-sr --',
  summary: 'Trains the diffusion refiner against the shipped generator; resumes from <run>/checkpoint.dgw.',
  options: {
    scale: { type: 'integer', choices: [2, 4], default: 4, help: 'upscaling factor' },
    steps: { type: 'number', above: 0, default: 3000, help: 'total training steps' },
    batch: { type: 'number', above: 0, default: 8, help: 'batch size' },
    patch: { type: 'number', min: 4, help: 'LR patch size, pixels (default 12 at x4, 24 at x2)' },
    lr: { type: 'number', above: 0, default: 2e-4, help: 'Adam learning rate (G and D)' },
    seed: { type: 'number', default: 0, help: 'initialisation and data seed' },
    l1: { type: 'number', default: 1, help: 'weight of the L1 term on the predicted residual' },
    r1: { type: 'number', default: 0.1, help: 'R1 penalty gamma' },
    data: { type: 'string', placeholder: 'DIR', help: 'data root holding sr/train (default: DIFFGAN_DATA or the shared data folder)' },
    run: { type: 'string', placeholder: 'DIR', help: 'run folder (default checkpoints/refiner_x<scale>)' },
    generator: { type: 'string', placeholder: 'FILE', help: 'the generator manifest (default: the shipped weights/sr_generator_x<scale>)' },
    'checkpoint-every': { type: 'number', default: 100, help: 'steps between checkpoints' },
    'log-every': { type: 'number', default: 10, help: 'steps between log lines' },
    verbose: { type: 'boolean', help: 'print the backend choice' },
    ...TRAIN_RUNTIME_OPTIONS,
  },
});

export async function main(argv: string[]): Promise<void> {
  const args = trainRefinerCommand.parse(argv);
  if (args.help) { process.stdout.write(trainRefinerCommand.help()); return; }
  const { steps, batch, lr, seed } = args;
  const scale = args.scale as 2 | 4;
  const patch = args.patch ?? (scale === 4 ? 12 : 24);
  const dataRoot = requireDataRoot(args.data, 'sr/train');
  const run = path.resolve(args.run ?? `checkpoints/refiner_x${scale}`);
  const backend = await initBackend({ verbose: args.verbose });
  const trainDirs = ['T91', 'BSD200'].map((d) => path.join(dataRoot, 'sr', 'train', d));
  const generatorManifest = path.resolve(args.generator ?? path.join(DEFAULT_WEIGHTS_DIR, `${generatorName(scale)}.manifest.json`));
  const g = createModel(refinerSpec(scale), seed);
  const d = createModel(refinerDiscriminatorSpec(scale), seed + 1);
  const taskConfig: RefinerTaskConfig = { scale, patch, trainDirs, generatorManifest, l1Weight: args.l1, r1Gamma: args.r1 };
  const rt = resolveRuntimeOptions(args, await createTask(taskConfig, 'worker'), 'train-refiner-task');
  process.stderr.write(`refiner x${scale}: G ${paramCount(g.spec)} / D ${paramCount(d.spec)} parameters; training on ${runtimeLabel(rt, backend.name)}; ${rt.workers} worker(s); batch ${batch} of ${patch * scale}px HR\n`);
  const trainer = new Trainer({
    dir: run, steps, seed, task: `sr-refiner-x${scale}`,
    groups: { g: { model: g, adam: { lr, beta1: 0.5, beta2: 0.9 }, ema: 0.999 }, d: { model: d, adam: { lr, beta1: 0.5, beta2: 0.9 } } },
    checkpointEvery: args['checkpoint-every'], logEvery: args['log-every'],
    lrSchedule: cosineLrSchedule(100, 0.1),
    meta: { config: REFINER_CONFIG, batch, patch, lr, generator: path.relative(process.cwd(), generatorManifest), command: `train-refiner ${argv.join(' ')}` },
  });
  if (trainer.resumed) process.stderr.write(`resumed at step ${trainer.step}\n`);
  await runParallel(trainer, { taskModule: refinerTaskModulePath, batchSize: batch, taskConfig, workers: rt.workers,
    runtime: rt.runtime, threads: rt.threads, executionProvider: rt.executionProvider });
  process.stderr.write(`done: ${trainer.step} steps in ${run}\n`);
}

if (require.main === module) main(process.argv.slice(2)).catch((e) => { process.stderr.write(`sr train-refiner: ${e instanceof DiffganError ? e.message : e.stack}\n`); process.exit(1); });
