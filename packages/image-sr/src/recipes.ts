/**
 * image-sr's training recipes (core-models registry): sr-x2 / sr-x4 (the generator, L1 on
 * aligned patches) and sr-refiner-x2 / sr-refiner-x4 (the DiffGAN refiner of the shipped
 * generator's residual). `diffgan train <recipe> --config packages/image-sr/configs/<weights>.json`
 * reproduces a shipped weight; the config files say which run made it.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  BaseConfig,
  Recipe,
  Trainer,
  builtModulePath,
  cosineLrSchedule,
  createModel,
  registerRecipe,
  requireDataRoot,
  TrainingRecord,
  writeFileAtomic,
} from '@diffgan/core-models';
import { srGeneratorSpec, SR_CONFIGS } from './models';
import { refinerSpec, refinerDiscriminatorSpec, REFINER_CONFIG } from './refiner';
import { DEFAULT_WEIGHTS_DIR, generatorName, refinerName } from './names';
import { exportGenerator, exportRefiner } from './export';
import type { SrTaskConfig } from './train-task';
import type { RefinerTaskConfig } from './train-refiner-task';

/** The training images under a data root (DIFFGAN_DATA or the shared data folder when `data` is empty). */
const trainDirs = (data: string): { root: string; dirs: string[] } => {
  const root = requireDataRoot(data || undefined, 'sr/train');
  return { root, dirs: ['T91', 'BSD200'].map((d) => path.join(root, 'sr', 'train', d)) };
};

/** Writes the training record (recipe, resolved config, commit, command) into an exported manifest's training block. */
function recordTraining(manifestPath: string, record: TrainingRecord): void {
  const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  m.training = { ...m.training, command: record.command, recipe: record.recipe, config: { ...record.config }, commit: record.commit };
  writeFileAtomic(manifestPath, JSON.stringify(m, null, 2) + '\n');
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
}

function generatorRecipe(scale: 2 | 4): Recipe<SrConfig> {
  const name = generatorName(scale);
  return {
    name: `sr-x${scale}`,
    summary: `image-sr x${scale} generator (${name}): L1 on aligned T91 + BSD200 patches`,
    defaults: { steps: 20000, batch: 16, seed: 0, patch: 32, lr: 5e-4, scheduleSteps: 0, data: '', checkpointEvery: 250, logEvery: 25 },
    help: { ...TRAINING_HELP, lr: 'Adam learning rate', scheduleSteps: 'steps the cosine learning-rate decay spans (0: steps)' },
    check: (c) => (c.patch < 8 ? `patch ${c.patch} < 8` : undefined),
    groups: (c) => ({ g: { model: createModel(srGeneratorSpec(scale), c.seed), adam: { lr: c.lr, beta1: 0.9, beta2: 0.99 }, ema: 0.999 } }),
    phases: () => ['g'],
    task: (c) => ({
      module: builtModulePath(__dirname, 'train-task.js'),
      config: { scale, patch: c.patch, trainDirs: trainDirs(c.data).dirs } satisfies SrTaskConfig,
    }),
    lrSchedule: () => cosineLrSchedule(500, 0.02),
    meta: (c) => {
      const { root, dirs } = trainDirs(c.data);
      return { config: SR_CONFIGS[scale], batch: c.batch, patch: c.patch, lr: c.lr, data: dirs.map((d) => path.relative(root, d)) };
    },
    exports: { [name]: { group: 'g', ema: true } },
    exportWeights: (tr: Trainer, _c, out, record) => {
      exportGenerator({ scale, checkpoint: tr.checkpointPath, out });
      recordTraining(path.join(out, `${name}.manifest.json`), record);
      return [name];
    },
  };
}

export interface RefinerConfig extends SrTrainingConfig {
  l1: number;
  r1: number;
  generator: string;
}

function refinerRecipe(scale: 2 | 4): Recipe<RefinerConfig> {
  const name = refinerName(scale);
  return {
    name: `sr-refiner-x${scale}`,
    summary: `image-sr x${scale} diffusion refiner (${name}): DiffGAN on the shipped generator's residual`,
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
      checkpointEvery: 100,
      logEvery: 10,
    },
    help: {
      ...TRAINING_HELP,
      lr: 'Adam learning rate (G and D)',
      l1: 'weight of the L1 term on the predicted residual',
      r1: 'R1 penalty gamma',
      generator: `the generator manifest (empty: the shipped weights/${generatorName(scale)})`,
    },
    check: (c) => (c.patch < 4 ? `patch ${c.patch} < 4` : undefined),
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
        trainDirs: trainDirs(c.data).dirs,
        generatorManifest: generatorManifest(scale, c),
        l1Weight: c.l1,
        r1Gamma: c.r1,
      } satisfies RefinerTaskConfig,
    }),
    lrSchedule: () => cosineLrSchedule(100, 0.1),
    meta: (c) => ({ config: REFINER_CONFIG, batch: c.batch, patch: c.patch, lr: c.lr, generator: path.relative(process.cwd(), generatorManifest(scale, c)) }),
    exports: { [name]: { group: 'g', ema: true } },
    exportWeights: (tr: Trainer, _c, out, record) => {
      exportRefiner({ scale, checkpoint: tr.checkpointPath, out });
      recordTraining(path.join(out, `${name}.manifest.json`), record);
      return [name];
    },
  };
}

const generatorManifest = (scale: 2 | 4, c: RefinerConfig): string =>
  path.resolve(c.generator || path.join(DEFAULT_WEIGHTS_DIR, `${generatorName(scale)}.manifest.json`));

export const SR_RECIPES = [generatorRecipe(2), generatorRecipe(4), refinerRecipe(2), refinerRecipe(4)].map((r) => registerRecipe(r as Recipe<BaseConfig>));
