/**
 * The seed table's training recipes (core-models registry): the MNIST families (gan, ddpm,
 * diffgan2, diffgan4, pipeline and the ablations). A family trains through the seed table's own
 * loop (trainFamily: wall-clock budget, train.json, resume) into <run>/<family>/seed<S>/, the
 * layout `diffgan sample` reads.
 */
import * as path from 'path';
import { DiffganError, resolveTrainRuntime } from '@diffgan/core-models';
import { BaseConfig, Recipe, initBackend, registerRecipe } from '@diffgan/core-models/train';
import { DATASETS, Dataset } from '@diffgan/eval';
import { Family } from './common';
import { ABLATIONS, FAMILIES } from './families';
import { trainFamily } from './run';
import { taskModulePath } from './task';

export interface FamilyConfig extends BaseConfig {
  minutes: number;
  dataset: string;
}

/** A seed-table family as a recipe; `--run` is the table's run folder (default runs/seed-table). */
export function familyRecipe(fam: Family): Recipe<FamilyConfig> {
  return {
    name: fam.id,
    summary: `seed table: ${fam.label} on the 8,000-image train split of MNIST t10k`,
    defaultRun: 'runs/seed-table',
    defaults: { steps: 3000, batch: 32, seed: 0, minutes: 0, dataset: 'mnist' },
    help: {
      steps: 'total training steps; re-running continues from the checkpoint',
      batch: 'batch size',
      seed: 'training seed: weights go to <run>/<model>/seed<S>/',
      minutes: 'also stop after this many minutes of training (0: no limit; resumable)',
      dataset: `the 28x28 dataset whose t10k split trains (${DATASETS.join(' or ')})`,
    },
    check: (c) =>
      c.batch < 2
        ? `batch ${c.batch} < 2`
        : c.minutes < 0
          ? 'minutes ≥ 0'
          : !DATASETS.includes(c.dataset as Dataset)
            ? `dataset '${c.dataset}' is not ${DATASETS.join(' or ')}`
            : undefined,
    groups: (c) => fam.groups(c.seed),
    phases: () => fam.phases,
    task: (c) => ({ module: taskModulePath, config: { family: fam.id, dataset: c.dataset } }),
    exports: fam.exports,
    samplers: fam.samplers,
    train: async (c, o, record) => {
      const dir = path.join(o.run, fam.id, `seed${c.seed}`);
      const backend = await initBackend();
      const runtime = resolveTrainRuntime(o.runtime?.runtime, fam, fam.id);
      const st = await trainFamily(
        fam,
        c.seed,
        dir,
        { batch: c.batch, workers: o.runtime?.workers, runtime, threads: o.runtime?.threads, executionProvider: o.runtime?.ep, dataset: c.dataset as Dataset },
        { steps: c.steps, minutes: c.minutes > 0 ? c.minutes : undefined },
        { progress: o.progress, command: record.command, record: { recipe: record.recipe, config: record.config, commit: record.commit } },
      );
      if (st.failed) throw new DiffganError(`${fam.id} diverged: ${st.failed}`);
      return {
        steps: st.steps,
        exported: Object.keys(fam.exports),
        message: `${dir}: ${fam.id} trained ${st.steps}/${c.steps} steps (${(st.seconds / 60).toFixed(1)} min in total, ${runtime === 'tfjs' ? `tfjs-${backend.name}` : 'onnxruntime'}); sample with: diffgan sample --model ${fam.id} --run ${o.run}`,
      };
    },
  };
}

export const SEED_TABLE_RECIPES = [...FAMILIES, ...ABLATIONS].map((f) => registerRecipe(familyRecipe(f)));
