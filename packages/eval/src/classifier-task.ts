/**
 * The MNIST feature classifier's training task for core-models' data-parallel trainer: the
 * main thread draws the batch (MNIST train images, ±2 px shifts, labels as one-hot rows),
 * workers compute softmax cross-entropy on either runtime.
 */
import { builtModulePath } from '@diffgan/core-models/train';
import type { HostBatch, LossEnv, Rng } from '@diffgan/core-models';
import type { ParallelTask } from '@diffgan/core-models/train';
import { Dataset, datasetDir, loadMnist, toFloatBatch, MnistSet } from './mnist';

/** Random integer shifts of up to ±2 px (background −1 fills), a cheap augmentation. */
export function shiftBatch(x: Float32Array, n: number, rng: Rng): Float32Array {
  const out = new Float32Array(x.length).fill(-1);
  for (let k = 0; k < n; k++) {
    const dy = rng.int(5) - 2,
      dx = rng.int(5) - 2,
      b = k * 784;
    for (let y = 0; y < 28; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= 28) continue;
      for (let xx = 0; xx < 28; xx++) {
        const sx = xx - dx;
        if (sx >= 0 && sx < 28) out[b + y * 28 + xx] = x[b + sy * 28 + sx];
      }
    }
  }
  return out;
}

/** Mean softmax cross-entropy of [n, 10] logits against one-hot rows. */
export function softmaxCrossEntropy<T>(e: LossEnv<T>, logits: T, oneHot: T): T {
  const o = e.ops;
  return o.mean(o.sub(o.logSumExp(logits, [1]), o.sum(o.mul(logits, oneHot), [1])));
}

let train: MnistSet | undefined;

export interface ClassifierTaskConfig {
  dataset?: Dataset;
}

export function createTask(config: ClassifierTaskConfig | undefined, role: 'main' | 'worker'): ParallelTask {
  const data = role === 'main' ? (train ??= loadMnist('train', datasetDir(config?.dataset ?? 'mnist'))) : undefined;
  return {
    phases: ['c'],
    sampleBatch(rng: Rng, n: number): HostBatch {
      const idx = Array.from({ length: n }, () => rng.int(data!.count));
      const x = shiftBatch(toFloatBatch(data!, idx), n, rng);
      const y = new Float32Array(n * 10);
      idx.forEach((i, k) => {
        y[k * 10 + data!.labels[i]] = 1;
      });
      return { x: { data: x, shape: [n, 28, 28, 1] }, y: { data: y, shape: [n, 10] } };
    },
    objective: <T>(e: LossEnv<T>): T => {
      const n = e.shard.x.shape[0];
      return softmaxCrossEntropy(e, e.ops.reshape(e.net('c', { x: e.input('x') }).logits, [n, 10]), e.input('y'));
    },
  };
}

/** This module's compiled path (from the TypeScript sources, e.g. in tests: the built copy). */
export const classifierTaskPath = builtModulePath(__dirname, 'classifier-task.js');
