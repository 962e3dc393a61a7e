/** Training tasks for the data-parallel benchmark (synthetic data of the real shapes). */
import * as tf from './tf';
import { apply, Model } from './model';
import { Rng } from './rng';
import type { HostBatch, ParallelTask } from './train/parallel';
import { linearSchedule } from './diffusion/schedule';
import { diffusionLoss } from './diffusion/objective';

export function createTask(config: { kind: 'upscaler' | 'unet' }): ParallelTask {
  if (config.kind === 'upscaler') {
    return {
      phases: ['g'],
      sampleBatch: (rng: Rng, n: number): HostBatch => ({
        lr: { data: rng.normalArray(n * 48 * 48 * 3), shape: [n, 48, 48, 3] },
        hr: { data: rng.normalArray(n * 192 * 192 * 3), shape: [n, 192, 192, 3] },
      }),
      loss: (m: Record<string, Model>, s: HostBatch) => tf.losses.absoluteDifference(tf.tensor(s.hr.data, s.hr.shape), apply(m.g, { lr: tf.tensor(s.lr.data, s.lr.shape) })) as tf.Scalar,
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
    loss: (m: Record<string, Model>, s: HostBatch) => diffusionLoss('eps', sched,
      (xt, t) => apply(m.g, { x: xt, t: tf.tensor1d(t) }) as tf.Tensor4D,
      tf.tensor4d(s.x0.data, s.x0.shape as [number, number, number, number]), Array.from(s.t.data), tf.tensor4d(s.eps.data, s.eps.shape as [number, number, number, number])),
  };
}
