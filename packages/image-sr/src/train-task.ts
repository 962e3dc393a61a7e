/**
 * The x2/x4 generator's training task for core-models' data-parallel trainer: the main
 * thread samples aligned patch pairs, workers compute the L1 loss gradient on their share
 * (one objective for both runtimes, tfjs and onnxruntime).
 */
import { l1Loss, Rng, HostBatch, ParallelTask, LossEnv } from '@diffgan/core-models';
import { loadTrainingPairs, PatchSampler } from './data';

export interface SrTaskConfig {
  scale: 2 | 4;
  patch: number;
  trainDirs: string[];
}

/** mean |HR − G(LR)| (tf.losses.absoluteDifference) on a shard of { lr, hr } */
export const srObjective = <T>(e: LossEnv<T>): T => l1Loss(e.ops, e.input('hr'), e.run('g', { lr: e.input('lr') }));

export async function createTask(config: SrTaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  const { scale, patch } = config;
  const sampler = role === 'main' ? new PatchSampler(await loadTrainingPairs(config.trainDirs, scale), scale, patch) : null;
  return {
    phases: ['g'],
    sampleBatch(rng: Rng, n: number): HostBatch {
      const b = sampler!.sample(n, rng);
      return { lr: { data: b.lr, shape: [n, patch, patch, 3] }, hr: { data: b.hr, shape: [n, patch * scale, patch * scale, 3] } };
    },
    objective: srObjective,
  };
}
