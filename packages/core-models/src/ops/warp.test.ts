/**
 * g.warp (backward warping, RIFE's grid_sample convention; bilinear and bicubic) on all three runtimes: tfjs (custom
 * gradient), the onnxruntime training engine (GatherElements / ScatterElements composition)
 * and the inference export (the same composition, sizes read at run time). Hand-computed
 * values, a float64 reference with finite differences for both gradients, runtime parity,
 * receptive radius, and a tiny training run that learns a shift.
 */
import { tf } from '../tf';
import { initBackend } from '../backend';
import { GraphBuilder, GraphSpec, WarpMode } from '../graph';
import { createModel, disposeModel } from '../model';
import { receptiveRadius, countFlops } from './table';
import { Rng } from '../rng';
import { IrGraph } from '../engine/ir';
import { OnnxOps } from '../engine/onnx-ops';
import { exportParity, graphParity, parityProblem } from '../engine/parity';
import { OrtEngine } from '../engine/ort-step';
import { exportOnnx } from '../onnx/export';
import { createOrtRunner, loadOrt } from '../onnx/runner';
import type { OrtModule } from '../onnx/ort-session';
import type { LossEnv, HostBatch } from '../engine/objective';
import { Adam } from '../train/adam';
import { tfOps } from './tfjs-ops';

const ort = loadOrt();
const d = ort ? describe : describe.skip;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

interface Img {
  data: Float32Array;
  shape: number[];
}

/** Keys' cubic kernel, a = -0.75, at distance x (written out here, independent of ops/cubic-weights.ts) */
function keys(x: number): number {
  const a = -0.75,
    d = Math.abs(x);
  if (d <= 1) return (a + 2) * d ** 3 - (a + 3) * d ** 2 + 1;
  return d < 2 ? a * d ** 3 - 5 * a * d ** 2 + 8 * a * d - 4 * a : 0;
}

/**
 * float64 reference: bilinear at (x + fx, y + fy), coordinates clamped to [0, size - 1]; bicubic:
 * the same clamped coordinate, Keys' weights on the 4x4 taps floor - 1 .. floor + 2, each tap clamped.
 */
function warpRef(
  img: { data: ArrayLike<number>; shape: number[] },
  flow: { data: ArrayLike<number>; shape: number[] },
  mode: WarpMode = 'bilinear',
): Float64Array {
  if (mode === 'bicubic') return bicubicRef(img, flow);
  const [n, h, w, c] = img.shape,
    out = new Float64Array(n * h * w * c);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const p = (b * h + y) * w + x;
        const sx = Math.min(Math.max(x + flow.data[2 * p], 0), w - 1),
          sy = Math.min(Math.max(y + flow.data[2 * p + 1], 0), h - 1);
        const x0 = Math.floor(sx),
          y0 = Math.floor(sy),
          x1 = Math.min(x0 + 1, w - 1),
          y1 = Math.min(y0 + 1, h - 1),
          ax = sx - x0,
          ay = sy - y0;
        const at = (yy: number, xx: number, ch: number) => img.data[((b * h + yy) * w + xx) * c + ch];
        for (let ch = 0; ch < c; ch++)
          out[p * c + ch] = (1 - ay) * ((1 - ax) * at(y0, x0, ch) + ax * at(y0, x1, ch)) + ay * ((1 - ax) * at(y1, x0, ch) + ax * at(y1, x1, ch));
      }
  return out;
}

function bicubicRef(img: { data: ArrayLike<number>; shape: number[] }, flow: { data: ArrayLike<number>; shape: number[] }): Float64Array {
  const [n, h, w, c] = img.shape,
    out = new Float64Array(n * h * w * c);
  const clamp = (v: number, size: number) => Math.min(Math.max(v, 0), size - 1);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const p = (b * h + y) * w + x;
        const sx = clamp(x + flow.data[2 * p], w),
          sy = clamp(y + flow.data[2 * p + 1], h);
        const x0 = Math.floor(sx),
          y0 = Math.floor(sy);
        for (let j = -1; j <= 2; j++)
          for (let i = -1; i <= 2; i++) {
            const wgt = keys(sx - (x0 + i)) * keys(sy - (y0 + j)),
              q = (b * h + clamp(y0 + j, h)) * w + clamp(x0 + i, w);
            for (let ch = 0; ch < c; ch++) out[p * c + ch] += wgt * img.data[q * c + ch];
          }
      }
  return out;
}

const warpSpec = (c: number, mode: WarpMode = 'bilinear'): GraphSpec => {
  const g = new GraphBuilder('warp');
  g.output('y', g.warp(g.input('image', 'image', c), g.input('flow', 'image', 2), { mode }));
  return g.build();
};

/** tfjs forward */
function tfjsWarp(img: Img, flow: Img, mode: WarpMode = 'bilinear'): Float32Array {
  return tf.tidy(() => tfOps.warp(tf.tensor(img.data, img.shape), tf.tensor(flow.data, flow.shape), mode).dataSync() as Float32Array);
}

/** tfjs gradients of sum(warp(image, flow) · r) */
function tfjsGrads(img: Img, flow: Img, r: Float32Array, mode: WarpMode = 'bilinear'): { dImage: Float32Array; dFlow: Float32Array } {
  const [ga, gf] = tf.grads((a: tf.Tensor, f: tf.Tensor) => tfOps.warp(a, f, mode).mul(tf.tensor(r, img.shape)).sum())([
    tf.tensor(img.data, img.shape),
    tf.tensor(flow.data, flow.shape),
  ]);
  const out = { dImage: ga.dataSync() as Float32Array, dFlow: gf.dataSync() as Float32Array };
  tf.dispose([ga, gf]);
  return out;
}

/**
 * The engine's warp as one ONNX graph: outputs the warped image and, for a loss sum(out · r),
 * the engine's vjp w.r.t. image and flow (static shapes: the GatherElements / ScatterElements composition).
 */
async function engineWarp(
  img: Img,
  flow: Img,
  r?: Float32Array,
  mode: WarpMode = 'bilinear',
): Promise<{ y: Float32Array; dImage: Float32Array; dFlow: Float32Array }> {
  const g = new IrGraph(),
    o = new OnnxOps(g);
  const a = o.input('image', img.shape),
    f = o.input('flow', flow.shape);
  const y = o.warp(a, f, mode);
  const weights = r ?? new Float32Array(img.data.length).fill(1);
  const loss = o.sum(o.mul(y, o.constant(weights, img.shape)));
  const [ga, gf] = g.grad(loss.id, [a.id, f.id]);
  const { model, inputNames } = g.toOnnx([
    { name: 'y', id: o.physical(y, [0, 1, 2, 3]) },
    { name: 'dImage', id: ga },
    { name: 'dFlow', id: gf },
  ]);
  // training: GatherElements forward, ScatterElements 'add' backward, no GridSample
  expect(['GatherElements', 'ScatterElements', 'GridSample'].map((op) => Buffer.from(model).includes(op))).toEqual([true, true, false]);
  const O = ort as unknown as OrtModule;
  const session = await O.InferenceSession.create(model);
  const feeds: Record<string, InstanceType<OrtModule['Tensor']>> = {};
  const host: Record<string, Img> = { image: img, flow, ...Object.fromEntries([...o.feeds].map(([k, v]) => [k, v])) };
  for (const name of inputNames) feeds[name] = new O.Tensor('float32', host[name].data, host[name].shape);
  const out = await session.run(feeds);
  await session.release();
  return { y: out.y.data as Float32Array, dImage: out.dImage.data as Float32Array, dFlow: out.dFlow.data as Float32Array };
}

/** The inference export (sizes known at run time only) on onnxruntime-node. */
async function exportedWarp(img: Img, flow: Img, mode: WarpMode = 'bilinear'): Promise<Float32Array> {
  const model = exportOnnx(warpSpec(img.shape[3], mode), new Map());
  // the same composition as training, sizes read at run time
  expect(['GatherElements', 'Range', 'GridSample'].map((op) => Buffer.from(model).includes(op))).toEqual([true, true, false]);
  const runner = await createOrtRunner(model, 1);
  const out = await runner.run({ image: img, flow });
  await runner.dispose();
  expect(out.y.shape).toEqual(img.shape);
  return out.y.data;
}

/** Every runtime's forward on one case. */
async function allRuntimes(img: Img, flow: Img, mode: WarpMode = 'bilinear'): Promise<Record<string, Float32Array>> {
  return { tfjs: tfjsWarp(img, flow, mode), engine: (await engineWarp(img, flow, undefined, mode)).y, export: await exportedWarp(img, flow, mode) };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** a 1 x 3 x 4 single-channel image with values 10·y + x */
const ramp: Img = { data: Float32Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4)), shape: [1, 3, 4, 1] };
const constFlow = (n: number, h: number, w: number, fx: number, fy: number): Img => ({
  data: Float32Array.from({ length: n * h * w * 2 }, (_, i) => (i % 2 ? fy : fx)),
  shape: [n, h, w, 2],
});

d('warp: hand-computed values on tfjs, the engine and the export', () => {
  const cases: [string, Img, number[]][] = [
    ['zero flow = identity', constFlow(1, 3, 4, 0, 0), Array.from(ramp.data)],
    // out(x, y) = in(x + 1, y); the last column reads x = 4, clamped to 3
    ['integer flow (+1, 0) = shift left, edge repeated', constFlow(1, 3, 4, 1, 0), [1, 2, 3, 3, 11, 12, 13, 13, 21, 22, 23, 23]],
    ['integer flow (0, -1) = shift down, top row repeated', constFlow(1, 3, 4, 0, -1), [0, 1, 2, 3, 0, 1, 2, 3, 10, 11, 12, 13]],
    // half a pixel right: the mean of the two neighbours (the last column clamps to itself)
    ['half-pixel flow = average of neighbours', constFlow(1, 3, 4, 0.5, 0), [0.5, 1.5, 2.5, 3, 10.5, 11.5, 12.5, 13, 20.5, 21.5, 22.5, 23]],
    ['half-pixel in y', constFlow(1, 3, 4, 0, 0.5), [5, 6, 7, 8, 15, 16, 17, 18, 20, 21, 22, 23]],
    // (0.25, 1.5) from (0, 0): rows 1 and 2 halfway, columns 0 and 1 at a quarter: 15 + 0.25
    ['bilinear (0.25, 1.5)', constFlow(1, 3, 4, 0.25, 1.5), [15.25, 16.25, 17.25, 18, 20.25, 21.25, 22.25, 23, 20.25, 21.25, 22.25, 23]],
    ['far outside clamps to the border', constFlow(1, 3, 4, -10, 7), [20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20]],
  ];
  test.each(cases)('%s', async (_n, flow, want) => {
    const got = await allRuntimes(ramp, flow);
    for (const [runtime, y] of Object.entries(got)) {
      if (maxDiff(y, want) > 1e-4) throw new Error(`${runtime}: got [${Array.from(y)}], want [${want}]`);
    }
  });

  test.each([
    [2, 5, 7, 3],
    [1, 1, 6, 2],
    [3, 4, 1, 1],
  ])('per-pixel flow, %i x %i x %i x %i: every runtime equals the float64 reference', async (n, h, w, c) => {
    const rng = new Rng(3 + h);
    const img = { data: rng.normalArray(n * h * w * c), shape: [n, h, w, c] };
    const flow = { data: rng.normalArray(n * h * w * 2).map((v) => 3 * v), shape: [n, h, w, 2] };
    const ref = warpRef(img, flow);
    for (const [runtime, y] of Object.entries(await allRuntimes(img, flow)))
      if (maxDiff(y, ref) > 1e-5) throw new Error(`${runtime}: max diff ${maxDiff(y, ref)}`);
  });
});

d('warp: gradients (finite differences, the engine vjp, tfjs)', () => {
  // fractions in [0.2, 0.8] and sources inside the image: away from where bilinear is not differentiable
  const rng = new Rng(7),
    n = 2,
    h = 5,
    w = 6,
    c = 2;
  const img = { data: rng.normalArray(n * h * w * c), shape: [n, h, w, c] };
  const flow = {
    data: Float32Array.from({ length: n * h * w * 2 }, (_, i) => {
      const p = i >> 1,
        pos = i % 2 ? Math.floor(p / w) % h : p % w,
        size = i % 2 ? h : w;
      const target = 0.2 + rng.uniform() * 0.6 + Math.floor(rng.uniform() * (size - 1)); // within [0.2, size - 1.2]
      return target - pos;
    }),
    shape: [n, h, w, 2],
  };
  const r = rng.normalArray(n * h * w * c);
  const lossOf = (im: ArrayLike<number>, fl: ArrayLike<number>) =>
    warpRef({ data: im, shape: img.shape }, { data: fl, shape: flow.shape }).reduce((s, v, i) => s + v * r[i], 0);
  const fd = (which: 'image' | 'flow'): Float64Array => {
    const base = which === 'image' ? img : flow,
      out = new Float64Array(base.data.length),
      eps = 1e-3;
    for (let i = 0; i < base.data.length; i++) {
      const plus = Float64Array.from(base.data),
        minus = Float64Array.from(base.data);
      plus[i] += eps;
      minus[i] -= eps;
      const at = (v: Float64Array) => (which === 'image' ? lossOf(v, flow.data) : lossOf(img.data, v));
      out[i] = (at(plus) - at(minus)) / (2 * eps);
    }
    return out;
  };
  test('image and flow gradients: engine and tfjs equal finite differences (1e-3)', async () => {
    const fdImage = fd('image'),
      fdFlow = fd('flow');
    const engine = await engineWarp(img, flow, r),
      tfjs = tfjsGrads(img, flow, r);
    expect(Math.max(...Array.from(fdFlow, Math.abs))).toBeGreaterThan(0.1);
    for (const [name, got] of Object.entries({ engine, tfjs })) {
      if (maxDiff(got.dImage, fdImage) > 1e-3) throw new Error(`${name} image gradient: max diff ${maxDiff(got.dImage, fdImage)}`);
      if (maxDiff(got.dFlow, fdFlow) > 1e-3) throw new Error(`${name} flow gradient: max diff ${maxDiff(got.dFlow, fdFlow)}`);
    }
    expect(maxDiff(engine.dImage, tfjs.dImage)).toBeLessThan(1e-5);
    expect(maxDiff(engine.dFlow, tfjs.dFlow)).toBeLessThan(1e-5);
  });

  test('a clamped coordinate gets no flow gradient; its image gradient lands on the border pixel', async () => {
    // every pixel reads 10 px left of the image: x clamps to column 0, y (flow 0.5) stays inside but for the last row
    const f = constFlow(1, 3, 4, -10, 0.5),
      ones = new Float32Array(12).fill(1);
    for (const got of [await engineWarp(ramp, f, ones), tfjsGrads(ramp, f, ones)]) {
      const dfx = Array.from(got.dFlow).filter((_, i) => i % 2 === 0),
        dfy = Array.from(got.dFlow).filter((_, i) => i % 2 === 1);
      // unclamped, column 0's derivative would be in(1) - in(0) = 1
      expect(dfx).toEqual(new Array(12).fill(0));
      // y: d/dy of 10·y = 10 for rows 0 and 1; row 2 reads y = 2.5, clamped: 0
      expect(dfy.map((v) => Math.round(v * 1e4) / 1e4)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 0, 0, 0, 0]);
      // each output puts weight 1 on column 0, split between rows: rows 0 and 1 half/half, row 2 all on row 2
      expect(Array.from(got.dImage).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([2, 0, 0, 0, 4, 0, 0, 0, 6, 0, 0, 0]);
    }
  });

  test('a coordinate exactly on the border gets no flow gradient either (PyTorch border semantics)', async () => {
    const f = constFlow(1, 3, 4, 0, 0),
      ones = new Float32Array(12).fill(1);
    for (const got of [await engineWarp(ramp, f, ones), tfjsGrads(ramp, f, ones)]) {
      const dfx = Array.from(got.dFlow).filter((_, i) => i % 2 === 0),
        dfy = Array.from(got.dFlow).filter((_, i) => i % 2 === 1);
      // inside: in(x + 1) - in(x) = 1 and in(y + 1) - in(y) = 10; on the first and last column / row: 0
      expect(dfx).toEqual([0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0]);
      expect(dfy).toEqual([0, 0, 0, 0, 10, 10, 10, 10, 0, 0, 0, 0]);
      expect(Array.from(got.dImage)).toEqual(new Array(12).fill(1));
    }
  });
});

// Keys' weights (a = -0.75) by hand: at fraction 1/2 the taps at distances 1.5, 0.5, 0.5, 1.5 weigh
// -3/32, 19/32, 19/32, -3/32; at 1/4 (distances 1.25, 0.25, 0.75, 1.75): -27/256, 225/256, 67/256, -9/256
const HALF = [-3 / 32, 19 / 32, 19 / 32, -3 / 32],
  QUARTER = [-27 / 256, 225 / 256, 67 / 256, -9 / 256];

d('bicubic warp: hand-computed values on tfjs, the engine and the export', () => {
  /** a 1 x 5 x 6 image, 1 at (x 2, y 2), 0 elsewhere */
  const impulse: Img = { data: Float32Array.from({ length: 30 }, (_, i) => (i === 2 * 6 + 2 ? 1 : 0)), shape: [1, 5, 6, 1] };
  // out(x) = in(x + 1/2): output x reads the impulse through the tap at distance |2 - x - 1/2|; x = 4 and 5 have no tap on it
  const halfRow = [HALF[3], HALF[2], HALF[1], HALF[0], 0, 0];
  // out(y) = in(y + 1/4): output y = 0 reaches it through its last tap, y = 3 through its first; y = 4 clamps to itself
  const quarterColumn = [QUARTER[3], QUARTER[2], QUARTER[1], QUARTER[0], 0];
  const cases: [string, Img, Img, number[]][] = [
    ['integer flow (+1, 0) = exact shift left, edge repeated', ramp, constFlow(1, 3, 4, 1, 0), [1, 2, 3, 3, 11, 12, 13, 13, 21, 22, 23, 23]],
    ['integer flow (0, -1) = exact shift down, top row repeated', ramp, constFlow(1, 3, 4, 0, -1), [0, 1, 2, 3, 0, 1, 2, 3, 10, 11, 12, 13]],
    [
      'half-pixel x shift of an impulse = Keys weights',
      impulse,
      constFlow(1, 5, 6, 0.5, 0),
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...halfRow, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ],
    [
      "(1/2, 1/4) shift of an impulse = the outer product of both axes' weights",
      impulse,
      constFlow(1, 5, 6, 0.5, 0.25),
      quarterColumn.flatMap((wy) => halfRow.map((wx) => wx * wy)),
    ],
    // row 0 of the ramp (0 1 2 3), x + 1/2: column 0's tap at -1 clamps to column 0 (0·-3/32 + 0·19/32 + 1·19/32 + 2·-3/32 = 13/32),
    // columns 1 reads 0 1 2 3 (a line: 1.5 exactly), column 2 reads 1 2 3 3 (83/32), column 3 clamps to x = 3
    [
      'half-pixel x shift of a ramp: the border taps clamped',
      ramp,
      constFlow(1, 3, 4, 0.5, 0),
      [0, 10, 20].flatMap((r) => [13 / 32, 1.5, 83 / 32, 3].map((v) => v + r)),
    ],
    ['far outside clamps to the border', ramp, constFlow(1, 3, 4, -10, 7), new Array(12).fill(20)],
  ];
  test.each(cases)('%s', async (_n, img, flow, want) => {
    const got = await allRuntimes(img, flow, 'bicubic');
    for (const [runtime, y] of Object.entries(got)) {
      if (maxDiff(y, want) > 1e-5) throw new Error(`${runtime}: got [${Array.from(y)}], want [${want}]`);
    }
  });

  test.each([
    [2, 5, 7, 3],
    [1, 1, 6, 2],
    [3, 4, 1, 1],
  ])('per-pixel flow, %i x %i x %i x %i: every runtime equals the float64 reference', async (n, h, w, c) => {
    const rng = new Rng(5 + h);
    const img = { data: rng.normalArray(n * h * w * c), shape: [n, h, w, c] };
    const flow = { data: rng.normalArray(n * h * w * 2).map((v) => 3 * v), shape: [n, h, w, 2] };
    const ref = warpRef(img, flow, 'bicubic');
    expect(maxDiff(ref, warpRef(img, flow))).toBeGreaterThan(0.05);
    for (const [runtime, y] of Object.entries(await allRuntimes(img, flow, 'bicubic')))
      if (maxDiff(y, ref) > 1e-5) throw new Error(`${runtime}: max diff ${maxDiff(y, ref)}`);
  });

  test('image and flow gradients: engine and tfjs equal finite differences of the reference (1e-3) and each other', async () => {
    // sources anywhere inside the image (Keys' kernel is C1, so integer positions are no kinks); clamped ones outside
    const rng = new Rng(17),
      n = 2,
      h = 6,
      w = 5,
      c = 2;
    const img = { data: rng.normalArray(n * h * w * c), shape: [n, h, w, c] };
    const flow = { data: rng.normalArray(n * h * w * 2).map((v) => 1.5 * v), shape: [n, h, w, 2] };
    const r = rng.normalArray(n * h * w * c);
    const lossOf = (im: ArrayLike<number>, fl: ArrayLike<number>) =>
      warpRef({ data: im, shape: img.shape }, { data: fl, shape: flow.shape }, 'bicubic').reduce((sum, v, i) => sum + v * r[i], 0);
    const fd = (base: Img, at: (v: Float64Array) => number): Float64Array =>
      Float64Array.from(base.data, (_, i) => {
        const plus = Float64Array.from(base.data),
          minus = Float64Array.from(base.data);
        plus[i] += 1e-4;
        minus[i] -= 1e-4;
        return (at(plus) - at(minus)) / 2e-4;
      });
    const fdImage = fd(img, (v) => lossOf(v, flow.data)),
      fdFlow = fd(flow, (v) => lossOf(img.data, v));
    expect(Math.max(...Array.from(fdFlow, Math.abs))).toBeGreaterThan(0.1);
    const engine = await engineWarp(img, flow, r, 'bicubic'),
      tfjs = tfjsGrads(img, flow, r, 'bicubic');
    for (const [name, got] of Object.entries({ engine, tfjs })) {
      if (maxDiff(got.dImage, fdImage) > 1e-3) throw new Error(`${name} image gradient: max diff ${maxDiff(got.dImage, fdImage)}`);
      if (maxDiff(got.dFlow, fdFlow) > 1e-3) throw new Error(`${name} flow gradient: max diff ${maxDiff(got.dFlow, fdFlow)}`);
    }
    expect(maxDiff(engine.dImage, tfjs.dImage)).toBeLessThan(1e-5);
    expect(maxDiff(engine.dFlow, tfjs.dFlow)).toBeLessThan(1e-5);
  });

  test('a net with a bicubic warp: engine gradients equal tfjs autodiff, the export equals the tfjs forward', async () => {
    const g = new GraphBuilder('flow_net_bicubic');
    const x = g.input('x', 'image', 3);
    const flow = g.scale(g.conv(x, 2, { name: 'flow' }), 2);
    g.output('y', g.conv(g.warp(g.conv(x, 4, { name: 'feat' }), flow, { mode: 'bicubic' }), 3, { name: 'out' }));
    const spec = g.build();
    const xs = { data: new Rng(12).normalArray(2 * 7 * 9 * 3), shape: [2, 7, 9, 3] };
    const r = await graphParity(spec, { x: xs });
    expect(r.params).toBe(6);
    expect(parityProblem(r, 1e-4)).toBeNull();
    const m = createModel(spec, 5);
    const weights = new Map([...m.params].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync() as Float32Array }]));
    const runner = await createOrtRunner(exportOnnx(spec, weights), 1);
    const ref = tf.tidy(() => {
      const p = m.params,
        xt = tf.tensor(xs.data, xs.shape);
      const fl = tfOps.conv2d(xt, p.get('flow.w')!, 1, p.get('flow.b')!).mul(2);
      const feat = tfOps.conv2d(xt, p.get('feat.w')!, 1, p.get('feat.b')!);
      return tfOps.conv2d(tfOps.warp(feat, fl, 'bicubic'), p.get('out.w')!, 1, p.get('out.b')!).dataSync() as Float32Array;
    });
    const got = await runner.run({ x: xs });
    await runner.dispose();
    disposeModel(m);
    expect(maxDiff(got.y.data, ref)).toBeLessThan(1e-4);
  });
});

/** conv features warped by a conv-predicted flow: gradients reach every parameter through both warp inputs */
const flowNet = (() => {
  const g = new GraphBuilder('flow_net');
  const x = g.input('x', 'image', 3);
  const flow = g.scale(g.conv(x, 2, { name: 'flow' }), 2);
  g.output('y', g.conv(g.warp(g.conv(x, 4, { name: 'feat' }), flow), 3, { name: 'out' }));
  return g.build();
})();

d('warp in a graph: runtime parity', () => {
  test('engine gradients equal tfjs autodiff for a net whose flow is a conv output (1e-4 relative)', async () => {
    const shard: HostBatch = { x: { data: new Rng(11).normalArray(2 * 7 * 9 * 3), shape: [2, 7, 9, 3] } };
    const r = await graphParity(flowNet, shard);
    expect(r.params).toBe(6);
    expect(parityProblem(r, 1e-4)).toBeNull();
  });

  test('the exported graph equals the tfjs forward, sizes given at run time', async () => {
    const diff = await exportParity(
      flowNet,
      [
        [1, 6, 10],
        [3, 11, 5],
      ],
      (x, p) => {
        const flow = tfOps.conv2d(x, p.get('flow.w')!, 1, p.get('flow.b')!).mul(2);
        const feat = tfOps.conv2d(x, p.get('feat.w')!, 1, p.get('feat.b')!);
        return tfOps.conv2d(tfOps.warp(feat, flow), p.get('out.w')!, 1, p.get('out.b')!);
      },
    );
    expect(diff).toBeLessThan(1e-4);
  });
});

test('a warp makes the receptive radius unbounded (tiling cannot be exact); no FLOPs counted', () => {
  expect(receptiveRadius(flowNet)).toBe(Infinity);
  const noWarp = new GraphBuilder('no_warp');
  const x = noWarp.input('x', 'image', 3);
  noWarp.output('y', noWarp.conv(noWarp.conv(x, 4, { name: 'feat' }), 3, { name: 'out' }));
  expect(receptiveRadius(noWarp.build())).toBe(2);
  // the same convs as flowNet: the warp adds nothing to the count
  expect(countFlops(flowNet, [8, 8])).toBe(2 * 64 * 9 * (3 * 2 + 3 * 4 + 4 * 3));
});

test('graph builder: the flow must have 2 channels', () => {
  const g = new GraphBuilder('bad');
  expect(() => g.warp(g.input('a', 'image', 3), g.input('f', 'image', 3))).toThrow(/2 channels/);
});

d('warp: learning a constant flow', () => {
  test('the engine learns the shift that aligns two images (loss falls 100x, flow within 0.05 px)', async () => {
    // a smooth 16 x 16 image and the same image moved by (1.5, -0.75) px (bilinear, so the optimum is exact)
    const h = 16,
      w = 16,
      shift = [1.5, -0.75];
    const blob = (x: number, y: number) => Math.exp(-((x - 7) ** 2 + (y - 8) ** 2) / 18) + 0.5 * Math.exp(-((x - 11) ** 2 + (y - 4) ** 2) / 8);
    const a = Float32Array.from({ length: h * w }, (_, i) => blob(i % w, Math.floor(i / w)));
    const b = Float32Array.from(warpRef({ data: a, shape: [1, h, w, 1] }, constFlow(1, h, w, shift[0], shift[1])));
    const g = new GraphBuilder('align');
    // the flow is a learned constant: a bias-free 1x1 conv of an all-ones input, initialised at 0
    const flow = g.conv(g.input('one', 'image', 1), 2, { k: 1, bias: false, name: 'flow' });
    g.output('y', g.warp(g.input('a', 'image', 1), flow));
    const spec = g.build();
    const m = createModel(spec, 1);
    m.params.get('flow.w')!.assign(tf.zeros([1, 1, 1, 2]));
    const shard: HostBatch = { one: { data: new Float32Array(h * w).fill(1), shape: [1, h, w, 1] }, a: { data: a, shape: [1, h, w, 1] } };
    // the border rows/columns the shift pulls in from outside are left out of the loss
    const mask = Float32Array.from({ length: h * w }, (_, i) => (i % w < w - 2 && Math.floor(i / w) > 0 ? 1 : 0));
    const objective = <T>(e: LossEnv<T>): T => {
      const o = e.ops,
        y = e.run('g', { one: e.input('one'), a: e.input('a') });
      return o.mean(o.square(o.mul(o.sub(y, o.constant(b, [1, h, w, 1])), o.constant(mask, [1, h, w, 1]))));
    };
    const engine = new OrtEngine(ort as unknown as OrtModule, { g: spec });
    const adam = new Adam({ lr: 0.05 });
    const losses: number[] = [];
    for (let step = 0; step < 150; step++) {
      const { loss, grads } = await engine.gradients(objective, 'g', shard, new Rng(step), (key) => m.params.get(key.slice(2))!.dataSync() as Float32Array);
      losses.push(loss);
      adam.apply(m.params, grads);
    }
    await engine.dispose();
    const learned = Array.from(m.params.get('flow.w')!.dataSync());
    disposeModel(m);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 100);
    expect(Math.abs(learned[0] - shift[0])).toBeLessThan(0.05);
    expect(Math.abs(learned[1] - shift[1])).toBeLessThan(0.05);
  }, 60000);
});
