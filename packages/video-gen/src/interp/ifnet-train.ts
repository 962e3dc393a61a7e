/**
 * The IFNet-like interpolator's recipe, `interp-ifnet` (#25): ifnetSpec trained end to end on
 * triplets from every training clip (ifnet-train-task.ts), AdamW with a warm-up and cosine
 * decay (RIFE's schedule shape), EMA 0.999 weights exported as interp_ifnet:
 *   diffgan train interp-ifnet [--config packages/video-gen/configs/interp_ifnet.json] [--key=value ...]
 *   npm run train-ifnet -w @diffgan/video-gen -- [--key=value ...]          (the same command)
 *   npm run train-ifnet -w @diffgan/video-gen -- export --run DIR [--out DIR]
 * `export` writes a run's checkpoint as weights without training (e.g. while the run goes on).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DiffganError, decodeTensors, defineCommand, findRepoRoot, loadWeights, requireDataRoot } from '@diffgan/core-models';
import {
  BaseConfig,
  Recipe,
  Trainer,
  builtModulePath,
  cosineLrSchedule,
  createModel,
  disposeModel,
  exportRecipeWeights,
  initBackend,
  registerRecipe,
  resolveConfig,
  tf,
} from '@diffgan/core-models/train';
import type { Model } from '@diffgan/core-models/train';
import { ifnetSpec, IFNET_ALIGN, IFNET_NAME, IFNET_NETS, IfnetNet } from './ifnet';
import { ORIGINAL_TRAIN_CLIPS } from './triplets';
import type { IfnetTaskConfig } from './ifnet-train-task';
import { runScript, trainOrExport } from './train-cli';

export interface IfnetTrainConfig extends BaseConfig {
  net: IfnetNet;
  init: string;
  patch: number;
  lr: number;
  weightDecay: number;
  warmup: number;
  scheduleSteps: number;
  pixel: string;
  lap: number;
  lapLevels: number;
  warp: number;
  shift: number;
  data: string;
  checkpointEvery: number;
  logEvery: number;
}

const TRAIN_DATA = `every training range of shared/data/video: the train_frames of ${ORIGINAL_TRAIN_CLIPS.join(', ')} (manifest.json) and every use "train" clip of more/manifest.json; never an eval range or an eval_only clip; decoded at a long side <= 640`;

export const IFNET_RECIPE = registerRecipe<IfnetTrainConfig>({
  name: 'interp-ifnet',
  summary: 'video-gen IFNet-like interpolator (interp_ifnet): coarse-to-fine flows + fusion mask, L1 + Laplacian L1 + warp L1 on triplets at any t',
  defaults: {
    steps: 30000,
    batch: 16,
    seed: 0,
    net: 'v1',
    init: '',
    patch: 128,
    lr: 5e-4,
    weightDecay: 1e-3,
    warmup: 500,
    scheduleSteps: 0,
    pixel: 'l1',
    lap: 1,
    lapLevels: 4,
    warp: 1,
    shift: 16,
    data: '',
    checkpointEvery: 500,
    logEvery: 50,
  },
  help: {
    steps: 'total training steps',
    batch: 'batch size (triplets)',
    seed: 'initialisation and data seed',
    net: `the net: ${Object.keys(IFNET_NETS).join(' or ')} (ifnet.ts: v2 = v1 + a block at scale 1 working at 1/2, bicubic final warp)`,
    init: "start from these weights (a run folder's checkpoint EMA, or a weights manifest; relative to the repo root), copied by name; blocks they lack start with a zero head (empty: random)",
    patch: `crop size, pixels (a multiple of ${IFNET_ALIGN}; at most 144, the smallest training clip's height)`,
    lr: 'peak AdamW learning rate (after the warm-up; cosine decay to a tenth)',
    weightDecay: "AdamW's decoupled weight decay (times the learning rate)",
    warmup: 'steps of linear learning-rate warm-up',
    scheduleSteps: 'steps the cosine decay spans (0: steps)',
    pixel: "the plain term on the frame: l1 (mean absolute error) or l2 (mean squared error, what PSNR measures: a fine-tune's loss)",
    lap: 'weight of the Laplacian-pyramid L1 next to the plain term (0: the plain term only)',
    lapLevels: 'bands of the Laplacian pyramid (patch must halve that many times)',
    warp: "weight of the L1 of each input frame warped alone by its flow against the target, at the blocks' scales (0: off)",
    shift: 'synthetic camera pan on half the triplets: up to this many pixels per axis from i0 to i1 (0: none)',
    data: 'data root holding video/ (empty: DIFFGAN_DATA or the shared data folder)',
    checkpointEvery: 'steps between checkpoints',
    logEvery: 'steps between log lines',
  },
  check: (c) =>
    !(c.net in IFNET_NETS)
      ? `net '${c.net}': ${Object.keys(IFNET_NETS).join(' or ')}`
      : c.pixel !== 'l1' && c.pixel !== 'l2'
        ? `pixel '${c.pixel}': l1 or l2`
        : c.patch < 2 * IFNET_ALIGN || c.patch % IFNET_ALIGN
          ? `patch ${c.patch}: a multiple of ${IFNET_ALIGN}, at least ${2 * IFNET_ALIGN}`
          : !Number.isInteger(c.lapLevels) || c.lapLevels < 1 || c.patch % 2 ** c.lapLevels
            ? `lapLevels ${c.lapLevels}: a whole number >= 1 that patch ${c.patch} halves evenly`
            : c.lap < 0 || c.warp < 0 || c.weightDecay < 0 || c.lr <= 0 || c.shift < 0
              ? 'lr > 0; lap, warp, shift and weightDecay >= 0'
              : !Number.isInteger(c.warmup) || c.warmup < 0
                ? `warmup ${c.warmup}: a whole number of steps >= 0`
                : undefined,
  groups: (c) => ({
    g: { model: ifnetModel(c), adam: { lr: c.lr, beta1: 0.9, beta2: 0.999, weightDecay: c.weightDecay }, ema: 0.999 },
  }),
  phases: () => ['g'],
  task: (c) => ({
    module: builtModulePath(__dirname, 'ifnet-train-task.js'),
    config: {
      videoDir: path.join(requireDataRoot(c.data || undefined, 'video'), 'video'),
      patch: c.patch,
      pixelLoss: c.pixel as 'l1' | 'l2',
      lapWeight: c.lap,
      lapLevels: c.lapLevels,
      warpWeight: c.warp,
      shift: c.shift,
      net: c.net,
    } satisfies IfnetTaskConfig,
  }),
  lrSchedule: (c) => cosineLrSchedule(c.warmup, 0.1),
  meta: (c) => ({ config: IFNET_NETS[c.net], batch: c.batch, patch: c.patch, data: TRAIN_DATA }),
  exports: { [IFNET_NAME]: { group: 'g', ema: true } },
  manifest: (c) => ({
    version: '0.1.0',
    config: {
      ...IFNET_NETS[c.net],
      align: IFNET_ALIGN,
      input: `i0, i1: RGB in [0, 1] (NHWC), H and W multiples of ${IFNET_ALIGN} (pad by edge replication, crop back); t: [n, 1], the time position in (0, 1) from i0 to i1`,
      output: 'y: the frame at t (RGB, clamp to [0, 1]); flow: F_t->0, F_t->1 (4 channels, pixels); mask: the weight of warped i0',
    },
    data: TRAIN_DATA,
    notes: `${c.init ? `net ${c.net} started from ${c.init}; ` : ''}batch ${c.batch} of ${c.patch}px triplets (spans 2..6 frames, t = k/span; crops, flips, time reversal, a synthetic pan of up to ${c.shift} px on half); ${c.pixel === 'l2' ? 'MSE' : 'L1'} + ${c.lap} x Laplacian L1 (${c.lapLevels} bands) + ${c.warp} x L1 of each frame warped alone (scales 1, 2, 4); AdamW lr ${c.lr} (warm-up ${c.warmup}, cosine to a tenth), weight decay ${c.weightDecay}; EMA 0.999 weights`,
    licence:
      'MIT (weights trained by the diffgan project on the train ranges of shared/data/video; see shared/data/video/README.md and more/manifest.json for the clip licences)',
  }),
} as Recipe<IfnetTrainConfig>);

/** The recipe's net, from `init` when given (warmStartIfnet); a run that resumes overwrites it with its checkpoint. */
function ifnetModel(c: IfnetTrainConfig): Model {
  const model = createModel(ifnetSpec(IFNET_NETS[c.net]), c.seed);
  if (c.init) warmStartIfnet(model, ifnetInitWeights(path.resolve(findRepoRoot() ?? '.', c.init)));
  return model;
}

type WeightMap = Map<string, { shape: number[]; data: Float32Array }>;

/** The weights `init` names: a run folder (its checkpoint's EMA weights, what its export writes) or a weights manifest. */
export function ifnetInitWeights(source: string): WeightMap {
  if (!fs.existsSync(source)) throw new DiffganError(`init: not found: ${source}`);
  if (!fs.statSync(source).isDirectory()) return loadWeights(source).weights;
  const file = path.join(source, 'checkpoint.dgw');
  if (!fs.existsSync(file)) throw new DiffganError(`init: no checkpoint.dgw in ${source}`);
  const out: WeightMap = new Map();
  for (const [k, v] of decodeTensors(fs.readFileSync(file), file).tensors) if (k.startsWith('g/ema/')) out.set(k.slice('g/ema/'.length), v);
  if (!out.size) throw new DiffganError(`init: ${file} holds no EMA weights of group g`);
  return out;
}

/**
 * Warm start (v1 -> v2): every weight of `from` into the parameter of the same name and shape
 * (each must exist in the model); parameters `from` lacks keep their fresh initialisation,
 * but a block that is new entirely gets a zero head, so it adds nothing to the flow and mask
 * at first: the net computes `from`'s flow and mask (its y differs only by the final warp).
 */
export function warmStartIfnet(model: Model, from: WeightMap): void {
  for (const [k, w] of from) {
    const p = model.params.get(k);
    if (!p) throw new DiffganError(`init: the weights hold ${k}, which ${model.spec.name} lacks`);
    if (p.shape.join() !== w.shape.join()) throw new DiffganError(`init: ${k} is [${w.shape}], ${model.spec.name} has [${p.shape}]`);
    p.assign(tf.tensor(w.data, w.shape));
  }
  const block = (k: string) => k.split('.')[0];
  const known = new Set([...from.keys()].map(block));
  for (const [k, p] of model.params) if (!known.has(block(k)) && k.startsWith(`${block(k)}.head.`)) p.assign(tf.zerosLike(p));
}

interface CheckpointMeta {
  step?: number;
  savedAt?: string;
  meta?: { recipeConfig?: Record<string, unknown>; command?: string; commit?: string };
}

/**
 * Writes `<run>/checkpoint.dgw`'s EMA weights as interp_ifnet into `out` with the run's own
 * config, command and commit (read from the checkpoint) in the manifest; returns the step.
 * Reads the checkpoint only, so it may run beside the training that writes it.
 */
export async function exportIfnetRun(run: string, out: string): Promise<number> {
  const file = path.join(run, 'checkpoint.dgw');
  if (!fs.existsSync(file)) throw new DiffganError(`checkpoint not found: ${file}`);
  const m = decodeTensors(fs.readFileSync(file), file).meta as CheckpointMeta;
  const c = resolveConfig(IFNET_RECIPE, [{ source: file, values: m.meta?.recipeConfig ?? {} }]);
  await initBackend();
  // the checkpoint overwrites the weights: no init to read
  const groups = IFNET_RECIPE.groups({ ...c, init: '' });
  const tr = new Trainer({ dir: run, steps: c.steps, seed: c.seed, task: IFNET_RECIPE.name, groups });
  try {
    exportRecipeWeights(IFNET_RECIPE as unknown as Recipe, tr, c, out, {
      recipe: IFNET_RECIPE.name,
      config: c,
      commit: m.meta?.commit ?? 'unknown',
      command: m.meta?.command ?? '',
      steps: tr.step,
      wallClock: `checkpoint saved ${m.savedAt ?? '?'}`,
    });
    return tr.step;
  } finally {
    tr.dispose();
    disposeModel(groups.g.model);
  }
}

export const exportCommand = defineCommand({
  name: 'npm run train-ifnet -w @diffgan/video-gen -- export',
  summary: "Writes a run's EMA weights as interp_ifnet with its manifest (the run's config, command and commit).",
  options: {
    run: { type: 'string', placeholder: 'DIR', default: 'runs/interp-ifnet', help: 'the run folder holding checkpoint.dgw' },
    out: { type: 'string', placeholder: 'DIR', help: 'weights folder (default: the run folder)' },
  },
});

export async function main(argv: string[]): Promise<void> {
  await trainOrExport(argv, {
    recipe: 'interp-ifnet',
    program: 'npm run train-ifnet -w @diffgan/video-gen --',
    exportCommand,
    exportRun: async (a) => {
      const run = path.resolve(a.run),
        out = path.resolve(a.out ?? run);
      const step = await exportIfnetRun(run, out);
      process.stderr.write(`exported ${run}/checkpoint.dgw (step ${step}) to ${out}/${IFNET_NAME}.*\n`);
    },
  });
}

if (require.main === module) runScript('train-ifnet', main);
