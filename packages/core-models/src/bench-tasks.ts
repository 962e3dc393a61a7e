/** Training tasks for the data-parallel benchmark (synthetic data of the real shapes), written once for both runtimes. */
import { Rng } from './rng';
import type { HostBatch, ParallelTask } from './train/parallel';
import { linearSchedule } from './diffusion/schedule';
import { diffusionLoss } from './diffusion/objective';
import { l1Loss } from './ops/ops';
import type { LossEnv } from './engine/objective';

export function createTask(config: { kind: 'upscaler' | 'unet' }): ParallelTask {
  if (config.kind === 'upscaler') {
    return {
      phases: ['g'],
      sampleBatch: (rng: Rng, n: number): HostBatch => ({
        lr: { data: rng.normalArray(n * 48 * 48 * 3), shape: [n, 48, 48, 3] },
        hr: { data: rng.normalArray(n * 192 * 192 * 3), shape: [n, 192, 192, 3] },
      }),
      objective: <T>(e: LossEnv<T>) => l1Loss(e.ops, e.input('hr'), e.run('g', { lr: e.input('lr') })),
    };
  }
  const sched = linearSchedule(1000);
  return {
    phases: ['g'],
    sampleBatch: (rng: Rng, n: number): HostBatch => ({
      x0: { data: rng.normalArray(n * 28 * 28), shape: [n, 28, 28, 1] },
      eps: { data: rng.normalArray(n * 28 * 28), shape: [n, 28, 28, 1] },
      t: { data: Float32Array.from({ length: n }, () => rng.int(1000)), shape: [n] },
    }),
    objective: <T>(e: LossEnv<T>) => diffusionLoss('eps', sched, (xt: T, t: number[]) => e.run('g', { x: xt, t: e.ops.constant(t, [t.length]) }),
      e.input('x0'), Array.from(e.shard.t.data), e.input('eps'), e.ops),
  };
}
