/**
 * The frame interpolator's recipe, `interp` (GAN generator + discriminator + diffusion
 * refiner on the training frames of ../shared/data/video, data parallel through core-models'
 * runParallel; the EMA weights of g and r are exported as interp_g and interp_refiner):
 *   diffgan train interp [--config packages/video-gen/configs/interp_g.json] [--key=value ...]
 *   npm run train-interp -w @diffgan/video-gen -- [--config ...] [--key=value ...]   (the same command)
 *   npm run train-interp -w @diffgan/video-gen -- export [--run DIR] [--out DIR] [--reset-refiner-output] [--refine-default-steps N]
 * Resumes from <run>/checkpoint.dgw when it exists; `export` re-exports a checkpoint.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DiffganError, requireDataRoot, decodeTensors, saveWeights, checkAgainstSpec, TensorMap, GraphSpec, defineCommand } from '@diffgan/core-models';
import { BaseConfig, Recipe, createModel, cosineLrSchedule, registerRecipe, builtModulePath, TrainingRecord } from '@diffgan/core-models/train';
import {
  interpNetSpec,
  discSpec,
  refinerSpec,
  INTERP_CONFIG,
  REFINER_CONFIG,
  REFINER_T,
  RES_SCALE,
  GENERATOR_NAME,
  REFINER_NAME,
  DEFAULT_VGEN_WEIGHTS_DIR,
} from './net';
import type { InterpTaskConfig } from './train-task';
import { TRAIN_CLIPS } from './data';
import { runScript, trainOrExport } from './train-cli';

interface CkptMeta {
  step?: number;
  savedAt?: string;
  meta?: Record<string, unknown> & { command?: string; data?: string; batch?: number; patch?: number };
}

/** Pulls the EMA weights of groups g and r from a checkpoint into `<out>/interp_g.*` and `<out>/interp_refiner.*`. */
export function exportInterpWeights(
  checkpoint: string,
  out: string,
  extra: { wallClock?: string; metrics?: Record<string, unknown>; resetRefinerOutput?: boolean; refineDefaultSteps?: number; record?: TrainingRecord } = {},
): void {
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
  const r = extra.record;
  const training = {
    data: String(info.data ?? ''),
    command: String(r?.command ?? info.command ?? ''),
    steps,
    wallClock: extra.wallClock ?? `checkpoint saved ${m.savedAt ?? '?'}`,
    notes: `batch ${info.batch} of ${info.patch}px 5-frame windows (stride 1-2, flips, time reversal); EMA 0.999 weights; exported from ${path.basename(path.dirname(checkpoint))}/checkpoint.dgw`,
    ...(r ? { recipe: r.recipe, config: { ...r.config }, commit: r.commit } : {}),
  };
  const licence =
    'MIT (weights trained by the diffgan project on the train ranges of shared/data/video; tears_of_steel frames are CC-BY 3.0 (c) Blender Foundation, see shared/data/video/README.md)';
  const g = interpNetSpec();
  saveWeights(out, GENERATOR_NAME, g, pick('g', g), {
    version: `0.1.0+step${steps}`,
    config: {
      ...INTERP_CONFIG,
      input: 'x: [w0, w1, f0, f1] - 0.5 (12 ch, NHWC; w0/w1 = f0/f1 motion-compensated onto the midpoint by symmetric block matching), H and W multiples of 4',
      output: 'out: 4 ch: blend logit m, RGB residual r; frame = sigmoid(m)*w0 + (1-sigmoid(m))*w1 + r, RGB in [0, 1]',
      lossWeights: { l1: 1, tc: info.tcWeight, adv: info.advWeight },
    },
    training: { ...training, notes: `L1 + temporal consistency + LSGAN (conditional patch discriminator); ${training.notes}` },
    metrics: extra.metrics ?? {},
    licence,
  });
  const rs = refinerSpec();
  const rw = pick('r', rs);
  if (extra.resetRefinerOutput) for (const k of ['out.w', 'out.b']) rw.get(k)!.data.fill(0);
  saveWeights(out, REFINER_NAME, rs, rw, {
    version: `0.1.0+step${steps}`,
    config: {
      ...REFINER_CONFIG,
      T: REFINER_T,
      resScale: RES_SCALE,
      schedule: 'vpSde',
      defaultSteps: extra.resetRefinerOutput ? 0 : (extra.refineDefaultSteps ?? 0) /* opt-in: refinement lowered PSNR on every bench clip */,
      input: 'x: noisy residual (y - g)*RES_SCALE, t: step*1000/T, cond: 2g - 1',
      output: 'out: predicted clean residual (x0 parameterisation)',
    },
    training: {
      ...training,
      notes: `x0-prediction L1 denoising of the generator's residual, generator frozen; ${training.notes}${extra.resetRefinerOutput ? '; output layer reset to zero at export (--reset-refiner-output): the refiner is a no-op until trained longer' : ''}`,
    },
    metrics: {},
    licence,
  });
}

export interface InterpConfig extends BaseConfig {
  patch: number;
  lr: number;
  tc: number;
  adv: number;
  data: string;
  checkpointEvery: number;
  logEvery: number;
}

const TRAIN_DATA = `video/{${TRAIN_CLIPS.map((c) => c.id).join(',')}} train_frames only (first 80 % of each clip; cockatoo at 640x360)`;

/** The interpolator (d, g, r): the options and defaults of the old train-interp command. */
export const INTERP_RECIPE = registerRecipe<InterpConfig>({
  name: 'interp',
  summary: 'video-gen frame interpolator (interp_g + interp_refiner): L1 + temporal consistency + LSGAN, refiner on the residual',
  defaults: { steps: 20000, batch: 8, seed: 0, patch: 80, lr: 5e-4, tc: 0.5, adv: 0.005, data: '', checkpointEvery: 200, logEvery: 10 },
  help: {
    steps: 'total training steps',
    batch: 'batch size (5-frame windows)',
    seed: 'initialisation and data seed',
    patch: 'window size, pixels (a multiple of 4, at least 32)',
    lr: 'Adam learning rate of g and r (d: half)',
    tc: 'temporal-consistency loss weight',
    adv: 'adversarial loss weight',
    data: 'data root holding video/ (empty: DIFFGAN_DATA or the shared data folder)',
    checkpointEvery: 'steps between checkpoints',
    logEvery: 'steps between log lines',
  },
  check: (c) =>
    c.patch < 32 || c.patch % 4 ? `patch ${c.patch}: a multiple of 4, at least 32` : c.tc < 0 || c.adv < 0 ? 'tc and adv are weights ≥ 0' : undefined,
  groups: (c) => ({
    d: { model: createModel(discSpec(), c.seed + 1), adam: { lr: c.lr * 0.5, beta1: 0.5, beta2: 0.99 } },
    g: { model: createModel(interpNetSpec(), c.seed), adam: { lr: c.lr, beta1: 0.9, beta2: 0.99 }, ema: 0.999 },
    r: { model: createModel(refinerSpec(), c.seed + 2), adam: { lr: c.lr, beta1: 0.9, beta2: 0.99 }, ema: 0.999 },
  }),
  phases: () => ['d', 'g', 'r'],
  task: (c) => ({
    module: builtModulePath(__dirname, 'train-task.js'),
    config: {
      videoDir: path.join(requireDataRoot(c.data || undefined, 'video'), 'video'),
      patch: c.patch,
      tcWeight: c.tc,
      advWeight: c.adv,
    } satisfies InterpTaskConfig,
  }),
  lrSchedule: () => cosineLrSchedule(200, 0.05),
  meta: (c) => ({
    config: INTERP_CONFIG,
    refiner: REFINER_CONFIG,
    batch: c.batch,
    patch: c.patch,
    lr: c.lr,
    tcWeight: c.tc,
    advWeight: c.adv,
    data: TRAIN_DATA,
  }),
  exports: { [GENERATOR_NAME]: { group: 'g', ema: true }, [REFINER_NAME]: { group: 'r', ema: true } },
  exportWeights: (tr, _c, out, record) => {
    exportInterpWeights(tr.checkpointPath, out, { record });
    return [GENERATOR_NAME, REFINER_NAME];
  },
} as Recipe<InterpConfig>);

export const exportCommand = defineCommand({
  name: 'npm run train-interp -w @diffgan/video-gen -- export',
  summary: "Writes a run's EMA weights (g, r) as interp_g and interp_refiner with their manifests.",
  options: {
    run: { type: 'string', placeholder: 'DIR', default: 'checkpoints/interp', help: 'the run folder holding checkpoint.dgw' },
    out: { type: 'string', placeholder: 'DIR', help: `weights folder (default ${path.relative(process.cwd(), DEFAULT_VGEN_WEIGHTS_DIR) || '.'})` },
    'reset-refiner-output': { type: 'boolean', help: "zero the refiner's output layer (a no-op refiner)" },
    'refine-default-steps': { type: 'integer', choices: [0, 1, 2], help: "the refiner manifest's defaultSteps (default 0: refinement is opt-in)" },
  },
});

export async function main(argv: string[]): Promise<void> {
  await trainOrExport(argv, {
    recipe: 'interp',
    program: 'npm run train-interp -w @diffgan/video-gen --',
    exportCommand,
    exportRun: (a) => {
      const run = path.resolve(a.run),
        out = path.resolve(a.out ?? DEFAULT_VGEN_WEIGHTS_DIR);
      exportInterpWeights(path.join(run, 'checkpoint.dgw'), out, {
        resetRefinerOutput: a['reset-refiner-output'],
        refineDefaultSteps: a['refine-default-steps'],
      });
      process.stderr.write(`exported ${run}/checkpoint.dgw to ${out}\n`);
    },
  });
}

if (require.main === module) runScript('train-interp', main);
