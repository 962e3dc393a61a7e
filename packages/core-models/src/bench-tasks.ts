/** Training tasks for the data-parallel benchmark (synthetic data of the real shapes), written once for both runtimes. */
import { Rng } from './rng';
import type { HostBatch, ParallelTask } from './train/parallel';
import { linearSchedule, vpSdeSchedule } from './diffusion/schedule';
import { diffusePair, posteriorSample } from './diffgan';
import { timeInput } from './diffusion/sampling';
import { discriminatorLoss, generatorLoss, r1Penalty } from './gan';
import { diffusionLoss } from './diffusion/objective';
import { l1Loss } from './ops/ops';
import type { LossEnv } from './engine/objective';

/** The seed table's MNIST nets (packages/eval/src/seed-table/common.ts): the DDPM UNet, DiffGAN-4's G (the UNet with a latent) and time-conditioned D. */
export const MNIST_UNET = { inChannels: 1, outChannels: 1, channels: [16, 32, 64], blocksPerLevel: 1, embDim: 32, groups: 8 };
export const DIFFGAN_G = { ...MNIST_UNET, latentDim: 64 };
export const DIFFGAN_D = { inChannels: 2, channels: [32, 64, 128], embDim: 32 };
export type BenchKind = 'upscaler' | 'unet' | 'diffgan';

/** DiffGAN-4's step as the seed table trains it: non-saturating loss, per-patch R1 (gamma 0.05) in the d phase. */
function diffganTask(): ParallelTask {
  const s = vpSdeSchedule(4),
    T = 4,
    img = (n: number) => [n, 28, 28, 1];
  return {
    phases: ['d', 'g'],
    sampleBatch: (rng: Rng, n: number): HostBatch => ({
      real: { data: noise(rng, n * 784), shape: img(n) },
      t: { data: Float32Array.from({ length: n }, () => rng.int(T)), shape: [n] },
      e1: { data: noise(rng, n * 784), shape: img(n) },
      e2: { data: noise(rng, n * 784), shape: img(n) },
      z: { data: noise(rng, n * 64), shape: [n, 64] },
      post: { data: noise(rng, n * 784), shape: img(n) },
    }),
    objective: <T>(e: LossEnv<T>): T => {
      const o = e.ops,
        t = Array.from(e.shard.t.data),
        // one time tensor for every net call, as the seed table's objective (D on x_{t-1} traced once)
        tt = o.constant(
          t.map((i) => timeInput(i, T)),
          [t.length],
        );
      const { xPrev, xt } = diffusePair(s, e.input('real'), t, e.input('e1'), e.input('e2'), o);
      const disc = (x: T) => e.run('d', { x: o.concat([x, xt], -1), t: tt });
      const fake = posteriorSample(s, e.run('g', { x: xt, z: e.input('z'), t: tt }), xt, t, e.input('post'), o);
      if (e.phase === 'g') return generatorLoss('nonsaturating', disc(fake), o);
      return o.add(discriminatorLoss('nonsaturating', disc(xPrev), disc(fake), o), o.mul(r1Penalty(disc, xPrev, e.rng, { perPatch: true }, o), 0.05 / 2));
    },
  };
}

/**
 * Synthetic data of unit variance, drawn uniformly: cheap for the main thread, which samples
 * the next batch while the workers compute (real tasks crop images, also cheap); Box-Muller
 * normals for the upscaler's 1.8M values would take a core's worth of time the workers need.
 */
const noise = (rng: Rng, n: number): Float32Array => {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng.uniform() - 0.5) * 3.4641;
  return a;
};

export function createTask(config: { kind: BenchKind }): ParallelTask {
  if (config.kind === 'diffgan') return diffganTask();
  if (config.kind === 'upscaler') {
    return {
      phases: ['g'],
      sampleBatch: (rng: Rng, n: number): HostBatch => ({
        lr: { data: noise(rng, n * 48 * 48 * 3), shape: [n, 48, 48, 3] },
        hr: { data: noise(rng, n * 192 * 192 * 3), shape: [n, 192, 192, 3] },
      }),
      objective: <T>(e: LossEnv<T>) => l1Loss(e.ops, e.input('hr'), e.run('g', { lr: e.input('lr') })),
    };
  }
  const sched = linearSchedule(1000);
  return {
    phases: ['g'],
    sampleBatch: (rng: Rng, n: number): HostBatch => ({
      x0: { data: noise(rng, n * 28 * 28), shape: [n, 28, 28, 1] },
      eps: { data: noise(rng, n * 28 * 28), shape: [n, 28, 28, 1] },
      t: { data: Float32Array.from({ length: n }, () => rng.int(1000)), shape: [n] },
    }),
    objective: <T>(e: LossEnv<T>) =>
      diffusionLoss(
        'eps',
        sched,
        (xt: T, t: number[]) => e.run('g', { x: xt, t: e.ops.constant(t, [t.length]) }),
        e.input('x0'),
        Array.from(e.shard.t.data),
        e.input('eps'),
        e.ops,
      ),
  };
}
