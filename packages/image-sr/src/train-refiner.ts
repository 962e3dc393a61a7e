/**
 * Trains the refiner against the shipped generator (weights/sr_generator_x{scale}):
 *   npm run train-refiner -w @diffgan/image-sr -- --scale 4 --steps 3000 --run checkpoints/refiner_x4
 *   [--runtime tfjs|onnxruntime|auto] [--threads N] [--ep NAME]   (default: onnxruntime when it loads)
 */
import * as path from 'path';
import { initBackend, createModel, Trainer, cosineLrSchedule, DiffganError, paramCount, runParallel } from '@diffgan/core-models';
import { findDataRoot } from '@diffgan/eval';
import { refinerSpec, refinerDiscriminatorSpec, REFINER_CONFIG } from './refiner';
import { refinerTaskModulePath, createTask, RefinerTaskConfig } from './train-refiner-task';

import { DEFAULT_WEIGHTS_DIR, generatorName } from './names';
import { parseArgs, numberArg, trainRuntimeArgs, runtimeLabel } from '@diffgan/core-models';

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { boolean: ['verbose'] });
  const scale = numberArg(args, 'scale', 4, (n) => n === 2 || n === 4) as 2 | 4;
  const steps = numberArg(args, 'steps', 3000, (n) => n > 0);
  const batch = numberArg(args, 'batch', 8, (n) => n > 0);
  const patch = numberArg(args, 'patch', scale === 4 ? 12 : 24, (n) => n >= 4);
  const lr = numberArg(args, 'lr', 2e-4, (n) => n > 0);
  const seed = numberArg(args, 'seed', 0);
  const dataRoot = (args.data as string) ?? findDataRoot();
  if (!dataRoot) throw new DiffganError('no data: pass --data DIR (the folder holding sr/train) or set DIFFGAN_DATA');
  const run = path.resolve((args.run as string) ?? `checkpoints/refiner_x${scale}`);
  const backend = await initBackend({ verbose: !!args.verbose });
  const trainDirs = ['T91', 'BSD200'].map((d) => path.join(dataRoot, 'sr', 'train', d));
  const generatorManifest = path.resolve((args.generator as string) ?? path.join(DEFAULT_WEIGHTS_DIR, `${generatorName(scale)}.manifest.json`));
  const g = createModel(refinerSpec(scale), seed);
  const d = createModel(refinerDiscriminatorSpec(scale), seed + 1);
  const taskConfig: RefinerTaskConfig = { scale, patch, trainDirs, generatorManifest, l1Weight: numberArg(args, 'l1', 1), r1Gamma: numberArg(args, 'r1', 0.1) };
  const rt = trainRuntimeArgs(args, await createTask(taskConfig, 'worker'), 'train-refiner-task');
  process.stderr.write(`refiner x${scale}: G ${paramCount(g.spec)} / D ${paramCount(d.spec)} parameters; training on ${runtimeLabel(rt, backend.name)}; ${rt.workers} worker(s); batch ${batch} of ${patch * scale}px HR\n`);
  const trainer = new Trainer({
    dir: run, steps, seed, task: `sr-refiner-x${scale}`,
    groups: { g: { model: g, adam: { lr, beta1: 0.5, beta2: 0.9 }, ema: 0.999 }, d: { model: d, adam: { lr, beta1: 0.5, beta2: 0.9 } } },
    checkpointEvery: numberArg(args, 'checkpoint-every', 100), logEvery: numberArg(args, 'log-every', 10),
    lrSchedule: cosineLrSchedule(100, 0.1),
    meta: { config: REFINER_CONFIG, batch, patch, lr, generator: path.relative(process.cwd(), generatorManifest), command: `train-refiner ${argv.join(' ')}` },
  });
  if (trainer.resumed) process.stderr.write(`resumed at step ${trainer.step}\n`);
  await runParallel(trainer, { taskModule: refinerTaskModulePath, batchSize: batch, taskConfig, workers: rt.workers,
    runtime: rt.runtime, threads: rt.threads, executionProvider: rt.executionProvider });
  process.stderr.write(`done: ${trainer.step} steps in ${run}\n`);
}

if (require.main === module) main(process.argv.slice(2)).catch((e) => { process.stderr.write(`sr train-refiner: ${e instanceof DiffganError ? e.message : e.stack}\n`); process.exit(1); });
