/**
 * Trains the frame interpolator (GAN generator + discriminator + diffusion refiner) on
 * the training frames of ../shared/data/video, data parallel through core-models'
 * runParallel, and exports the EMA weights to weights/ (interp_g, interp_refiner).
 *   npm run train-interp -w @diffgan/video-gen -- --steps 20000 --run checkpoints/interp
 * Resumes from <run>/checkpoint.dgw when it exists. --export-only re-exports a checkpoint.
 * --runtime tfjs|onnxruntime|auto (default auto: onnxruntime when it loads, or DIFFGAN_TRAIN_RUNTIME),
 * --threads N (onnxruntime intra-op threads per worker, default 1), --ep NAME (execution provider, default cpu).
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend, createModel, Trainer, cosineLrSchedule, DiffganError, requireDataRoot, paramCount, runParallel, parseArgs, numberArg, stringArg, trainRuntimeArgs, runtimeLabel, decodeTensors, saveWeights, checkAgainstSpec, TensorMap, GraphSpec, countFlops } from '@diffgan/core-models';
import { interpNetSpec, discSpec, refinerSpec, INTERP_CONFIG, REFINER_CONFIG, REFINER_T, RES_SCALE, GENERATOR_NAME, REFINER_NAME, DEFAULT_VGEN_WEIGHTS_DIR } from './net';
import { interpTaskModulePath, interpObjective, InterpTaskConfig } from './train-task';
import { TRAIN_CLIPS } from './data';

interface CkptMeta { step?: number; savedAt?: string; meta?: Record<string, unknown> & { command?: string; data?: string; batch?: number; patch?: number } }

/** Pulls the EMA weights of groups g and r from a checkpoint into `<out>/interp_g.*` and `<out>/interp_refiner.*`. */
export function exportInterpWeights(checkpoint: string, out: string, extra: { wallClock?: string; metrics?: Record<string, unknown>; resetRefinerOutput?: boolean; refineDefaultSteps?: number } = {}): void {
  if (!fs.existsSync(checkpoint)) throw new DiffganError(`checkpoint not found: ${checkpoint}`);
  const { tensors, meta } = decodeTensors(fs.readFileSync(checkpoint), checkpoint);
  const m = meta as CkptMeta;
  const steps = m.step ?? 0;
  const pick = (group: string, spec: GraphSpec): TensorMap => {
    const ema: TensorMap = new Map();
    const prefix = `${group}/ema/`;
    for (const [k, v] of tensors) if (k.startsWith(prefix)) ema.set(k.slice(prefix.length), { shape: v.shape, data: Float32Array.from(v.data) });
    if (!ema.size) throw new DiffganError(`${checkpoint}: no EMA parameters for group ${group}`);
    checkAgainstSpec(spec, ema, checkpoint);
    for (const [k, t] of ema) if (!t.data.every(Number.isFinite)) throw new DiffganError(`${checkpoint}: ${group} parameter ${k} has non-finite values`);
    return new Map(spec.params.map((p) => [p.name, ema.get(p.name)!]));
  };
  const info = m.meta ?? {};
  const training = {
    data: String(info.data ?? ''),
    command: String(info.command ?? ''),
    steps,
    wallClock: extra.wallClock ?? `checkpoint saved ${m.savedAt ?? '?'}`,
    notes: `batch ${info.batch} of ${info.patch}px 5-frame windows (stride 1-2, flips, time reversal); EMA 0.999 weights; exported from ${path.basename(path.dirname(checkpoint))}/checkpoint.dgw`,
  };
  const licence = 'MIT (weights trained by the diffgan project on the train ranges of shared/data/video; tears_of_steel frames are CC-BY 3.0 (c) Blender Foundation, see shared/data/video/README.md)';
  const g = interpNetSpec();
  saveWeights(out, GENERATOR_NAME, g, pick('g', g), {
    version: `0.1.0+step${steps}`,
    config: { ...INTERP_CONFIG, input: 'x: [w0, w1, f0, f1] - 0.5 (12 ch, NHWC; w0/w1 = f0/f1 motion-compensated onto the midpoint by symmetric block matching), H and W multiples of 4', output: 'out: 4 ch: blend logit m, RGB residual r; frame = sigmoid(m)*w0 + (1-sigmoid(m))*w1 + r, RGB in [0, 1]', lossWeights: { l1: 1, tc: info.tcWeight, adv: info.advWeight } },
    training: { ...training, notes: `L1 + temporal consistency + LSGAN (conditional patch discriminator); ${training.notes}` }, metrics: extra.metrics ?? {}, licence,
  });
  const r = refinerSpec();
  const rw = pick('r', r);
  if (extra.resetRefinerOutput) for (const k of ['out.w', 'out.b']) rw.get(k)!.data.fill(0);
  saveWeights(out, REFINER_NAME, r, rw, {
    version: `0.1.0+step${steps}`,
    config: { ...REFINER_CONFIG, T: REFINER_T, resScale: RES_SCALE, schedule: 'vpSde', defaultSteps: extra.resetRefinerOutput ? 0 : extra.refineDefaultSteps ?? 0 /* opt-in: refinement lowered PSNR on every bench clip */, input: 'x: noisy residual (y - g)*RES_SCALE, t: step*1000/T, cond: 2g - 1', output: 'out: predicted clean residual (x0 parameterisation)' },
    training: { ...training, notes: `x0-prediction L1 denoising of the generator's residual, generator frozen; ${training.notes}${extra.resetRefinerOutput ? '; output layer reset to zero at export (--reset-refiner-output): the refiner is a no-op until trained longer' : ''}` }, metrics: {}, licence,
  });
}

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { boolean: ['verbose', 'export-only', 'no-export', 'reset-refiner-output'] });
  if (args._.length) throw new DiffganError(`unexpected argument ${args._[0]}`);
  const run = path.resolve(stringArg(args, 'run', 'checkpoints/interp')!);
  const out = path.resolve(stringArg(args, 'out', DEFAULT_VGEN_WEIGHTS_DIR)!);
  if (args['export-only']) { exportInterpWeights(path.join(run, 'checkpoint.dgw'), out, { resetRefinerOutput: !!args['reset-refiner-output'], refineDefaultSteps: args['refine-default-steps'] === undefined ? undefined : numberArg(args, 'refine-default-steps', 1, (n) => n === 0 || n === 1 || n === 2) }); process.stderr.write(`exported ${run}/checkpoint.dgw to ${out}\n`); return; }
  const steps = numberArg(args, 'steps', 20000, (n) => n > 0 && Number.isInteger(n));
  const batch = numberArg(args, 'batch', 8, (n) => n > 0 && Number.isInteger(n));
  const patch = numberArg(args, 'patch', 80, (n) => n >= 32 && n % 4 === 0);
  const lr = numberArg(args, 'lr', 5e-4, (n) => n > 0);
  const seed = numberArg(args, 'seed', 0);
  const tcWeight = numberArg(args, 'tc', 0.5, (n) => n >= 0);
  const advWeight = numberArg(args, 'adv', 0.005, (n) => n >= 0);
  const rt = trainRuntimeArgs(args, { objective: interpObjective({ tcWeight, advWeight }) }, 'train-interp');
  const videoDir = path.join(requireDataRoot(stringArg(args, 'data'), 'video'), 'video');
  const backend = await initBackend({ verbose: !!args.verbose });
  const g = createModel(interpNetSpec(), seed), d = createModel(discSpec(), seed + 1), r = createModel(refinerSpec(), seed + 2);
  const { runtime, threads, executionProvider, workers } = rt;
  process.stderr.write(`interp_g ${paramCount(g.spec)} params (${(countFlops(g.spec, [360, 640]) / 1e9).toFixed(2)} GFLOP at 640x360), interp_d ${paramCount(d.spec)}, interp_refiner ${paramCount(r.spec)} (${(countFlops(r.spec, [360, 640]) / 1e9).toFixed(2)} GFLOP/step); training on ${runtimeLabel(rt, backend.name)}; ${workers} worker(s); batch ${batch} of ${patch}x${patch}\n`);
  const trainer = new Trainer({
    dir: run, steps, seed, task: 'interp',
    groups: {
      d: { model: d, adam: { lr: lr * 0.5, beta1: 0.5, beta2: 0.99 } },
      g: { model: g, adam: { lr, beta1: 0.9, beta2: 0.99 }, ema: 0.999 },
      r: { model: r, adam: { lr, beta1: 0.9, beta2: 0.99 }, ema: 0.999 },
    },
    checkpointEvery: numberArg(args, 'checkpoint-every', 200),
    logEvery: numberArg(args, 'log-every', 10),
    lrSchedule: cosineLrSchedule(200, 0.05),
    meta: {
      config: INTERP_CONFIG, refiner: REFINER_CONFIG, batch, patch, lr, tcWeight, advWeight,
      data: `video/{${TRAIN_CLIPS.map((c) => c.id).join(',')}} train_frames only (first 80 % of each clip; cockatoo at 640x360)`,
      command: `npm run train-interp -w @diffgan/video-gen -- ${argv.join(' ')}`,
    },
  });
  if (trainer.resumed) process.stderr.write(`resumed from ${trainer.checkpointPath} at step ${trainer.step}\n`);
  const taskConfig: InterpTaskConfig = { videoDir, patch, tcWeight, advWeight };
  const t0 = Date.now(), s0 = trainer.step;
  await runParallel(trainer, { taskModule: interpTaskModulePath, taskConfig, batchSize: batch, workers, runtime, threads, executionProvider });
  trainer.saveCheckpoint();
  const sec = (Date.now() - t0) / 1000, done = trainer.step - s0;
  process.stderr.write(`done: ${trainer.step} steps (${done} this run, ${done ? (sec / done).toFixed(2) : '?'} s/step), checkpoint at ${trainer.checkpointPath}\n`);
  if (!args['no-export']) {
    exportInterpWeights(trainer.checkpointPath, out);
    process.stderr.write(`exported weights to ${out}\n`);
  }
}

if (require.main === module) main(process.argv.slice(2)).catch((e) => { process.stderr.write(`train-interp: ${e instanceof DiffganError ? e.message : e.stack}\n`); process.exit(1); });
