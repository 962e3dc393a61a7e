/**
 * image-sr's training recipes (core-models registry): sr-x2 / sr-x4 (the fidelity generator,
 * L1 on aligned MATLAB-bicubic patches), sr-real-x2 / sr-real-x4 (the same network, L1 on
 * Real-ESRGAN-degraded LR made on the fly), sr-real-gan-x2 / -x4 (its adversarial fine-tune)
 * and sr-refiner-x2 / sr-refiner-x4 (the DiffGAN refiner of the shipped generator's residual;
 * sr-real-refiner-x2 / -x4 the real generator's, on degraded LR).
 * `diffgan train <recipe> --config packages/image-sr/configs/<weights>.json` reproduces a
 * shipped weight; the config files say which run made it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { patchDiscriminator, requireDataRoot, writeFileAtomic } from '@diffgan/core-models';
import {
  BaseConfig,
  Recipe,
  Trainer,
  builtModulePath,
  cosineLrSchedule,
  createModel,
  registerRecipe,
  TrainingRecord,
  initModelFrom,
} from '@diffgan/core-models/train';
import { srGeneratorSpec, SR_CONFIGS } from './models';
import { refinerSpec, refinerDiscriminatorSpec, REFINER_CONFIG } from './refiner';
import { MAX_REFINER_TEMPERATURE } from './refine-sampler';
import { DEFAULT_WEIGHTS_DIR, refinerName, modelWeightsName, SrModel } from './names';
import { exportGenerator, exportRefiner, writeShippedFloor } from './export';
import type { SrDegradation, SrTaskConfig } from './train-task';
import type { RefinerTaskConfig } from './train-refiner-task';
import type { RealGanTaskConfig } from './train-real-gan-task';

/** Every training folder under sr/train (its README): the generators' default. */
const ALL_TRAIN_DIRS = 'T91,BSD200,BSDS500test,photos';
const dirList = (dirs: string): string[] =>
  dirs
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);

/** The training folders `dirs` (comma-separated names under sr/train) of a data root (DIFFGAN_DATA or the shared data folder when `data` is empty). */
const trainDirs = (data: string, dirs = 'T91,BSD200'): { root: string; dirs: string[] } => {
  const root = requireDataRoot(data || undefined, 'sr/train');
  return { root, dirs: dirList(dirs).map((d) => path.join(root, 'sr', 'train', d)) };
};

/** A generator's `init`: '' (random), 'fidelity' / 'real' (that shipped generator of the scale) or a weights manifest path. */
function initManifest(init: string, scale: 2 | 4): string | undefined {
  if (!init) return undefined;
  if (init === 'fidelity' || init === 'real') return path.join(DEFAULT_WEIGHTS_DIR, `${modelWeightsName(init, scale)}.manifest.json`);
  return path.resolve(init);
}

/** Writes the training record (recipe, resolved config, commit, command) into an exported manifest's training block. */
function recordTraining(manifestPath: string, record: TrainingRecord): void {
  const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  m.training = { ...m.training, command: record.command, recipe: record.recipe, config: { ...record.config }, commit: record.commit };
  writeFileAtomic(manifestPath, `${JSON.stringify(m, null, 2)}\n`);
}

/** The keys both image-sr trainings take besides steps, batch and seed. */
interface SrTrainingConfig extends BaseConfig {
  patch: number;
  lr: number;
  data: string;
  checkpointEvery: number;
  logEvery: number;
}

/** Their help lines (lr's differs: the refiner's also trains D). */
const TRAINING_HELP = {
  steps: 'total training steps',
  batch: 'batch size',
  seed: 'initialisation and data seed',
  patch: 'LR patch size, pixels',
  data: 'data root holding sr/train (empty: DIFFGAN_DATA or the shared data folder)',
  checkpointEvery: 'steps between checkpoints',
  logEvery: 'steps between log lines',
};

export interface SrConfig extends SrTrainingConfig {
  scheduleSteps: number;
  /** '' | 'fidelity' | 'real' | a weights manifest (initManifest) */
  init: string;
  /** training folders under sr/train, comma-separated */
  dirs: string;
  // the real recipes also take `degradation`: 'levels' (degradeMixed) or 'second-order' (Real-ESRGAN's model alone)
}

const DEGRADATION_HELP =
  "LR degradation: 'levels' (weak / standard first-order or Real-ESRGAN's second-order, p 0.3 / 0.3 / 0.4) or 'second-order' (Real-ESRGAN's alone)";
const checkDegradation = (c: BaseConfig): string | undefined =>
  c.degradation === 'levels' || c.degradation === 'second-order' ? undefined : `degradation must be 'levels' or 'second-order', not '${c.degradation}'`;
/** A real recipe's degradation (checked by checkDegradation). */
const realDegradation = (c: BaseConfig) => c.degradation as Exclude<SrDegradation, 'bicubic'>;

const GENERATOR_HELP = {
  ...TRAINING_HELP,
  lr: 'Adam learning rate',
  scheduleSteps: 'steps the cosine learning-rate decay spans (0: steps)',
  init: "generator weights to start from: a manifest path, 'fidelity' or 'real' (that shipped generator), empty: random",
  dirs: `training folders under sr/train, comma-separated (all: ${ALL_TRAIN_DIRS})`,
};

const checkGenerator = (c: SrConfig, minPatch: number): string | undefined =>
  c.patch < minPatch ? `patch ${c.patch} < ${minPatch}` : !dirList(c.dirs).length ? 'dirs is empty' : undefined;

/** The generator group (random or `init` weights) with Real-ESRGAN's Adam betas and EMA. */
const generatorGroup = (scale: 2 | 4, model: SrModel, c: SrConfig) => {
  const m = createModel(srGeneratorSpec(scale, model), c.seed);
  const init = initManifest(c.init, scale);
  return { model: init ? initModelFrom(m, init) : m, adam: { lr: c.lr, beta1: 0.9, beta2: 0.99 }, ema: 0.999 };
};

/** The generator's checkpoint meta (the export reads config, data, batch, patch, lr and loss back). */
function generatorMeta(scale: 2 | 4, c: SrConfig, loss: string): Record<string, unknown> {
  const { root, dirs } = trainDirs(c.data, c.dirs);
  const init = initManifest(c.init, scale);
  return {
    config: SR_CONFIGS[scale],
    batch: c.batch,
    patch: c.patch,
    lr: c.lr,
    loss,
    ...(c.degradation ? { degradation: c.degradation } : {}),
    data: dirs.map((d) => path.relative(root, d)),
    // the file behind 'fidelity' / 'real' changes when new weights ship: its sha256 says which one a run started from
    ...(init ? { init: path.relative(process.cwd(), init), initSha256: JSON.parse(fs.readFileSync(init, 'utf8')).weights?.sha256 } : {}),
  };
}

/** The L1 generator recipes: sr-x{s} (fidelity, bicubic LR) and sr-real-x{s} (degraded LR). */
function generatorRecipe(scale: 2 | 4, model: SrModel): Recipe<SrConfig> {
  const name = modelWeightsName(model, scale);
  const real = model === 'real';
  return {
    name: real ? `sr-real-x${scale}` : `sr-x${scale}`,
    summary: real
      ? `image-sr x${scale} real-photo generator (${name}): L1 on Real-ESRGAN-degraded LR made on the fly`
      : `image-sr x${scale} generator (${name}): L1 on aligned MATLAB-bicubic patches`,
    defaults: {
      steps: 20000,
      batch: 16,
      seed: 0,
      patch: 32,
      lr: real ? 2e-4 : 5e-4,
      scheduleSteps: 0,
      data: '',
      checkpointEvery: 250,
      logEvery: 25,
      // Real-ESRNet starts from its PSNR model: the real generator starts from the fidelity one
      init: real ? 'fidelity' : '',
      dirs: ALL_TRAIN_DIRS,
      ...(real ? { degradation: 'levels' } : {}),
    },
    help: real ? { ...GENERATOR_HELP, degradation: DEGRADATION_HELP } : GENERATOR_HELP,
    check: (c) => checkGenerator(c, 8) ?? (real ? checkDegradation(c) : undefined),
    groups: (c) => ({ g: generatorGroup(scale, model, c) }),
    phases: () => ['g'],
    task: (c) => ({
      module: builtModulePath(__dirname, 'train-task.js'),
      config: { scale, patch: c.patch, trainDirs: trainDirs(c.data, c.dirs).dirs, ...(real ? { degradation: realDegradation(c) } : {}) } satisfies SrTaskConfig,
    }),
    lrSchedule: () => cosineLrSchedule(500, 0.02),
    meta: (c) => generatorMeta(scale, c, 'L1'),
    ...generatorExport(scale, model, name),
  };
}

/** A generator recipe's export: the EMA generator as shipped weights, with the training record in its manifest. */
function generatorExport(scale: 2 | 4, model: SrModel, name: string): Pick<Recipe<SrConfig>, 'exports' | 'exportWeights'> {
  return {
    exports: { [name]: { group: 'g', ema: true } },
    exportWeights: async (tr: Trainer, _c, out, record) => {
      const m = exportGenerator({ scale, model, checkpoint: tr.checkpointPath, out });
      recordTraining(path.join(out, `${name}.manifest.json`), record);
      if (path.resolve(out) === DEFAULT_WEIGHTS_DIR) await writeShippedFloor(scale, model, m, false);
      return [name];
    },
  };
}

export interface RealGanConfig extends SrConfig {
  l1: number;
  adv: number;
  r1: number;
}

/** The real generator's adversarial fine-tune: L1 + adversarial loss against a patch discriminator with R1 (train-real-gan-task.ts). */
function realGanRecipe(scale: 2 | 4): Recipe<RealGanConfig> {
  const name = modelWeightsName('real', scale);
  return {
    name: `sr-real-gan-x${scale}`,
    summary: `image-sr x${scale} real-photo generator (${name}): adversarial fine-tune (L1 + GAN, patch D with R1) on degraded LR`,
    defaults: {
      steps: 5000,
      batch: 8,
      seed: 0,
      patch: scale === 4 ? 24 : 48,
      lr: 1e-4,
      scheduleSteps: 0,
      l1: 1,
      adv: 0.1,
      r1: 0.1,
      data: '',
      checkpointEvery: 100,
      logEvery: 10,
      init: 'real',
      dirs: ALL_TRAIN_DIRS,
      degradation: 'levels',
    },
    help: {
      ...GENERATOR_HELP,
      degradation: DEGRADATION_HELP,
      lr: 'Adam learning rate (G and D)',
      l1: 'weight of the L1 term',
      adv: 'weight of the adversarial term (Real-ESRGAN: 0.1)',
      r1: 'R1 penalty gamma (per patch)',
    },
    check: (c) => checkGenerator(c, 8) ?? checkDegradation(c),
    groups: (c) => ({
      g: generatorGroup(scale, 'real', c),
      d: {
        model: createModel(patchDiscriminator({ inChannels: 3, channels: [32, 64, 64] }, `sr_real_disc_x${scale}`), c.seed + 1),
        adam: { lr: c.lr, beta1: 0.9, beta2: 0.99 },
      },
    }),
    phases: () => ['d', 'g'],
    task: (c) => ({
      module: builtModulePath(__dirname, 'train-real-gan-task.js'),
      config: {
        scale,
        patch: c.patch,
        trainDirs: trainDirs(c.data, c.dirs).dirs,
        degradation: realDegradation(c),
        l1Weight: c.l1,
        advWeight: c.adv,
        r1Gamma: c.r1,
      } satisfies RealGanTaskConfig,
    }),
    lrSchedule: () => cosineLrSchedule(100, 0.1),
    meta: (c) => generatorMeta(scale, c, `L1 (${c.l1}) + non-saturating GAN (${c.adv}, patch D, R1 ${c.r1})`),
    ...generatorExport(scale, 'real', name),
  };
}

export interface RefinerConfig extends SrTrainingConfig {
  l1: number;
  r1: number;
  generator: string;
  /** not a training value: the sampling temperature the exported manifest records (chosen after training) */
  temperature: number;
  // the real model's refiner also takes `dirs` and `degradation`, as the real generator's recipe
}

/**
 * The DiffGAN refiner of a shipped generator's residual: sr-refiner-x{s} (the fidelity generator, clean
 * MATLAB-bicubic LR) and sr-real-refiner-x{s} (the real generator, on LR degraded as it was trained on).
 */
function refinerRecipe(scale: 2 | 4, model: SrModel): Recipe<RefinerConfig> {
  const name = refinerName(scale, model);
  const real = model === 'real';
  return {
    name: real ? `sr-real-refiner-x${scale}` : `sr-refiner-x${scale}`,
    summary: real
      ? `image-sr x${scale} diffusion refiner of the real-photo generator (${name}): DiffGAN on its residual for degraded LR`
      : `image-sr x${scale} diffusion refiner (${name}): DiffGAN on the shipped generator's residual`,
    defaults: {
      steps: 3000,
      batch: 8,
      seed: 0,
      patch: scale === 4 ? 12 : 24,
      lr: 2e-4,
      l1: 1,
      r1: 0.1,
      data: '',
      generator: '',
      temperature: 1,
      checkpointEvery: 100,
      logEvery: 10,
      ...(real ? { dirs: ALL_TRAIN_DIRS, degradation: 'levels' } : {}),
    },
    help: {
      ...TRAINING_HELP,
      lr: 'Adam learning rate (G and D)',
      l1: 'weight of the L1 term on the predicted residual',
      r1: 'R1 penalty gamma (per patch of the patch discriminator)',
      generator: `the generator manifest (empty: the shipped weights/${modelWeightsName(model, scale)})`,
      temperature: 'sampling temperature recorded in the exported manifest (refine N scales its draws by it; does not change training)',
      ...(real ? { dirs: GENERATOR_HELP.dirs, degradation: DEGRADATION_HELP } : {}),
    },
    check: (c) =>
      c.patch < 4
        ? `patch ${c.patch} < 4`
        : !(c.temperature >= 0 && c.temperature <= MAX_REFINER_TEMPERATURE)
          ? `temperature ${c.temperature} is not in [0, ${MAX_REFINER_TEMPERATURE}]`
          : real
            ? checkDegradation(c)
            : undefined,
    groups: (c) => ({
      g: { model: createModel(refinerSpec(scale), c.seed), adam: { lr: c.lr, beta1: 0.5, beta2: 0.9 }, ema: 0.999 },
      d: { model: createModel(refinerDiscriminatorSpec(scale), c.seed + 1), adam: { lr: c.lr, beta1: 0.5, beta2: 0.9 } },
    }),
    phases: () => ['d', 'g'],
    task: (c) => ({
      module: builtModulePath(__dirname, 'train-refiner-task.js'),
      config: {
        scale,
        patch: c.patch,
        trainDirs: refinerDirs(c).dirs,
        generatorManifest: generatorManifest(scale, model, c),
        l1Weight: c.l1,
        r1Gamma: c.r1,
        ...(real ? { degradation: realDegradation(c) } : {}),
      } satisfies RefinerTaskConfig,
    }),
    lrSchedule: () => cosineLrSchedule(100, 0.1),
    meta: (c) => {
      const { root, dirs } = refinerDirs(c);
      return {
        config: REFINER_CONFIG,
        batch: c.batch,
        patch: c.patch,
        lr: c.lr,
        generator: path.relative(process.cwd(), generatorManifest(scale, model, c)),
        data: dirs.map((d) => path.relative(root, d)),
        ...(real ? { degradation: c.degradation } : {}),
      };
    },
    exports: { [name]: { group: 'g', ema: true } },
    exportWeights: async (tr: Trainer, c, out, record) => {
      const m = exportRefiner({ scale, model, checkpoint: tr.checkpointPath, out, temperature: c.temperature });
      recordTraining(path.join(out, `${name}.manifest.json`), record);
      // into the shipped folder: the regression floor follows, as with export.js
      if (path.resolve(out) === DEFAULT_WEIGHTS_DIR) await writeShippedFloor(scale, model, m, true);
      return [name];
    },
  };
}

/** A refiner's training folders: the fidelity refiner's are T91 + BSD200 (trainDirs' default), the real one's its `dirs`. */
const refinerDirs = (c: RefinerConfig) => trainDirs(c.data, typeof c.dirs === 'string' ? c.dirs : undefined);

const generatorManifest = (scale: 2 | 4, model: SrModel, c: RefinerConfig): string =>
  path.resolve(c.generator || path.join(DEFAULT_WEIGHTS_DIR, `${modelWeightsName(model, scale)}.manifest.json`));

export const SR_RECIPES = [
  generatorRecipe(2, 'fidelity'),
  generatorRecipe(4, 'fidelity'),
  generatorRecipe(2, 'real'),
  generatorRecipe(4, 'real'),
  realGanRecipe(2),
  realGanRecipe(4),
  refinerRecipe(2, 'fidelity'),
  refinerRecipe(4, 'fidelity'),
  refinerRecipe(2, 'real'),
  refinerRecipe(4, 'real'),
].map((r) => registerRecipe(r as unknown as Recipe<BaseConfig>));
