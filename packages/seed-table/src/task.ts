/**
 * The seed-table families' training step as a task for core-models' data-parallel trainer
 * (runParallel): the main thread draws the real images (from the 8,000-image train split)
 * and every latent, timestep and noise of the step; workers compute one family phase's loss
 * on their share. Workers load this module from dist, by path.
 */
import { DiffganError, HostBatch, Rng } from '@diffgan/core-models';
import { ParallelTask, builtModulePath } from '@diffgan/core-models/train';
import { Dataset, datasetDir, seedTableData } from '@diffgan/eval';
import { IMG, pickImages } from './common';
import { familyByName } from './families';

export interface SeedTableTaskConfig {
  family: string;
  dataset?: Dataset;
}

let trainSplit: Float32Array | undefined;

export function createTask(config: SeedTableTaskConfig, role: 'main' | 'worker'): ParallelTask {
  const fam = familyByName(config.family);
  if (!fam) throw new DiffganError(`unknown seed-table family '${config.family}'`);
  const images = role === 'main' ? (trainSplit ??= seedTableData(datasetDir(config.dataset ?? 'mnist')).train) : undefined;
  return {
    phases: fam.phases,
    sampleBatch(rng: Rng, n: number): HostBatch {
      return { real: { data: pickImages(images!, n, rng), shape: [n, IMG, IMG, 1] }, ...fam.stepInputs(rng, n) };
    },
    objective: fam.objective,
  };
}

/** This module's compiled path (from the TypeScript sources, e.g. in tests: the built copy). */
export const taskModulePath = builtModulePath(__dirname, 'task.js');
