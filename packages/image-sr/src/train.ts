/**
 * Trains the x2/x4 generator: L1 on aligned patches (fidelity mode, --refine 0), data
 * parallel over --workers (default: one per core) on onnxruntime (or tfjs: --runtime).
 *   npm run train -w @diffgan/image-sr -- --scale 4 --steps 20000 --run checkpoints/x4
 *   [--runtime tfjs|onnxruntime|auto] [--threads N] [--ep NAME]
 * Resumes from <run>/checkpoint.dgw when it exists.
 */
import * as path from 'path';
import { initBackend, createModel, Trainer, cosineLrSchedule, DiffganError, paramCount, runParallel } from '@diffgan/core-models';
import { findDataRoot } from '@diffgan/eval';
import { srGeneratorSpec, SR_CONFIGS } from './models';
import { taskModulePath, createTask } from './train-task';
import { parseArgs, numberArg, trainRuntimeArgs, runtimeLabel } from '@diffgan/core-models';

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { boolean: ['verbose'] });
  const scale = numberArg(args, 'scale', 4, (n) => n === 2 || n === 4) as 2 | 4;
  const steps = numberArg(args, 'steps', 20000, (n) => n > 0);
  const batch = numberArg(args, 'batch', 16, (n) => n > 0);
  const patch = numberArg(args, 'patch', 32, (n) => n >= 8);
  const lr = numberArg(args, 'lr', 5e-4, (n) => n > 0);
  const seed = numberArg(args, 'seed', 0);
  const dataRoot = (args.data as string) ?? findDataRoot();
  if (!dataRoot) throw new DiffganError('no data: pass --data DIR (the folder holding sr/train) or set DIFFGAN_DATA');
  const run = path.resolve((args.run as string) ?? `runs/sr_x${scale}`);
  const backend = await initBackend({ verbose: !!args.verbose });

  const trainDirs = ['T91', 'BSD200'].map((d) => path.join(dataRoot, 'sr', 'train', d));
  const spec = srGeneratorSpec(scale);
  const model = createModel(spec, seed);
  const taskConfig = { scale, patch, trainDirs };
  const rt = trainRuntimeArgs(args, await createTask(taskConfig, 'worker'), 'train-task');
  process.stderr.write(`${spec.name}: ${paramCount(spec)} parameters; training on ${runtimeLabel(rt, backend.name)}; ${rt.workers} worker(s); batch ${batch} of ${patch}x${patch} LR\n`);
  const trainer = new Trainer({
    dir: run, steps, seed, task: `sr-x${scale}`,
    groups: { g: { model, adam: { lr, beta1: 0.9, beta2: 0.99 }, ema: 0.999 } },
    checkpointEvery: numberArg(args, 'checkpoint-every', 250),
    logEvery: numberArg(args, 'log-every', 25),
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
