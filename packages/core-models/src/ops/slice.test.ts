/**
 * g.slice (channels [from, to) of an image or vector) on tfjs, the onnxruntime training engine
 * and the inference export: hand-computed values, the gradient (the slice's cotangent padded
 * with zeros), and a head whose one conv gives a flow and a mask (IFNet's layout) in parity.
 */
import { tf } from '../tf';
import { initBackend } from '../backend';
import { GraphBuilder, GraphSpec } from '../graph';
import { createModel, disposeModel, forward } from '../model';
import { receptiveRadius, countFlops } from './table';
import { Rng } from '../rng';
import { IrGraph } from '../engine/ir';
import { OnnxOps } from '../engine/onnx-ops';
import { graphParity, parityProblem } from '../engine/parity';
import { forwardWith } from './table';
import { exportOnnx } from '../onnx/export';
import { createOrtRunner, loadOrt } from '../onnx/runner';
import type { OrtModule } from '../onnx/ort-session';
import type { HostBatch } from '../engine/objective';

const ort = loadOrt();
const d = ort ? describe : describe.skip;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const sliceSpec = (kind: 'image' | 'vector', c: number, from: number, to: number): GraphSpec => {
  const g = new GraphBuilder('slice');
  g.output('y', g.slice(g.input('x', kind, c), from, to));
  return g.build();
};

/** [1, 2, 2, 5]: pixel p, channel c holds 10p + c */
const x5 = { data: Float32Array.from({ length: 20 }, (_, i) => 10 * Math.floor(i / 5) + (i % 5)), shape: [1, 2, 2, 5] };

d('slice: hand-computed values and gradient on every runtime', () => {
  test('image channels [1, 4): tfjs, the engine and the export', async () => {
    const want = [1, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33];
    const spec = sliceSpec('image', 5, 1, 4);
    const tfjs = tf.tidy(() => forward(spec, new Map(), { x: tf.tensor(x5.data, x5.shape) }).y.dataSync() as Float32Array);
    expect(Array.from(tfjs)).toEqual(want);
    const runner = await createOrtRunner(exportOnnx(spec, new Map()), 1);
    const exported = (await runner.run({ x: x5 })).y;
    await runner.dispose();
    expect(exported.shape).toEqual([1, 2, 2, 3]);
    expect(Array.from(exported.data)).toEqual(want);

    // the engine: forward and the gradient of sum(y · r), which is r in channels 1..3 and 0 in 0 and 4
    const g = new IrGraph(),
      o = new OnnxOps(g);
    const a = o.input('x', x5.shape);
    const y = forwardWith(
      o,
      spec,
      () => {
        throw new Error('no params');
      },
      { x: a },
    ).y;
    const r = Float32Array.from({ length: 12 }, (_, i) => i + 1);
    const [ga] = g.grad(o.sum(o.mul(y, o.constant(r, [1, 2, 2, 3]))).id, [a.id]);
    const { model, inputNames } = g.toOnnx([
      { name: 'y', id: o.physical(y, [0, 1, 2, 3]) },
      { name: 'dx', id: ga },
    ]);
    const O = ort as unknown as OrtModule;
    const session = await O.InferenceSession.create(model);
    const host: Record<string, { data: Float32Array; shape: number[] }> = { x: x5, ...Object.fromEntries(o.feeds) };
    const out = await session.run(Object.fromEntries(inputNames.map((n) => [n, new O.Tensor('float32', host[n].data, host[n].shape)])));
    await session.release();
    expect(Array.from(out.y.data as Float32Array)).toEqual(want);
    expect(Array.from(out.dx.data as Float32Array)).toEqual([0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 7, 8, 9, 0, 0, 10, 11, 12, 0]);
    const [gt] = tf.grads((v: tf.Tensor) =>
      forward(spec, new Map(), { x: v })
        .y.mul(tf.tensor(r, [1, 2, 2, 3]))
        .sum(),
    )([tf.tensor(x5.data, x5.shape)]);
    expect(Array.from(gt.dataSync())).toEqual(Array.from(out.dx.data as Float32Array));
    gt.dispose();
  });

  test('vector channels [2, 3) on tfjs and the export', async () => {
    const v = { data: Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]), shape: [2, 4] };
    const spec = sliceSpec('vector', 4, 2, 3);
    const tfjs = tf.tidy(() => forward(spec, new Map(), { x: tf.tensor(v.data, v.shape) }).y);
    expect(tfjs.shape).toEqual([2, 1]);
    expect(Array.from(tfjs.dataSync())).toEqual([2, 12]);
    tfjs.dispose();
    const runner = await createOrtRunner(exportOnnx(spec, new Map()), 1);
    const exported = (await runner.run({ x: v })).y;
    await runner.dispose();
    expect(exported.shape).toEqual([2, 1]);
    expect(Array.from(exported.data)).toEqual([2, 12]);
  });
});

/** a head: one conv gives 4 flow channels (two flows) and a mask; out = m·warp(a, F0) + (1 - m)·warp(b, F1) */
const headNet = (() => {
  const g = new GraphBuilder('head');
  const a = g.input('a', 'image', 3),
    b = g.input('b', 'image', 3);
  const out = g.conv(g.concat([a, b]), 5, { name: 'head' });
  const flow = g.slice(out, 0, 4),
    mask = g.act(g.slice(out, 4, 5), 'sigmoid');
  const wa = g.warp(a, g.slice(flow, 0, 2)),
    wb = g.warp(b, g.slice(flow, 2, 4));
  const m3 = g.conv(mask, 3, { k: 1, bias: false, name: 'spread' });
  g.output('y', g.add(g.mul(m3, wa), g.mul(g.scale(m3, -1), wb)));
  return g.build();
})();

d('slice in a graph: a flow + mask head', () => {
  test('engine gradients equal tfjs autodiff (1e-4 relative); the export equals tfjs at run-time sizes', async () => {
    const rng = new Rng(29);
    const shape = [2, 6, 7, 3],
      len = 2 * 6 * 7 * 3;
    const shard: HostBatch = { a: { data: rng.normalArray(len), shape }, b: { data: rng.normalArray(len), shape } };
    const r = await graphParity(headNet, shard);
    expect(r.params).toBe(3);
    expect(parityProblem(r, 1e-4)).toBeNull();

    const m = createModel(headNet, 3);

    const weights = new Map([...m.params].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync() as Float32Array }]));
    const runner = await createOrtRunner(exportOnnx(headNet, weights), 1);
    const got = await runner.run({ a: shard.a, b: shard.b });
    const ref = tf.tidy(
      () => forward(headNet, m.params, { a: tf.tensor(shard.a.data, shape), b: tf.tensor(shard.b.data, shape) }).y.dataSync() as Float32Array,
    );
    await runner.dispose();
    disposeModel(m);
    expect(got.y.shape).toEqual(shape);
    let worst = 0;
    ref.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - got.y.data[i]))));
    expect(worst).toBeLessThan(1e-4);
  });
});

test('slice keeps the receptive field and counts no FLOPs; the builder refuses empty or out-of-range channels and scalars', () => {
  const c = new GraphBuilder('conv_slice');
  c.output('y', c.slice(c.conv(c.input('x', 'image', 2), 5, { name: 'c' }), 1, 4));
  // a 3x3 conv's radius 1 passes through; only the conv's 2 -> 5 channels count
  expect(receptiveRadius(c.build())).toBe(1);
  expect(countFlops(c.build(), [4, 4])).toBe(2 * 16 * 9 * 2 * 5);
  const g = new GraphBuilder('bad'),
    x = g.input('x', 'image', 5);
  for (const [a, b] of [
    [2, 2],
    [3, 1],
    [-1, 2],
    [0, 6],
    [0.5, 2],
  ])
    expect(() => g.slice(x, a, b)).toThrow(/non-empty range/);
  expect(() => g.slice(g.input('t', 'scalar'), 0, 1)).toThrow(/image or a vector/);
  expect(g.slice(x, 4, 5).channels).toBe(1);
});
