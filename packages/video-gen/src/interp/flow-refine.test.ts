/**
 * The test-time flow refinement: the bicubic warp against hand-computed Keys weights, the
 * refinement recovering a known sub-pixel motion at t = ¼ from zero flows, and the JS composition
 * reproducing the v2 graph's own frame (exported, onnxruntime) from its flows and mask.
 */
import { createRunner, loadOrt, TensorMap } from '@diffgan/core-models';
import { tf, initBackend, createModel, disposeModel } from '@diffgan/core-models/train';
import { composeFrame, boxMean, flowsAt, KEYS_MATCH, lumaOf, refineFlow, selectFlow, warpBicubic } from './flow-refine';
import { ifnetSpec, IFNET_V2_CONFIG } from './ifnet';

/** A flow image (4 channels) with the same F_t→0 and F_t→1 everywhere. */
const constantFlow = (n: number, f: [number, number, number, number]) => Float32Array.from({ length: 4 * n }, (_, i) => f[i % 4]);

test('bicubic warp: an impulse sampled half a pixel off gets Keys weights (−0.09375, 0.59375, 0.59375, −0.09375); whole pixels shift exactly, clamped at the border', () => {
  const w = 8,
    h = 1;
  const row = new Float32Array(w);
  row[4] = 1;
  const half = warpBicubic(row, 1, constantFlow(w, [0.5, 0, 0, 0]), 4, 0, w, h);
  // out(x) = image(x + 0.5): taps x-1, x, x+1, x+2 at distances 1.5, 0.5, 0.5, 1.5
  expect(Array.from(half)).toEqual([0, 0, -0.09375, 0.59375, 0.59375, -0.09375, 0, 0].map(Math.fround));
  const ramp = Float32Array.from({ length: w }, (_, x) => x);
  expect(Array.from(warpBicubic(ramp, 1, constantFlow(w, [0, 0, 2, 0]), 4, 2, w, h))).toEqual([2, 3, 4, 5, 6, 7, 7, 7]);
  expect(Array.from(warpBicubic(ramp, 1, constantFlow(w, [-1, 0, 0, 0]), 4, 0, w, h))).toEqual([0, 0, 1, 2, 3, 4, 5, 6]);
});

test('box mean over a 3x3 window: hand-computed values inside and at a clamped corner', () => {
  // 4x3 plane 0..11 row by row
  const p = Float32Array.from({ length: 12 }, (_, i) => i);
  const m = boxMean(p, 4, 3, 1);
  // inside (1, 1): mean of 0,1,2,4,5,6,8,9,10 = 5
  expect(m[5]).toBeCloseTo(5, 6);
  // corner (0, 0), borders repeated: rows [0,0,1],[0,0,1],[4,4,5] -> 15 / 9
  expect(m[0]).toBeCloseTo(15 / 9, 6);
  expect(Array.from(boxMean(new Float32Array(12).fill(0.25), 4, 3, 2)).every((v) => Math.abs(v - 0.25) < 1e-7)).toBe(true);
});

test('refinement from zero flows recovers a motion of (0.6, −0.4) px at t = ¼ (F_t→0 = −¼·d, F_t→1 = ¾·d): median error < 0.01 px', () => {
  const w = 48,
    h = 40,
    n = w * h;
  const d = [0.6, -0.4],
    t = 0.25;
  // a smooth texture moving by d from frame 0 to frame 1: i1(x) = f(x − d)
  const f = (x: number, y: number) =>
    0.5 + 0.2 * Math.sin(0.45 * x + 0.2 * y) + 0.15 * Math.cos(0.3 * y - 0.25 * x) + 0.1 * Math.sin(0.7 * x) * Math.cos(0.6 * y);
  const plane = (dx: number, dy: number) => Float32Array.from({ length: n }, (_, p) => f((p % w) - dx, Math.floor(p / w) - dy));
  const l0 = plane(0, 0),
    l1 = plane(d[0], d[1]);
  expect(Array.from(refineFlow(l0, l1, new Float32Array(4 * n), w, h, t, { steps: 0, radius: 3, lambda: 1e-4 })).every((v) => v === 0)).toBe(true);
  // the shipped setting (2 steps): from zero flows (errors up to 0.45 px) to a median error of ~0.005 px
  const flow = refineFlow(l0, l1, new Float32Array(4 * n), w, h, t);
  const want = [-t * d[0], -t * d[1], (1 - t) * d[0], (1 - t) * d[1]];
  const errors: number[] = [];
  for (let y = 8; y < h - 8; y++) for (let x = 8; x < w - 8; x++) for (let c = 0; c < 4; c++) errors.push(Math.abs(flow[4 * (y * w + x) + c] - want[c]));
  errors.sort((p, q) => p - q);
  expect(errors[errors.length >> 1]).toBeLessThan(0.01);
  expect(errors[Math.floor(0.95 * errors.length)]).toBeLessThan(0.04);
});

test('flowsAt: a midpoint motion f (half of frame 0 → 1) as the flows at t, F_t→0 = −2t·f, F_t→1 = 2(1 − t)·f', () => {
  expect(Array.from(flowsAt(Float32Array.from([1, -0.5]), Float32Array.from([0.25, 2]), 0.25))).toEqual([-0.5, -0.125, 1.5, 0.375, 0.25, -1, -0.75, 3]);
});

test('selectFlow: per pixel, the candidate under which the two frames agree; the left half moves 2 px right, the right half 1 px up', () => {
  const w = 64,
    h = 32,
    n = w * h,
    t = 0.5;
  const f = (x: number, y: number) =>
    0.5 + 0.2 * Math.sin(0.45 * x + 0.2 * y) + 0.15 * Math.cos(0.3 * y - 0.25 * x) + 0.1 * Math.sin(0.7 * x) * Math.cos(0.6 * y);
  // frame 1: the left half of frame 0 moved by (2, 0), the right half by (0, −1)
  const l0 = Float32Array.from({ length: n }, (_, p) => f(p % w, Math.floor(p / w)));
  const l1 = Float32Array.from({ length: n }, (_, p) => {
    const x = p % w,
      y = Math.floor(p / w);
    return x < w / 2 ? f(x - 2, y) : f(x, y + 1);
  });
  const right = flowsAt(new Float32Array(n).fill(1), new Float32Array(n), t),
    up = flowsAt(new Float32Array(n), new Float32Array(n).fill(-0.5), t);
  const chosen = selectFlow(l0, l1, [right, up], w, h, 2);
  // away from the boundary and the borders (window 5x5 plus the 2 px motion)
  for (let y = 4; y < h - 4; y++)
    for (const [x, want] of [
      [6, right],
      [w / 2 - 8, right],
      [w / 2 + 6, up],
      [w - 8, up],
    ] as const)
      expect([x, y, Array.from(chosen.subarray(4 * (y * w + x), 4 * (y * w + x) + 4))]).toEqual([x, y, Array.from(want.subarray(0, 4))]);
  // ties go to the first candidate
  expect(Array.from(selectFlow(l0, l0, [right, right.map((v) => v + 0)], w, h, 2)).every((v, i) => v === right[i])).toBe(true);
  // judged on the candidates, written from the outputs: where `right` wins, its stand-in is written
  const standIn = right.map((v) => v + 0.25);
  const written = selectFlow(l0, l1, [right, up], w, h, 2, [standIn, up]);
  for (let p = 0; p < n; p++) {
    const from = chosen[4 * p] === right[4 * p] && chosen[4 * p + 1] === right[4 * p + 1] ? standIn : up;
    for (let c = 0; c < 4; c++) if (written[4 * p + c] !== from[4 * p + c]) throw new Error(`pixel ${p} channel ${c}`);
  }
  expect(() => selectFlow(l0, l1, [right, up], w, h, 2, [up])).toThrow('selectFlow: 1 outputs for 2 candidates');
  // refineFlow hands back its first step's warps (those of the flow it started from); given to
  // selectFlow for that candidate they leave the choice bit for bit as it was
  const firstWarps: { w0?: Float32Array; w1?: Float32Array } = {};
  refineFlow(l0, l1, right, w, h, t, { steps: 2, radius: 3, lambda: 1e-4 }, firstWarps);
  expect(firstWarps.w0).toEqual(warpBicubic(l0, 1, right, 4, 0, w, h, KEYS_MATCH));
  expect(firstWarps.w1).toEqual(warpBicubic(l1, 1, right, 4, 2, w, h, KEYS_MATCH));
  const reused = selectFlow(l0, l1, [right, up], w, h, 2, [standIn, up], [{ w0: firstWarps.w0!, w1: firstWarps.w1! }]);
  expect(reused).toEqual(written);
});

const d = loadOrt() ? describe : describe.skip;
d('against the v2 graph', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  test("composeFrame of the net's flows and mask is the net's y (exported v2, bicubic final warp), 48x32 at t = 0.4", async () => {
    const spec = ifnetSpec(IFNET_V2_CONFIG);
    const m = createModel(spec, 3);
    // flows of a few pixels: a larger bias on the first block's head
    const head = m.params.get('block0.head.b')!;
    head.assign(tf.add(head, tf.tensor(Float32Array.from({ length: 20 }, (_, i) => (i % 5 < 4 ? 0.3 * Math.sin(i) : 0.2)))));
    const weights: TensorMap = new Map([...m.params].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync() as Float32Array }]));
    disposeModel(m);
    const w = 48,
      h = 32,
      n = w * h;
    const img = (phase: number) =>
      Float32Array.from({ length: 3 * n }, (_, i) => 0.5 + 0.4 * Math.sin(0.37 * ((i / 3) % w) + 0.21 * Math.floor(i / 3 / w) + phase + (i % 3)));
    const i0 = img(0),
      i1 = img(0.8);
    const runner = await createRunner(spec, weights, { threads: 1 });
    const out = await runner.run({
      i0: { data: i0, shape: [1, h, w, 3] },
      i1: { data: i1, shape: [1, h, w, 3] },
      t: { data: Float32Array.from([0.4]), shape: [1, 1] },
    });
    await runner.dispose();
    let moved = 0;
    for (const v of out.flow.data) moved = Math.max(moved, Math.abs(v));
    expect(moved).toBeGreaterThan(0.5);
    const y = composeFrame(i0, i1, out.flow.data, out.mask.data, w, h);
    let worst = 0;
    y.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - Math.min(1, Math.max(0, out.y.data[k]))))));
    expect(worst).toBeLessThan(1e-4);
    expect(lumaOf(Float32Array.from([1, 1, 1]), 1)[0]).toBeCloseTo(1, 6);
  });
});
