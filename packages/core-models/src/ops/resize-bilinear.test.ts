/**
 * g.resizeBilinear (PyTorch's F.interpolate, bilinear, align_corners False, integer factors) on
 * all three runtimes: tfjs (slices and weighted sums, tfjs autodiff), the onnxruntime training
 * engine (ONNX Resize forward, its transpose in engine primitives backward) and the inference
 * export (ONNX Resize, sizes at run time). Hand-computed values at the borders, a float64
 * reference written as PyTorch's kernel (upsample_bilinear2d), finite-difference gradients,
 * runtime parity in a net, receptive radius.
 */
import { tf } from '../tf';
import { initBackend } from '../backend';
import { GraphBuilder, GraphSpec } from '../graph';
import { receptiveRadius, countFlops } from './table';
import { Rng } from '../rng';
import { IrGraph } from '../engine/ir';
import { OnnxOps } from '../engine/onnx-ops';
import { exportParity, graphParity, parityProblem } from '../engine/parity';
import { exportOnnx } from '../onnx/export';
import { createOrtRunner, loadOrt } from '../onnx/runner';
import type { OrtModule } from '../onnx/ort-session';
import type { HostBatch } from '../engine/objective';
import { tfOps } from './tfjs-ops';
import { upPhases } from './resize-bilinear';

const ort = loadOrt();
const d = ort ? describe : describe.skip;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

interface Img {
  data: Float32Array;
  shape: number[];
}

/**
 * float64 reference, PyTorch's upsample_bilinear2d with scale_factor (align_corners False):
 * out size floor(in · f); source = (dst + 0.5) / f - 0.5, negative clamped to 0 (area_pixel_compute_source_index);
 * i0 = floor(source), i1 = i0 + 1 unless i0 is the last pixel, weight source - i0.
 */
function resizeRef(img: { data: ArrayLike<number>; shape: number[] }, f: number): { data: Float64Array; shape: number[] } {
  const [n, h, w, c] = img.shape,
    oh = Math.floor(h * f + 1e-9),
    ow = Math.floor(w * f + 1e-9);
  const src = (dst: number, size: number) => {
    const s = Math.max((dst + 0.5) / f - 0.5, 0),
      i0 = Math.floor(s);
    return { i0, i1: i0 < size - 1 ? i0 + 1 : i0, l: s - i0 };
  };
  const out = new Float64Array(n * oh * ow * c);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++) {
        const sy = src(y, h),
          sx = src(x, w);
        const at = (yy: number, xx: number, ch: number) => img.data[((b * h + yy) * w + xx) * c + ch];
        for (let ch = 0; ch < c; ch++)
          out[((b * oh + y) * ow + x) * c + ch] =
            (1 - sy.l) * ((1 - sx.l) * at(sy.i0, sx.i0, ch) + sx.l * at(sy.i0, sx.i1, ch)) +
            sy.l * ((1 - sx.l) * at(sy.i1, sx.i0, ch) + sx.l * at(sy.i1, sx.i1, ch));
      }
  return { data: out, shape: [n, oh, ow, c] };
}

const resizeSpec = (c: number, factor: number): GraphSpec => {
  const g = new GraphBuilder('resize');
  g.output('y', g.resizeBilinear(g.input('x', 'image', c), factor));
  return g.build();
};

function tfjsResize(x: Img, f: number): Float32Array {
  return tf.tidy(() => tfOps.resizeBilinear(tf.tensor(x.data, x.shape), f).dataSync() as Float32Array);
}

/** tfjs gradient of sum(resize(x) · r) */
function tfjsGrad(x: Img, f: number, r: Float32Array, outShape: number[]): Float32Array {
  const [gx] = tf.grads((a: tf.Tensor) => tfOps.resizeBilinear(a, f).mul(tf.tensor(r, outShape)).sum())([tf.tensor(x.data, x.shape)]);
  const out = gx.dataSync() as Float32Array;
  gx.dispose();
  return out;
}

/** The engine's resize as one ONNX graph: the output and, for a loss sum(out · r), the engine's vjp w.r.t. x. */
async function engineResize(x: Img, f: number, r?: Float32Array): Promise<{ y: Float32Array; shape: number[]; dx: Float32Array }> {
  const g = new IrGraph(),
    o = new OnnxOps(g);
  const a = o.input('x', x.shape);
  const y = o.resizeBilinear(a, f);
  const weights = r ?? new Float32Array(y.shape.reduce((p, q) => p * q, 1)).fill(1);
  const loss = o.sum(o.mul(y, o.constant(weights, y.shape)));
  const [ga] = g.grad(loss.id, [a.id]);
  const { model, inputNames } = g.toOnnx([
    { name: 'y', id: o.physical(y, [0, 1, 2, 3]) },
    { name: 'dx', id: ga },
  ]);
  const O = ort as unknown as OrtModule;
  const session = await O.InferenceSession.create(model);
  const host: Record<string, Img> = { x, ...Object.fromEntries([...o.feeds].map(([k, v]) => [k, v])) };
  const feeds: Record<string, InstanceType<OrtModule['Tensor']>> = {};
  for (const name of inputNames) feeds[name] = new O.Tensor('float32', host[name].data, host[name].shape);
  const out = await session.run(feeds);
  await session.release();
  return { y: out.y.data as Float32Array, shape: y.shape, dx: out.dx.data as Float32Array };
}

async function exportedResize(x: Img, f: number): Promise<{ data: Float32Array; shape: number[] }> {
  const runner = await createOrtRunner(exportOnnx(resizeSpec(x.shape[3], f), new Map()), 1);
  const out = await runner.run({ x });
  await runner.dispose();
  return out.y;
}

async function allRuntimes(x: Img, f: number): Promise<Record<string, Float32Array>> {
  const want = resizeRef(x, f).shape,
    engine = await engineResize(x, f),
    exported = await exportedResize(x, f);
  expect(engine.shape).toEqual(want);
  expect(exported.shape).toEqual(want);
  return { tfjs: tfjsResize(x, f), engine: engine.y, export: exported.data };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const img = (rows: number[][], c = 1): Img => ({ data: Float32Array.from(rows.flat()), shape: [1, rows.length, rows[0].length / c, c] });

test('upPhases: the per-phase weights of x[i - 1], x[i], x[i + 1]', () => {
  expect(upPhases(2)).toEqual([
    [0.25, 0.75, 0],
    [0, 0.75, 0.25],
  ]);
  expect(upPhases(4)).toEqual([
    [0.375, 0.625, 0],
    [0.125, 0.875, 0],
    [0, 0.875, 0.125],
    [0, 0.625, 0.375],
  ]);
});

d('resizeBilinear: hand-computed values on tfjs, the engine and the export', () => {
  const cases: [string, Img, number, number[]][] = [
    // sources -0.25 (clamped to 0), 0.25, 0.75, 1.25, 1.75, 2.25 (clamped to 2); one row: both output rows read it
    ['x2 of one row [0, 4, 0]', img([[0, 4, 0]]), 2, [0, 1, 3, 3, 1, 0, 0, 1, 3, 3, 1, 0]],
    // 8y + 4x is linear: out = 8·sy + 4·sx with sources clamped to [0, 1]: 0, 0.25, 0.75, 1 on each axis
    [
      'x2 of a 2x2 linear ramp',
      img([
        [0, 4],
        [8, 12],
      ]),
      2,
      [0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12],
    ],
    // sources -0.375, -0.125 (both 0), 0.125, 0.375, 0.625, 0.875, 1.125, 1.375 (both 1)
    ['x4 of [0, 8]', img([[0, 8]]), 4, [0, 0, 1, 3, 5, 7, 8, 8, 0, 0, 1, 3, 5, 7, 8, 8, 0, 0, 1, 3, 5, 7, 8, 8, 0, 0, 1, 3, 5, 7, 8, 8]],
    // a 2x2 average; the odd last column is dropped (floor(5 / 2) = 2)
    [
      '/2 of a 2x5 image',
      img([
        [0, 1, 2, 3, 4],
        [10, 11, 12, 13, 14],
      ]),
      0.5,
      [5.5, 7.5],
    ],
    // sources 1.5 and 5.5: the mean of pixels 1, 2 and 5, 6 (not the 4-pixel average 3.75, 60); the 9th column dropped
    [
      '/4 of powers of two (not a 4x4 average)',
      img([
        [1, 2, 4, 8, 16, 32, 64, 128, 256],
        [1, 2, 4, 8, 16, 32, 64, 128, 256],
        [1, 2, 4, 8, 16, 32, 64, 128, 256],
        [1, 2, 4, 8, 16, 32, 64, 128, 256],
      ]),
      0.25,
      [3, 48],
    ],
    // 10y + x² on 4 x 8: y source 1.5 -> 15; x: (1 + 4)/2, (25 + 36)/2
    ['/4 of 10y + x²', img(Array.from({ length: 4 }, (_, y) => Array.from({ length: 8 }, (_, x) => 10 * y + x * x))), 0.25, [17.5, 45.5]],
  ];
  test.each(cases)('%s', async (_n, x, f, want) => {
    expect(maxDiff(resizeRef(x, f).data, want)).toBeLessThan(1e-9);
    for (const [runtime, y] of Object.entries(await allRuntimes(x, f)))
      if (maxDiff(y, want) > 1e-4) throw new Error(`${runtime}: got [${Array.from(y)}], want [${want}]`);
  });

  test.each([
    [2, 2, 5, 7, 3],
    [4, 1, 3, 1, 2],
    [3, 1, 4, 5, 1],
    [0.5, 2, 7, 9, 3],
    [0.25, 2, 11, 6, 2],
    [0.125, 1, 17, 16, 1],
  ])('x%f on %i x %i x %i x %i: every runtime equals the float64 reference', async (f, n, h, w, c) => {
    const rng = new Rng(5 + h);
    const x = { data: rng.normalArray(n * h * w * c), shape: [n, h, w, c] };
    const ref = resizeRef(x, f);
    for (const [runtime, y] of Object.entries(await allRuntimes(x, f)))
      if (maxDiff(y, ref.data) > 1e-5) throw new Error(`${runtime}: max diff ${maxDiff(y, ref.data)}`);
  });
});

d('resizeBilinear: gradients (finite differences of the reference, the engine vjp, tfjs)', () => {
  test.each([
    [2, 2, 4, 5, 2],
    [4, 1, 3, 2, 1],
    [2, 1, 1, 3, 1],
    [0.5, 1, 5, 7, 2],
    [0.25, 2, 9, 10, 1],
  ])('x%f, %i x %i x %i x %i: engine and tfjs equal finite differences (1e-3)', async (f, n, h, w, c) => {
    const rng = new Rng(17 + h * w);
    const x = { data: rng.normalArray(n * h * w * c), shape: [n, h, w, c] };
    const outShape = resizeRef(x, f).shape,
      r = rng.normalArray(outShape.reduce((p, q) => p * q, 1));
    const loss = (v: ArrayLike<number>) => resizeRef({ data: v, shape: x.shape }, f).data.reduce((s, y, i) => s + y * r[i], 0);
    // the resize is linear: central differences are exact up to rounding
    const fd = Float64Array.from(x.data, (_, i) => {
      const p = Float64Array.from(x.data),
        m = Float64Array.from(x.data);
      p[i] += 1e-3;
      m[i] -= 1e-3;
      return (loss(p) - loss(m)) / 2e-3;
    });
    expect(Math.max(...Array.from(fd, Math.abs))).toBeGreaterThan(0.1);
    const engine = (await engineResize(x, f, r)).dx,
      tfjs = tfjsGrad(x, f, r, outShape);
    if (maxDiff(engine, fd) > 1e-3) throw new Error(`engine: max diff ${maxDiff(engine, fd)}`);
    if (maxDiff(tfjs, fd) > 1e-3) throw new Error(`tfjs: max diff ${maxDiff(tfjs, fd)}`);
  });

  test('x2 of [a, b]: the edge pixels collect the clamped taps (hand-computed)', async () => {
    // out = [a, .75a + .25b, .25a + .75b, b] per axis; one row: d/da of the sum of all 4 outputs (2 rows) = 2 · (1 + .75 + .25) = 4
    const x = img([[1, 2]]);
    const ones = new Float32Array(8).fill(1);
    expect(Array.from((await engineResize(x, 2, ones)).dx)).toEqual([4, 4]);
    expect(Array.from(tfjsGrad(x, 2, ones, [1, 2, 4, 1]))).toEqual([4, 4]);
    // a loss on output pixel (0, 1) only: 0.75 to a, 0.25 to b
    const one = Float32Array.from([0, 1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from((await engineResize(x, 2, one)).dx)).toEqual([0.75, 0.25]);
  });
});

/** a conv, down 1/4, conv, up x4 (a one-scale IFNet block in miniature) */
const pyramidNet = (() => {
  const g = new GraphBuilder('pyramid');
  const x = g.input('x', 'image', 3);
  const low = g.conv(g.resizeBilinear(g.conv(x, 4, { name: 'a' }), 0.25), 4, { name: 'b' });
  g.output('y', g.add(g.conv(g.resizeBilinear(low, 4), 3, { name: 'c' }), g.resizeBilinear(g.resizeBilinear(x, 0.5), 2)));
  return g.build();
})();

d('resizeBilinear in a graph: runtime parity', () => {
  test('engine gradients equal tfjs autodiff (1e-4 relative)', async () => {
    const shard: HostBatch = { x: { data: new Rng(23).normalArray(2 * 8 * 12 * 3), shape: [2, 8, 12, 3] } };
    const r = await graphParity(pyramidNet, shard);
    expect(r.params).toBe(6);
    expect(parityProblem(r, 1e-4)).toBeNull();
  });

  test('the exported graph equals the tfjs forward, sizes given at run time', async () => {
    const diff = await exportParity(
      pyramidNet,
      [
        [1, 8, 16],
        [2, 12, 4],
      ],
      (x, p) => {
        const low = tfOps.conv2d(tfOps.resizeBilinear(tfOps.conv2d(x, p.get('a.w')!, 1, p.get('a.b')!), 0.25), p.get('b.w')!, 1, p.get('b.b')!);
        return tfOps.conv2d(tfOps.resizeBilinear(low, 4), p.get('c.w')!, 1, p.get('c.b')!).add(tfOps.resizeBilinear(tfOps.resizeBilinear(x, 0.5), 2));
      },
    );
    expect(diff).toBeLessThan(1e-4);
  });
});

test('receptive radius and FLOPs: a resize reads 1 source pixel around (up) or its k x k block (down); no FLOPs counted', () => {
  const g = new GraphBuilder('r');
  g.output('y', g.resizeBilinear(g.input('x', 'image', 1), 2));
  expect(receptiveRadius(g.build())).toBe(1);
  const h = new GraphBuilder('r');
  h.output('y', h.resizeBilinear(h.input('x', 'image', 1), 0.25));
  expect(receptiveRadius(h.build())).toBe(3);
  // only pyramidNet's three convs count: 3->4 at 8x8, 4->4 at 2x2, 4->3 at 8x8
  expect(countFlops(pyramidNet, [8, 8])).toBe(2 * 9 * (64 * 3 * 4 + 4 * 4 * 4 + 64 * 4 * 3));
});

test('graph builder: factors other than an integer >= 2 or 1/even are refused', () => {
  const g = new GraphBuilder('bad'),
    x = g.input('x', 'image', 1);
  for (const f of [1, 1.5, 1 / 3, 0, -2]) expect(() => g.resizeBilinear(x, f)).toThrow(/integer >= 2 or 1\/k/);
  expect(() => g.resizeBilinear(x, 1 / 8)).not.toThrow();
});
