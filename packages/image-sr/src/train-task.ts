/**
 * The x2/x4 generator's training task for core-models' data-parallel trainer: the main
 * thread samples aligned patch pairs, workers compute the L1 loss gradient on their share
 * (one objective for both runtimes, tfjs and onnxruntime). The sr-real recipes pair HR crops
 * with LR patches degraded on the fly instead of MATLAB-bicubic ones: `degradation: 'levels'`
 * (degradeMixed) or 'second-order' (Real-ESRGAN's model alone).
 */
import { l1Loss, Rng, HostBatch, LossEnv } from '@diffgan/core-models';
import { ParallelTask } from '@diffgan/core-models/train';
import { loadTrainingImages, loadTrainingPairs, DegradedPatchSampler, PatchSampler } from './data';
import { degradeMixed, degradeRealEsrgan } from './degrade';

/** How LR patches are made: MATLAB bicubic (fidelity) or degraded on the fly (real). */
export type SrDegradation = 'bicubic' | 'levels' | 'second-order';

export interface SrTaskConfig {
  scale: 2 | 4;
  patch: number;
  trainDirs: string[];
  /** how LR patches are made (default 'bicubic': MATLAB imresize, computed once) */
  degradation?: SrDegradation;
}

/** mean |HR − G(LR)| (tf.losses.absoluteDifference) on a shard of { lr, hr } */
export const srObjective = <T>(e: LossEnv<T>): T => l1Loss(e.ops, e.input('hr'), e.run('g', { lr: e.input('lr') }));

/** The main thread's sampler of a config: bicubic pairs or degraded crops. */
export async function createSampler(config: SrTaskConfig): Promise<PatchSampler | DegradedPatchSampler> {
  const { scale, patch, trainDirs } = config;
  const d = config.degradation ?? 'bicubic';
  return d !== 'bicubic'
    ? new DegradedPatchSampler(await loadTrainingImages(trainDirs), scale, patch, d === 'levels' ? degradeMixed : degradeRealEsrgan)
    : new PatchSampler(await loadTrainingPairs(trainDirs, scale), scale, patch);
}

/** { lr, hr } of n samples as a host batch. */
export function patchBatch(sampler: PatchSampler | DegradedPatchSampler, config: SrTaskConfig, rng: Rng, n: number): HostBatch {
  const { patch, scale } = config;
  const b = sampler.sample(n, rng);
  return { lr: { data: b.lr, shape: [n, patch, patch, 3] }, hr: { data: b.hr, shape: [n, patch * scale, patch * scale, 3] } };
}

export async function createTask(config: SrTaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  const sampler = role === 'main' ? await createSampler(config) : null;
  return {
    phases: ['g'],
    sampleBatch: (rng: Rng, n: number): HostBatch => patchBatch(sampler!, config, rng, n),
    objective: srObjective,
  };
}
