/**
 * Trains the x2/x4 generator: L1 on aligned patches (fidelity mode, --refine 0).
 *   npm run train -w @diffgan/image-sr -- --scale 4 --steps 20000 --run runs/x4
 * Resumes from <run>/checkpoint.dgw when it exists.
 */
import * as path from 'path';
import { initBackend, createModel, apply, Trainer, cosineLrSchedule, tf, DiffganError, paramCount } from '@diffgan/core-models';
import { findDataRoot } from '@diffgan/eval';
import { loadTrainingPairs, PatchSampler } from './data';
import { srGeneratorSpec, SR_CONFIGS } from './models';
import { parseArgs, numberArg } from './args';

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
  const t0 = Date.now();
  const pairs = await loadTrainingPairs(trainDirs, scale);
  process.stderr.write(`loaded ${pairs.length} training images (x${scale} LR via MATLAB bicubic) in ${((Date.now() - t0) / 1000).toFixed(1)} s; backend ${backend.name}\n`);
  const sampler = new PatchSampler(pairs, scale, patch);

  const spec = srGeneratorSpec(scale);
  const model = createModel(spec, seed);
  process.stderr.write(`${spec.name}: ${paramCount(spec)} parameters\n`);
  const trainer = new Trainer({
    dir: run, steps, seed,
    groups: { g: { model, adam: { lr, beta1: 0.9, beta2: 0.99 }, ema: 0.999 } },
    checkpointEvery: numberArg(args, 'checkpoint-every', 250),
    logEvery: numberArg(args, 'log-every', 25),
    lrSchedule: cosineLrSchedule(500, 0.02),
    meta: { config: SR_CONFIGS[scale], batch, patch, lr, data: trainDirs.map((d) => path.relative(dataRoot, d)), command: `train ${argv.join(' ')}` },
  });
  if (trainer.resumed) process.stderr.write(`resumed from ${trainer.checkpointPath} at step ${trainer.step}\n`);
  let dataMs = 0, dataSteps = 0;
  await trainer.run((tr) => {
    const d0 = Date.now();
    const b = sampler.sample(batch, tr.rng);
    dataMs += Date.now() - d0; dataSteps++;
    const x = tf.tensor4d(b.lr, [batch, patch, patch, 3]);
    const y = tf.tensor4d(b.hr, [batch, patch * scale, patch * scale, 3]);
    const loss = tr.update('g', () => tf.losses.absoluteDifference(y, apply(model, { lr: x })) as tf.Scalar);
    tf.dispose([x, y]);
    return { l1: loss, data_ms: dataMs / dataSteps };
  });
  trainer.saveCheckpoint();
  process.stderr.write(`done: ${trainer.step} steps, checkpoint at ${trainer.checkpointPath}\n`);
}

if (require.main === module) main(process.argv.slice(2)).catch((e) => { process.stderr.write(`sr train: ${e instanceof DiffganError ? e.message : e.stack}\n`); process.exit(1); });
