/**
 * Trains the x2/x4 generator: L1 on aligned patches (fidelity mode, --refine 0), data
 * parallel over --workers (default: one per core) on onnxruntime (or tfjs: --runtime).
 *   npm run train -w @diffgan/image-sr -- --scale 4 --steps 20000 --run checkpoints/x4   (--help: the options)
 * Resumes from <run>/checkpoint.dgw when it exists.
 */
import * as path from 'path';
import { initBackend, createModel, Trainer, cosineLrSchedule, DiffganError, paramCount, runParallel } from '@diffgan/core-models';
import { requireDataRoot } from '@diffgan/core-models';
import { srGeneratorSpec, SR_CONFIGS } from './models';
import { taskModulePath, createTask } from './train-task';
import { defineCommand, resolveRuntimeOptions, runtimeLabel, TRAIN_RUNTIME_OPTIONS } from '@diffgan/core-models';

export const trainCommand = defineCommand({
  name: 'npm run train -w @diffgan/image-sr --',
  summary: 'Trains the x2/x4 generator (L1 on aligned T91 + BSD200 patches); resumes from <run>/checkpoint.dgw.',
  options: {
    scale: { type: 'integer', choices: [2, 4], default: 4, help: 'upscaling factor' },
    steps: { type: 'number', above: 0, default: 20000, help: 'total training steps' },
    batch: { type: 'number', above: 0, default: 16, help: 'batch size' },
    patch: { type: 'number', min: 8, default: 32, help: 'LR patch size, pixels' },
    lr: { type: 'number', above: 0, default: 5e-4, help: 'Adam learning rate' },
    seed: { type: 'number', default: 0, help: 'initialisation and data seed' },
    data: { type: 'string', placeholder: 'DIR', help: 'data root holding sr/train (default: DIFFGAN_DATA or the shared data folder)' },
    run: { type: 'string', placeholder: 'DIR', help: 'run folder (default runs/sr_x<scale>)' },
    'checkpoint-every': { type: 'number', default: 250, help: 'steps between checkpoints' },
    'log-every': { type: 'number', default: 25, help: 'steps between log lines' },
    verbose: { type: 'boolean', help: 'print the backend choice' },
    ...TRAIN_RUNTIME_OPTIONS,
  },
});

export async function main(argv: string[]): Promise<void> {
  const args = trainCommand.parse(argv);
  if (args.help) { process.stdout.write(trainCommand.help()); return; }
  const { steps, batch, patch, lr, seed } = args;
  const scale = args.scale as 2 | 4;
  const dataRoot = requireDataRoot(args.data, 'sr/train');
  const run = path.resolve(args.run ?? `runs/sr_x${scale}`);
  const backend = await initBackend({ verbose: args.verbose });

  const trainDirs = ['T91', 'BSD200'].map((d) => path.join(dataRoot, 'sr', 'train', d));
  const spec = srGeneratorSpec(scale);
  const model = createModel(spec, seed);
  const taskConfig = { scale, patch, trainDirs };
  const rt = resolveRuntimeOptions(args, await createTask(taskConfig, 'worker'), 'train-task');
  process.stderr.write(`${spec.name}: ${paramCount(spec)} parameters; training on ${runtimeLabel(rt, backend.name)}; ${rt.workers} worker(s); batch ${batch} of ${patch}x${patch} LR\n`);
  const trainer = new Trainer({
    dir: run, steps, seed, task: `sr-x${scale}`,
    groups: { g: { model, adam: { lr, beta1: 0.9, beta2: 0.99 }, ema: 0.999 } },
    checkpointEvery: args['checkpoint-every'],
    logEvery: args['log-every'],
    lrSchedule: cosineLrSchedule(500, 0.02),
    meta: { config: SR_CONFIGS[scale], batch, patch, lr, data: trainDirs.map((d) => path.relative(dataRoot, d)), command: `train ${argv.join(' ')}` },
  });
  if (trainer.resumed) process.stderr.write(`resumed from ${trainer.checkpointPath} at step ${trainer.step}\n`);
  await runParallel(trainer, { taskModule: taskModulePath, taskConfig, batchSize: batch, workers: rt.workers,
    runtime: rt.runtime, threads: rt.threads, executionProvider: rt.executionProvider });
  trainer.saveCheckpoint();
  process.stderr.write(`done: ${trainer.step} steps, checkpoint at ${trainer.checkpointPath}\n`);
}

if (require.main === module) main(process.argv.slice(2)).catch((e) => { process.stderr.write(`sr train: ${e instanceof DiffganError ? e.message : e.stack}\n`); process.exit(1); });
