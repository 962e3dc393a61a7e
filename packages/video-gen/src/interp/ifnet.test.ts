/**
 * The IFNet-like graph (untrained): its FLOPs against a hand count, the composition of its
 * output from flows and mask on tfjs and the ONNX export (head biases set to a known flow),
 * and the onnxruntime engine's gradients against tfjs on a small input.
 */
import { countFlops, exportOnnx, createOrtRunner, loadOrt, Rng, mseLoss } from '@diffgan/core-models';
import { tf, initBackend, createModel, disposeModel, forward, gradientParity } from '@diffgan/core-models/train';
import type { LossEnv, HostBatch } from '@diffgan/core-models';
import { ifnetSpec, IFNET_CONFIG, IFNET_V2_CONFIG, IFNET_ALIGN } from './ifnet';
import { warmStartIfnet } from './ifnet-train';

const d = loadOrt() ? describe : describe.skip;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const spec = ifnetSpec();

test('FLOPs at 640x368 (640x360 padded to a multiple of 16) equal the hand count: 3.44 G', () => {
  expect(IFNET_ALIGN).toBe(16);
  // a 3x3 conv from ci to co channels over px pixels: 9·ci·co·px multiply-adds
  const mac = (px: number, ci: number, co: number) => 9 * ci * co * px,
    full = 368 * 640;
  // down0 at 1/(2·scale), down1, the residual convs and the head (20 channels) at 1/(4·scale)
  const block = (scale: number, c: number, convs: number, cin: number) => {
    const p = full / (scale * scale);
    return mac(p / 4, cin, c / 2) + mac(p / 16, c / 2, c) + convs * mac(p / 16, c, c) + mac(p / 16, c, 20);
  };
  const [b0, b1, b2] = IFNET_CONFIG.blocks;
  // block 0 reads i0, i1 (6 channels); later ones two warped frames, the mask and the flow (11)
  const convs = block(b0.scale, b0.channels, b0.convs, 6) + block(b1.scale, b1.channels, b1.convs, 11) + block(b2.scale, b2.channels, b2.convs, 11);
  const timeDense = b0.channels + b1.channels + b2.channels;
  expect(countFlops(spec, [368, 640])).toBe(2 * (convs + timeDense));
  expect(countFlops(spec, [368, 640])).toBe(3442360704);
});

test('v2 FLOPs at 640x368: v1 plus a block at scale 1 working at 1/2 (hand count)', () => {
  const mac = (px: number, ci: number, co: number) => 9 * ci * co * px,
    half = (368 * 640) / 4;
  // down0 (stride 2) from the 11 input channels to 16, down1 (stride 1) to 32, 3 residual convs, the head: all at 1/2
  const block3 = mac(half, 11, 16) + mac(half, 16, 32) + 3 * mac(half, 32, 32) + mac(half, 32, 20);
  expect(countFlops(ifnetSpec(IFNET_V2_CONFIG), [368, 640])).toBe(3442360704 + 2 * (block3 + 32));
  // the blocks' bilinear warps and v1's parameters are all there, by name
  const v2 = ifnetSpec(IFNET_V2_CONFIG);
  expect(v2.params.filter((p) => !p.name.startsWith('block3.')).map((p) => [p.name, p.shape])).toEqual(spec.params.map((p) => [p.name, p.shape]));
  expect(v2.nodes.filter((n) => n.op === 'warp').map((n) => (n.op === 'warp' ? (n.mode ?? 'bilinear') : ''))).toEqual([
    ...new Array(6).fill('bilinear'),
    'bicubic',
    'bicubic',
  ]);
});

test('v2 warm-started from v1 computes the same flow and mask as v1, and y = v1 with a bicubic final warp', () => {
  const h = 32,
    w = 48;
  const v1 = createModel(spec, 4),
    v2 = createModel(ifnetSpec(IFNET_V2_CONFIG), 9);
  // v1's heads have a small random init (gain 0.1): make its flows several pixels so the warps matter
  for (const [k, v] of v1.params) if (k.includes('.head.')) v.assign(v.mul(20));
  warmStartIfnet(v2, new Map([...v1.params].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync() as Float32Array }])));
  expect(Math.max(...(v2.params.get('block3.head.w')!.abs().dataSync() as Float32Array))).toBe(0);
  expect(Math.max(...(v2.params.get('block3.conv0.w')!.abs().dataSync() as Float32Array))).toBeGreaterThan(0);
  const feeds = () => ({
    i0: tf.tensor(frame(h, w, 0), [1, h, w, 3]),
    i1: tf.tensor(frame(h, w, 2), [1, h, w, 3]),
    t: tf.tensor([[0.4]]),
  });
  const out = (s: ReturnType<typeof ifnetSpec>, m: typeof v1) =>
    tf.tidy(() => {
      const o = forward(s, m.params, feeds());
      return { y: o.y.dataSync() as Float32Array, flow: o.flow.dataSync() as Float32Array, mask: o.mask.dataSync() as Float32Array };
    });
  const a = out(spec, v1),
    b = out(ifnetSpec(IFNET_V2_CONFIG), v2),
    bicubicV1 = out(ifnetSpec({ ...IFNET_CONFIG, finalWarp: 'bicubic' }), v1);
  const maxDiff = (x: Float32Array, y: Float32Array) => x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
  expect(Math.max(...Array.from(a.flow, Math.abs))).toBeGreaterThan(1);
  expect(maxDiff(a.flow, b.flow)).toBeLessThan(1e-5);
  expect(maxDiff(a.mask, b.mask)).toBeLessThan(1e-6);
  expect(maxDiff(bicubicV1.y, b.y)).toBeLessThan(1e-5);
  // and the final warp does change y
  expect(maxDiff(a.y, b.y)).toBeGreaterThan(1e-3);
  expect(() => warmStartIfnet(v1, new Map([['block3.head.w', { shape: [1], data: new Float32Array(1) }]]))).toThrow(/lacks/);
  disposeModel(v1);
  disposeModel(v2);
});

/** A smooth RGB pattern [1, h, w, 3]. */
const frame = (h: number, w: number, phase: number) =>
  Float32Array.from({ length: h * w * 3 }, (_, i) => {
    const p = Math.floor(i / 3),
      x = p % w,
      y = Math.floor(p / w);
    return 0.5 + 0.3 * Math.sin(0.4 * x + phase + (i % 3)) * Math.cos(0.3 * y);
  });

d('ifnet output composition', () => {
  test('heads zero but block 2 biases: flows (1, 0) and (-1, 0), mask logit ln 3: y = ¾·i0(x+1) + ¼·i1(x-1) on tfjs and the export', async () => {
    const h = 16,
      w = 32;
    const m = createModel(spec, 2);
    for (const [k, v] of m.params) if (k.includes('.head.')) v.assign(tf.zerosLike(v));
    // pixel shuffle (DCR): channel (phase·5 + c); the flow leaves the head scaled by 2·scale = 2
    const bias = new Float32Array(20);
    for (let p = 0; p < 4; p++) bias.set([0.5, 0, -0.5, 0, Math.log(3)], 5 * p);
    m.params.get('block2.head.b')!.assign(tf.tensor(bias));
    const i0 = frame(h, w, 0),
      i1 = frame(h, w, 1);
    const want = new Float32Array(h * w * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < 3; c++)
          want[(y * w + x) * 3 + c] = 0.75 * i0[(y * w + Math.min(x + 1, w - 1)) * 3 + c] + 0.25 * i1[(y * w + Math.max(x - 1, 0)) * 3 + c];
    const feeds = { i0: { data: i0, shape: [1, h, w, 3] }, i1: { data: i1, shape: [1, h, w, 3] }, t: { data: Float32Array.from([0.3]), shape: [1, 1] } };
    const tfjs = tf.tidy(() => {
      const out = forward(spec, m.params, { i0: tf.tensor(i0, [1, h, w, 3]), i1: tf.tensor(i1, [1, h, w, 3]), t: tf.tensor([[0.3]]) });
      return { y: out.y.dataSync() as Float32Array, flow: out.flow.dataSync() as Float32Array, mask: out.mask.dataSync() as Float32Array };
    });
    const weights = new Map([...m.params].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync() as Float32Array }]));
    const runner = await createOrtRunner(exportOnnx(spec, weights), 1);
    const exported = await runner.run(feeds);
    await runner.dispose();
    disposeModel(m);
    expect(exported.y.shape).toEqual([1, h, w, 3]);
    expect(exported.flow.shape).toEqual([1, h, w, 4]);
    for (const y of [tfjs.y, exported.y.data]) {
      let worst = 0;
      y.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want[i]))));
      expect(worst).toBeLessThan(1e-5);
    }
    expect(Array.from(tfjs.flow.slice(0, 4)).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([1, 0, -1, 0]);
    expect(Math.abs(exported.mask.data[0] - 0.75)).toBeLessThan(1e-6);
  });
});

d('ifnet training on the engine', () => {
  test.each([
    ['v1', spec],
    ['v2', ifnetSpec(IFNET_V2_CONFIG)],
  ])(
    '%s: engine gradients equal tfjs autodiff on 2 x 32 x 48 (1e-3 relative)',
    async (_name, net) => {
      const rng = new Rng(31);
      const shape = [2, 32, 48, 3],
        len = 2 * 32 * 48 * 3;
      // random frames; the untrained heads (gain 0.1) give flows of a fraction of a pixel
      const shard: HostBatch = {
        i0: { data: Float32Array.from(rng.normalArray(len), (v) => 0.5 + 0.1 * v), shape },
        i1: { data: Float32Array.from(rng.normalArray(len), (v) => 0.5 + 0.1 * v), shape },
        t: { data: Float32Array.from([0.25, 0.6]), shape: [2, 1] },
      };
      const target = Float32Array.from(rng.normalArray(len), (v) => 0.5 + 0.1 * v);
      const objective = <T>(e: LossEnv<T>): T =>
        mseLoss(e.ops, e.run('g', { i0: e.input('i0'), i1: e.input('i1'), t: e.input('t') }), e.ops.constant(target, shape));
      const m = createModel(net, 3);
      const r = await gradientParity({ g: m }, objective, 'g', shard, 1);
      disposeModel(m);
      expect(r.params).toBe(net.params.length);
      expect(Math.abs(r.ortLoss - r.tfjsLoss) / r.tfjsLoss).toBeLessThan(1e-5);
      if (r.worstRelative >= 1e-3) throw new Error(`${r.worstParam}: relative gradient error ${r.worstRelative}`);
    },
    60000,
  );
});
