/**
 * Trains the TTS models through core-models' data-parallel trainer and exports them to
 * packages/tts/weights (EMA weights, manifest with data, command, steps, licence).
 *   node dist/train/train.js prosody
 *   node dist/train/train.js acoustic --steps 30000 --batch 16 --teacher 3000 --pretrain-steps 20000 --run runs/tts_acoustic
 *   node dist/train/train.js vocoder  --steps 6000 [--adv 1 --steps 10000] --run runs/tts_vocoder
 *   node dist/train/train.js denoiser --steps 20000 --batch 8 --run runs/tts_denoiser
 * Each resumes from <run>/checkpoint.dgw; --export-only re-exports a run's weights.
 * Runtime: --runtime tfjs|onnxruntime|auto (default auto, or $DIFFGAN_TRAIN_RUNTIME: onnxruntime
 * when onnxruntime-node loads), --threads N (onnxruntime intra-op threads per worker, default 1),
 * --ep NAME (onnxruntime execution provider, default cpu), --workers N (default: per runtime).
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend, createModel, Trainer, cosineLrSchedule, DiffganError, paramCount, runParallel, parseArgs, stringArg, trainRuntimeArgs, runtimeLabel, saveWeights, writeFileAtomic } from '@diffgan/core-models';
import type { GraphSpec, ParsedArgs } from '@diffgan/core-models';
import { acousticSpec, vocoderSpec, denoiserSpec, ACOUSTIC_CONFIG, VOCODER_CONFIG, DENOISER_CONFIG, frameDiscriminatorSpec, MEL_MEAN, MEL_STD, MAG_MEAN, MAG_STD, RESIDUAL_SCALE, DIFFUSION_T } from '../synth/nets';
import { taskModulePath, createTask } from './task';
import type { TaskConfig } from './task';
import { fitProsody } from './prosody';

export const WEIGHTS_DIR = path.resolve(__dirname, '..', '..', 'weights');
export const LICENCE = 'Trained on BZNSYP/CSMSC (DataBaker): NON-COMMERCIAL RESEARCH USE ONLY. Acoustic-model pre-training used MBROLA cn1 renders (non-commercial diphone database). Not covered by the project MIT licence.';

const VALUE_OPTIONS = ['adv', 'adv-weight', 'batch', 'checkpoint-every', 'log-every', 'lr', 'mel-weight', 'out', 'pretrain-steps', 'prosody', 'real-share', 'run', 'seed', 'segment',
  'steps', 'teacher', 'teacher-cache', 'vocoder', 'warmup', 'workers', 'runtime', 'threads', 'ep'];

/** The command's options; an unknown or mistyped one is an error (it used to be ignored). */
export function parseTrainArgs(argv: string[]): ParsedArgs {
  return parseArgs(argv, { boolean: ['verbose', 'export-only'], known: VALUE_OPTIONS, hint: 'see the usage at the top of packages/tts/src/train/train.ts' });
}

function arg(args: ParsedArgs, name: string, def: number): number;
function arg(args: ParsedArgs, name: string, def: string): string;
function arg(args: ParsedArgs, name: string, def: number | string): number | string {
  const v = stringArg(args, name);
  if (v === undefined) return def;
  if (typeof def === 'number') { const n = Number(v); if (!Number.isFinite(n)) throw new DiffganError(`--${name} needs a number, got "${v}"`); return n; }
  return v;
}

interface Setup { spec: GraphSpec; group: string; extra?: Record<string, GraphSpec>; config: TaskConfig; batch: number; lr: number; data: string; netConfig: Record<string, unknown> }

function setup(kind: string, args: ParsedArgs): Setup {
  if (kind === 'acoustic') {
    const config: TaskConfig = { kind, segment: arg(args, 'segment', 64), prosody: arg(args, 'prosody', path.join(WEIGHTS_DIR, 'prosody.json')), teacherCount: arg(args, 'teacher', 3000),
      teacherCache: arg(args, 'teacher-cache', '/tmp/diffgan-tts-cache/teacher-v2'), pretrainSteps: arg(args, 'pretrain-steps', 20000), realShare: arg(args, 'real-share', 0.8) };
    return { spec: acousticSpec(), group: 'a', config, batch: arg(args, 'batch', 16), lr: arg(args, 'lr', 1e-3),
      data: `MBROLA cn1 renders of ${config.teacherCount} BZNSYP label sentences (corpus durations, template F0), then the real BZNSYP train recordings (groups A+B, real durations and F0)`,
      netConfig: { ...ACOUSTIC_CONFIG, melMean: MEL_MEAN, melStd: MEL_STD } };
  }
  if (kind === 'vocoder') {
    const adversarial = arg(args, 'adv', 0) > 0;
    const config: TaskConfig = { kind, segment: arg(args, 'segment', 64), adversarial, advWeight: arg(args, 'adv-weight', 0.1), melWeight: arg(args, 'mel-weight', 1) };
    return { spec: vocoderSpec(), group: 'g', extra: adversarial ? { disc: frameDiscriminatorSpec() } : undefined, config, batch: arg(args, 'batch', 16), lr: arg(args, 'lr', 1e-3),
      data: 'BZNSYP train recordings with full-band audio (groups A and C), F0 by YIN', netConfig: { ...VOCODER_CONFIG, melMean: MEL_MEAN, melStd: MEL_STD, magMean: MAG_MEAN, magStd: MAG_STD, adversarial, excitation: 'harmonic sum at F0 + 0.1 noise (voiced), noise (unvoiced); comb = ln|E| - 17-bin moving average, clamped [-4, 3]' } };
  }
  if (kind === 'denoiser') {
    const config: TaskConfig = { kind, segment: arg(args, 'segment', 32), vocoder: arg(args, 'vocoder', path.join(WEIGHTS_DIR, 'vocoder.manifest.json')) };
    return { spec: denoiserSpec(), group: 'den', config, batch: arg(args, 'batch', 8), lr: arg(args, 'lr', 5e-4),
      data: 'BZNSYP train recordings with full-band audio (groups A and C), paired with the log-magnitude the shipped vocoder predicts for them',
      netConfig: { ...DENOISER_CONFIG, magMean: MAG_MEAN, magStd: MAG_STD, residualScale: RESIDUAL_SCALE, diffusionT: DIFFUSION_T, schedule: 'cosine', param: 'x0' } };
  }
  throw new DiffganError(`unknown model "${kind}" (prosody | acoustic | vocoder | denoiser)`);
}

export async function main(argv: string[]): Promise<void> {
  const args = parseTrainArgs(argv);
  const kind = args._[0];
  if (args._.length > 1) throw new DiffganError(`unexpected argument ${args._[1]}`);
  const out = arg(args, 'out', WEIGHTS_DIR);
  if (kind === 'prosody') {
    const t0 = Date.now();
    const model = fitProsody((s) => process.stderr.write(s));
    fs.mkdirSync(out, { recursive: true });
    writeFileAtomic(path.join(out, 'prosody.json'), JSON.stringify({ ...model, licence: LICENCE, training: { data: 'BZNSYP syllable durations (9,789 sentences, eval ids excluded) and YIN F0 of the 100 train recordings of groups A+B', command: `train ${argv.join(' ')}`, wallClock: `${((Date.now() - t0) / 1000).toFixed(0)} s` } }) + '\n');
    process.stderr.write(`wrote ${path.join(out, 'prosody.json')}\n`);
    return;
  }
  const s = setup(kind, args);
  const steps = arg(args, 'steps', 20000), seed = arg(args, 'seed', 0);
  const run = path.resolve(arg(args, 'run', `runs/tts_${kind}`));
  const backend = await initBackend({ verbose: args.verbose === true });
  const rt = trainRuntimeArgs(args, await createTask(s.config, 'worker'), `tts ${kind}`);
  const { runtime, workers } = rt;
  const groups: Record<string, { model: ReturnType<typeof createModel>; adam: { lr: number; beta1: number; beta2: number }; ema?: number }> = {
    [s.group]: { model: createModel(s.spec, seed), adam: { lr: s.lr, beta1: 0.8, beta2: 0.99 }, ema: 0.999 },
  };
  for (const [g, spec] of Object.entries(s.extra ?? {})) groups[g] = { model: createModel(spec, seed + 1), adam: { lr: s.lr, beta1: 0.8, beta2: 0.99 } };
  process.stderr.write(`${s.spec.name}: ${paramCount(s.spec)} parameters; ${runtimeLabel(rt, backend.name)}; ${workers} worker(s); batch ${s.batch}\n`);
  const trainer = new Trainer({
    dir: run, steps, seed, groups, task: `tts-${s.spec.name}`,
    checkpointEvery: arg(args, 'checkpoint-every', 250), logEvery: arg(args, 'log-every', 10),
    lrSchedule: cosineLrSchedule(arg(args, 'warmup', 200), 0.05),
    meta: { config: s.config, batch: s.batch, command: `train ${argv.join(' ')}` },
  });
  if (trainer.resumed) process.stderr.write(`resumed from ${trainer.checkpointPath} at step ${trainer.step}${trainer.freshGroups.length ? ` (new: ${trainer.freshGroups.join(', ')})` : ''}\n`);
  const t0 = Date.now();
  if (!args['export-only'] === true) {
    await runParallel(trainer, { taskModule: taskModulePath, taskConfig: s.config, batchSize: s.batch, workers, runtime, threads: rt.threads, executionProvider: rt.executionProvider });
    trainer.saveCheckpoint();
  }
  const name = kind;
  saveWeights(out, name, s.spec, trainer.exportWeights(s.group), {
    version: '0.1.0',
    config: { ...s.netConfig, task: s.config },
    training: { data: s.data, command: `node dist/train/train.js ${argv.join(' ')}`, steps: trainer.step, wallClock: args['export-only'] === true ? 'see the run log' : `${((Date.now() - t0) / 1000).toFixed(0)} s for ${trainer.step} steps (this invocation)` },
    metrics: {},
    licence: LICENCE,
  });
  process.stderr.write(`done: ${trainer.step} steps; exported ${path.join(out, name + '.dgw')}\n`);
}

if (require.main === module) main(process.argv.slice(2)).catch((e) => { process.stderr.write(`tts train: ${e instanceof DiffganError ? e.message : e.stack}\n`); process.exit(1); });
