/**
 * The x2/x4 generator's training task for core-models' data-parallel trainer: the main
 * thread samples aligned patch pairs, workers compute the L1 loss gradient on their share.
 */
import * as path from 'path';
import { tf, apply, Model, Rng, HostBatch, ParallelTask } from '@diffgan/core-models';
import { loadTrainingPairs, PatchSampler } from './data';

export interface SrTaskConfig { scale: 2 | 4; patch: number; trainDirs: string[] }

export async function createTask(config: SrTaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  const { scale, patch } = config;
  const sampler = role === 'main' ? new PatchSampler(await loadTrainingPairs(config.trainDirs, scale), scale, patch) : null;
  return {
    phases: ['g'],
    sampleBatch(rng: Rng, n: number): HostBatch {
      const b = sampler!.sample(n, rng);
      return { lr: { data: b.lr, shape: [n, patch, patch, 3] }, hr: { data: b.hr, shape: [n, patch * scale, patch * scale, 3] } };
    },
    loss(models: Record<string, Model>, shard: HostBatch): tf.Scalar {
      const x = tf.tensor4d(shard.lr.data, shard.lr.shape as [number, number, number, number]);
      const y = tf.tensor4d(shard.hr.data, shard.hr.shape as [number, number, number, number]);
      return tf.losses.absoluteDifference(y, apply(models.g, { lr: x })) as tf.Scalar;
    },
  };
}

export const taskModulePath = path.join(__dirname, 'train-task.js');
