/**
 * The real models' adversarial fine-tune (sr-real-gan-x2/x4), as Real-ESRGAN fine-tunes its
 * L1 (PSNR) model: phases d, g on (degraded LR, HR) patches. Phase d: non-saturating loss of
 * a patch discriminator on HR vs G(LR) plus γ/2 · R1 on HR (per patch, finite differences);
 * phase g: l1Weight · |HR − G(LR)| + advWeight · non-saturating G loss. Real-ESRGAN also has a
 * VGG feature loss; there is no pretrained feature network here (see the README).
 */
import { l1Loss, Rng, HostBatch, LossEnv } from '@diffgan/core-models';
import { discriminatorLoss, generatorLoss, r1Penalty, ParallelTask, R1Options } from '@diffgan/core-models/train';
import { createSampler, patchBatch, SrTaskConfig } from './train-task';

export interface RealGanTaskConfig extends SrTaskConfig {
  l1Weight: number;
  advWeight: number;
  r1Gamma: number;
}

/** The loss of one phase on a shard { lr, hr }; D sees images mapped to [-1, 1]. `r1` overrides r1Penalty's options (tests). */
export function realGanObjective<T>(
  e: LossEnv<T>,
  config: Pick<RealGanTaskConfig, 'l1Weight' | 'advWeight' | 'r1Gamma'>,
  r1: R1Options = { perPatch: true },
): T {
  const o = e.ops;
  const hr = e.input('hr');
  const sr = e.run('g', { lr: e.input('lr') }); // a constant in phase d
  const D = (x: T): T => e.run('d', { x: o.sub(o.mul(x, 2), 1) });
  if (e.phase === 'd') {
    let l = discriminatorLoss('nonsaturating', D(hr), D(sr), o);
    if (config.r1Gamma) l = o.add(l, o.mul(r1Penalty(D, hr, e.rng, r1, o), config.r1Gamma / 2));
    return l;
  }
  return o.add(o.mul(l1Loss(o, hr, sr), config.l1Weight), o.mul(generatorLoss('nonsaturating', D(sr), o), config.advWeight));
}

export async function createTask(config: RealGanTaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  const sampler = role === 'main' ? await createSampler(config) : null;
  return {
    phases: ['d', 'g'],
    sampleBatch: (rng: Rng, n: number): HostBatch => patchBatch(sampler!, config, rng, n),
    objective: <T>(e: LossEnv<T>): T => realGanObjective(e, config),
  };
}
