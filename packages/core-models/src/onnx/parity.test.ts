/** ORT output must equal tfjs output for every exported block type (issue: 1e-4). */
import { tf } from '../tf';
import { initBackend } from '../backend';
import { GraphBuilder, GraphSpec } from '../graph';
import { srNet, unet, patchDiscriminator, dcganGenerator, benchUpscaler } from '../architectures';
import { residualBlock, pixelShuffleUpsampler, downsample, upsample, timeEmbeddingMlp } from '../blocks';
import { createModel, forward, disposeModel } from '../model';
import { exportOnnx } from './export';
import { createOrtRunner, loadOrt, HostTensor } from './runner';

function single(name: string, build: (g: GraphBuilder) => void): GraphSpec {
  const g = new GraphBuilder(name);
  build(g);
  return g.build();
}

const cases: GraphSpec[] = [
  single('conv3x3', (g) => g.output('y', g.conv(g.input('x', 'image', 3), 5))),
  single('conv5x5_stride2', (g) => g.output('y', g.conv(g.input('x', 'image', 3), 4, { k: 5, stride: 2 }))),
  single('conv3x1_conv5x1', (g) => g.output('y', g.conv(g.conv(g.input('x', 'image', 3), 4, { kw: 1 }), 2, { k: 5, kw: 1 }))),
  single('conv1x1_nobias', (g) => g.output('y', g.conv(g.input('x', 'image', 3), 4, { k: 1, bias: false }))),
  single('acts', (g) => {
    const x = g.input('x', 'image', 4);
    g.output('y', g.concat([g.act(x, 'relu'), g.act(x, 'leakyRelu', 0.1), g.act(x, 'silu'), g.act(x, 'sigmoid'), g.act(x, 'tanh')]));
  }),
  single('residual', (g) => g.output('y', residualBlock(g, g.input('x', 'image', 8)))),
  single('residual_norm_emb', (g) => {
    const x = g.input('x', 'image', 8);
    const e = g.input('e', 'vector', 6);
    g.output('y', residualBlock(g, x, { emb: e, norm: 4, act: 'silu', gain: 1 }));
  }),
  single('pixelShuffleUp_x4', (g) => g.output('y', pixelShuffleUpsampler(g, g.input('x', 'image', 4), 4))),
  single('pixelShuffle_x3', (g) => g.output('y', g.pixelShuffle(g.input('x', 'image', 18), 3))),
  single('downsample', (g) => g.output('y', downsample(g, g.input('x', 'image', 4), 6))),
  single('upsample', (g) => g.output('y', upsample(g, g.input('x', 'image', 4), 6))),
  single('timeEmbedding', (g) => g.output('y', timeEmbeddingMlp(g, g.input('t', 'scalar'), 16))),
  single('dense_mul_scale', (g) => {
    const v = g.input('v', 'vector', 5);
    const x = g.input('x', 'image', 5);
    g.output('y', g.scale(g.mul(x, g.dense(v, 5)), 0.5));
  }),
  single('vectorAsImage', (g) => g.output('y', g.pixelShuffle(g.vectorAsImage(g.input('v', 'vector', 12)), 2))),
  srNet({ scale: 4, channels: 16, blocks: 2 }),
  srNet({ scale: 2, channels: 8, blocks: 1 }),
  benchUpscaler(),
  unet({ inChannels: 1, outChannels: 1, channels: [16, 32], blocksPerLevel: 1, embDim: 16, groups: 4, latentDim: 8, condChannels: 2 }),
  patchDiscriminator({ inChannels: 2, channels: [8, 16], embDim: 8 }),
  dcganGenerator({ latentDim: 8, channels: 16, outChannels: 1 }),
];

const haveOrt = loadOrt() !== null;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

(haveOrt ? describe : describe.skip)('ONNX export parity (onnxruntime-node vs tfjs-wasm)', () => {
  test.each(cases.map((c) => [c.name, c]))('%s', async (_name, spec) => {
    const m = createModel(spec as GraphSpec, 7);
    const s = spec as GraphSpec;
    const inputs: Record<string, tf.Tensor> = {};
    for (const i of s.inputs) {
      const v = s.values[i.value];
      inputs[i.name] =
        v.kind === 'image'
          ? tf.randomNormal([2, 10, 14, v.channels], 0, 1, 'float32', 3)
          : v.kind === 'vector'
            ? tf.randomNormal([2, v.channels], 0, 1, 'float32', 4)
            : tf.tensor1d([3, 517.5]);
    }
    const ref = tf.tidy(() => forward(s, m.params, inputs));
    const weights = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [k, v] of m.params) weights.set(k, { shape: v.shape, data: v.dataSync() as Float32Array });
    const runner = await createOrtRunner(exportOnnx(s, weights), 1);
    const host: Record<string, HostTensor> = {};
    for (const [k, t] of Object.entries(inputs)) host[k] = { data: t.dataSync() as Float32Array, shape: t.shape };
    const got = await runner.run(host);
    for (const o of s.outputs) {
      const a = ref[o.name].dataSync(),
        b = got[o.name].data;
      expect(got[o.name].shape).toEqual(ref[o.name].shape);
      let maxDiff = 0,
        maxAbs = 0;
      for (let i = 0; i < a.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        maxAbs = Math.max(maxAbs, Math.abs(a[i]));
      }
      expect(maxAbs).toBeGreaterThan(0);
      expect(maxDiff / Math.max(1, maxAbs)).toBeLessThan(1e-4);
    }
    await runner.dispose();
    disposeModel(m);
    tf.dispose([...Object.values(inputs), ...Object.values(ref)]);
  });
});
