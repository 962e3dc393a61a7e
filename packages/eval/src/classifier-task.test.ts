import { loadOrt, makeEnv, Rng, HostBatch, LossEnv } from '@diffgan/core-models';
import { tf, initBackend, createModel, gradientParity, tfOps } from '@diffgan/core-models/train';
import { classifierSpec } from './classifier';
import { createTask, softmaxCrossEntropy } from './classifier-task';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const batch = (n: number, seed: number): HostBatch => {
  const rng = new Rng(seed),
    y = new Float32Array(n * 10);
  for (let k = 0; k < n; k++) y[k * 10 + rng.int(10)] = 1;
  return { x: { data: rng.normalArray(n * 784), shape: [n, 28, 28, 1] }, y: { data: y, shape: [n, 10] } };
};

test('softmax cross-entropy through Ops equals tf.losses.softmaxCrossEntropy (large logits too)', () => {
  const rng = new Rng(1),
    logits = Float32Array.from(rng.normalArray(6 * 10), (v) => v * 40),
    b = batch(6, 2);
  const env = makeEnv(tfOps, {}, 'c', b, rng, () => ({}));
  const ours = (softmaxCrossEntropy(env, tf.tensor2d(logits, [6, 10]), env.input('y')) as tf.Tensor).dataSync()[0];
  const ref = tf.losses.softmaxCrossEntropy(tf.tensor2d(b.y.data, [6, 10]), tf.tensor2d(logits, [6, 10])).dataSync()[0];
  expect(Number.isFinite(ours)).toBe(true);
  expect(ours).toBeCloseTo(ref, 3);
});

(loadOrt() ? test : test.skip)('the classifier objective: onnxruntime gradients equal tfjs autodiff (1e-4 relative)', async () => {
  const task = createTask(undefined, 'worker');
  const r = await gradientParity({ c: createModel(classifierSpec(), 3) }, task.objective as <T>(e: LossEnv<T>) => T, 'c', batch(4, 5));
  expect(Math.abs(r.ortLoss - r.tfjsLoss) / r.tfjsLoss).toBeLessThan(1e-5);
  expect(r.worstRelative).toBeLessThan(1e-4);
});
