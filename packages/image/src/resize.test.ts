import { imresize, axisWeights, cubicKernel } from './resize';
import { PixelImage } from './pixel-image';
import { Rng } from '@diffgan/core-models';

/*
 * Expected values here are derived from MATLAB's imresize definition by hand
 * or by a deliberately naive 1-D reference written below (real-valued tap
 * range, recursive mirroring), not by reusing the implementation's tables.
 */

// Keys cubic kernel values (a = -0.5) used in the hand derivations:
//   k(0.25) = 1.5/64 - 2.5/16 + 1        = 0.8671875
//   k(0.75) = 1.5*27/64 - 2.5*9/16 + 1   = 0.2265625
//   k(1.25) = -0.5*125/64 + 2.5*25/16 - 5 + 2 = -0.0703125
//   k(1.75) = -0.5*343/64 + 2.5*49/16 - 7 + 2 = -0.0234375
const K025 = 0.8671875;
const K075 = 0.2265625;
const K125 = -0.0703125;
const K175 = -0.0234375;

function row(values: number[]): PixelImage<Float32Array> {
  return { data: Float32Array.from(values), width: values.length, height: 1, channels: 1 };
}

/** MATLAB's symmetric index mirroring for a 1-based index j into n samples, written recursively. */
function mirror(j: number, n: number): number {
  if (j < 1) return mirror(1 - j, n); // 0 -> 1, -1 -> 2, ...
  if (j > n) return mirror(2 * n + 1 - j, n); // n+1 -> n, n+2 -> n-1, ...
  return j;
}

function keys(x: number): number {
  const t = Math.abs(x);
  if (t <= 1) return 1.5 * t ** 3 - 2.5 * t ** 2 + 1;
  if (t <= 2) return -0.5 * t ** 3 + 2.5 * t ** 2 - 4 * t + 2;
  return 0;
}

/** Naive 1-D MATLAB imresize: every integer j within the kernel support of u, normalised weights. */
function referenceResize1d(signal: number[], outLength: number, scale: number): number[] {
  const n = signal.length;
  const aa = scale < 1;
  const halfWidth = aa ? 2 / scale : 2;
  const out: number[] = [];
  for (let i = 1; i <= outLength; i++) {
    const u = i / scale + 0.5 * (1 - 1 / scale);
    let num = 0;
    let den = 0;
    for (let j = Math.ceil(u - halfWidth); j <= Math.floor(u + halfWidth); j++) {
      const w = aa ? scale * keys(scale * (u - j)) : keys(u - j);
      num += w * signal[mirror(j, n) - 1];
      den += w;
    }
    out.push(num / den);
  }
  return out;
}

describe('cubicKernel', () => {
  test('Keys a=-0.5 values', () => {
    expect(cubicKernel(0)).toBe(1);
    expect(cubicKernel(1)).toBe(0);
    expect(cubicKernel(2)).toBe(0);
    expect(cubicKernel(0.25)).toBe(K025);
    expect(cubicKernel(-0.75)).toBe(K075);
    expect(cubicKernel(1.25)).toBe(K125);
    expect(cubicKernel(-1.75)).toBe(K175);
    expect(cubicKernel(2.5)).toBe(0);
  });
});

describe('axisWeights', () => {
  test('antialiased x1/2: 8 taps at distances ±0.5..±3.5, normalised', () => {
    const aw = axisWeights(8, 4, 0.5);
    expect(aw.taps).toBe(8);
    // Output 2 (1-based) is centred at u = 3.5; taps j = 0..7 at |u - j| = 3.5, 2.5, ..., 3.5.
    // Raw weights 0.5 k(d/2) sum to 1 (pairs of K175, K125, K075, K025 sum to 2 x 0.5 x 1).
    const expected = [K175, K125, K075, K025, K025, K075, K125, K175].map((k) => k / 2);
    const got = Array.from(aw.weights.subarray(8, 16));
    got.forEach((g, t) => expect(g).toBeCloseTo(expected[t], 15));
    // j = 0 mirrors to the first sample, j = 1..7 are samples 0..6 (0-based).
    expect(Array.from(aw.indices.subarray(8, 16))).toEqual([0, 0, 1, 2, 3, 4, 5, 6]);
  });

  test('x2 upscaling drops the all-zero tap columns like MATLAB', () => {
    // u = i/2 + 1/4 always lies 0.25 or 0.75 from a sample, so of MATLAB's 6 taps the
    // outermost ones sit at |d| >= 2.25 for every output and are removed.
    expect(axisWeights(4, 8, 2).taps).toBe(4);
  });
});

describe('imresize', () => {
  test('a constant image stays constant at any scale or size', () => {
    const c = 3;
    const data = new Float32Array(9 * 7 * c);
    for (let i = 0; i < data.length; i++) data[i] = [37.5, 200, 0][i % c];
    const img = { data, width: 9, height: 7, channels: c };
    for (const opts of [{ scale: 0.25 }, { scale: 0.5 }, { scale: 1 / 3 }, { scale: 2 }, { scale: 4 }, { width: 4, height: 13 }, { width: 20, height: 2 }]) {
      const out = imresize(img, opts);
      for (let i = 0; i < out.data.length; i++) expect(Math.abs(out.data[i] - [37.5, 200, 0][i % c])).toBeLessThan(1e-4);
    }
    const u8 = imresize({ data: new Uint8Array(7 * 5).fill(99), width: 7, height: 5, channels: 1 }, { scale: 0.5 });
    expect(u8.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(u8.data).every((v) => v === 99)).toBe(true);
  });

  test('ramp 0..7 downscaled x1/2 with the antialiased kernel (hand-computed)', () => {
    // Output i has u = 2i - 0.5; taps at |u - j| = 0.5, 1.5, 2.5, 3.5 weigh K025, K075, K125, K175 (each /2).
    // Interior outputs reproduce the ramp (value at u - 1) except where a mirrored tap
    // replaces the ramp's continuation, e.g. output 1: taps j = -2..5 read 2,1,0,0,1,2,3,4:
    // (6 K175 + 4 K125 + 2 K075 + 1 K025) / 2 = 0.44921875.
    const expected = [
      (6 * K175 + 4 * K125 + 2 * K075 + 1 * K025) / 2, // 0.44921875
      2.5 + ((0 - -1) * K175) / 2, // j = 0 reads 0 instead of -1: 2.48828125
      4.5 + ((7 - 8) * K175) / 2, // j = 9 reads 7 instead of 8: 4.51171875
      7 - (6 * K175 + 4 * K125 + 2 * K075 + 1 * K025) / 2, // mirror image of output 1: 6.55078125
    ];
    expect(expected).toEqual([0.44921875, 2.48828125, 4.51171875, 6.55078125]);
    const out = imresize(row([0, 1, 2, 3, 4, 5, 6, 7]), { width: 4, height: 1 });
    expect(out.width).toBe(4);
    Array.from(out.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  test('x2 upscaling of [10, 20, 40, 80] (hand-computed)', () => {
    // u = i/2 + 1/4. Output 1 (u = 0.75): taps j = -1, 0, 1, 2 read b, a, a, b with
    // K175, K075, K025, K125 -> 1.09375 a - 0.09375 b = 9.0625.
    // Output 2 (u = 1.25): j = 0..3 read a, a, b, c with K125, K025, K075, K175 -> 11.5625.
    // Output 3 (u = 1.75): j = 0..3 read a, a, b, c with K175, K075, K025, K125 -> 16.5625.
    // Output 4 (u = 2.25): j = 1..4 read a, b, c, d with K125, K025, K075, K175 -> 23.828125.
    const [a, b, c, d] = [10, 20, 40, 80];
    const expected = [
      K175 * b + (K075 + K025) * a + K125 * b,
      (K125 + K025) * a + K075 * b + K175 * c,
      (K175 + K075) * a + K025 * b + K125 * c,
      K125 * a + K025 * b + K075 * c + K175 * d,
    ];
    expect(expected).toEqual([9.0625, 11.5625, 16.5625, 23.828125]);
    const out = imresize(row([a, b, c, d]), { width: 8, height: 1 });
    Array.from(out.data.subarray(0, 4)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    // Mirror symmetry of the setup: the last outputs mirror the first ones for the reversed signal.
    const rev = imresize(row([d, c, b, a]), { width: 8, height: 1 });
    expect(rev.data[7]).toBeCloseTo(expected[0], 5);
  });

  test('1-D results match the naive reference for shrinking, enlarging and odd sizes', () => {
    const rng = new Rng(7);
    const signal = Array.from({ length: 23 }, () => Math.round(rng.uniform() * 255));
    // [options, output length, scale the reference uses]
    const cases: [{ scale: number } | { width: number; height: number }, number, number][] = [
      [{ scale: 0.25 }, 6, 0.25],
      [{ scale: 0.5 }, 12, 0.5],
      [{ scale: 1 / 3 }, 8, 1 / 3],
      [{ scale: 2 }, 46, 2],
      [{ scale: 4 }, 92, 4],
      [{ width: 17, height: 1 }, 17, 17 / 23],
      [{ width: 31, height: 1 }, 31, 31 / 23],
    ];
    for (const [opts, outLength, scale] of cases) {
      const want = referenceResize1d(signal, outLength, scale);
      const got = imresize(row(signal), opts);
      expect(got.width).toBe(outLength);
      // With `scale`, the single row is also enlarged (into identical rows); check the first.
      Array.from(got.data.subarray(0, outLength)).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-3));
    }
  });

  test('2-D resizing is separable: an outer-product image maps to the outer product of 1-D results', () => {
    const rng = new Rng(11);
    const f = Array.from({ length: 13 }, () => rng.uniform() * 10); // along height
    const g = Array.from({ length: 17 }, () => rng.uniform() * 10); // along width
    const data = new Float32Array(13 * 17);
    for (let y = 0; y < 13; y++) for (let x = 0; x < 17; x++) data[y * 17 + x] = f[y] * g[x];
    for (const scale of [0.5, 0.25, 2]) {
      const out = imresize({ data, width: 17, height: 13, channels: 1 }, { scale });
      const fy = referenceResize1d(f, Math.ceil(13 * scale), scale);
      const gx = referenceResize1d(g, Math.ceil(17 * scale), scale);
      expect([out.height, out.width]).toEqual([fy.length, gx.length]);
      for (let y = 0; y < fy.length; y++) for (let x = 0; x < gx.length; x++) expect(Math.abs(out.data[y * gx.length + x] - fy[y] * gx[x])).toBeLessThan(1e-3);
    }
  });

  test('channels are resized independently', () => {
    const rng = new Rng(3);
    const w = 11;
    const h = 9;
    const rgb = new Float32Array(w * h * 3).map(() => rng.uniform() * 255);
    const out = imresize({ data: rgb, width: w, height: h, channels: 3 }, { width: 5, height: 20 });
    for (let c = 0; c < 3; c++) {
      const plane = new Float32Array(w * h).map((_, i) => rgb[i * 3 + c]);
      const single = imresize({ data: plane, width: w, height: h, channels: 1 }, { width: 5, height: 20 });
      single.data.forEach((v, i) => expect(out.data[i * 3 + c]).toBeCloseTo(v, 4));
    }
  });

  test('output size follows MATLAB: ceil(scale * size)', () => {
    const img = { data: new Float32Array(10 * 7), width: 10, height: 7, channels: 1 };
    const out = imresize(img, { scale: 1 / 3 });
    expect([out.width, out.height]).toEqual([4, 3]);
    expect(() => imresize(img, { scale: 2, width: 3, height: 3 })).toThrow();
    expect(() => imresize(img, { width: 3 })).toThrow();
  });

  test('uint8 output rounds and clamps; overshoot at a hard edge saturates', () => {
    // A 0/255 step overshoots below 0 and above 255 under the cubic kernel.
    const step = new Uint8Array(16).map((_, i) => (i < 8 ? 0 : 255));
    const img = { data: step, width: 16, height: 1, channels: 1 };
    const asFloat = imresize({ ...img, data: Float32Array.from(step) }, { scale: 2, output: 'float' });
    const asU8 = imresize(img, { scale: 2 });
    expect(Math.min(...asFloat.data)).toBeLessThan(0);
    expect(Math.max(...asFloat.data)).toBeGreaterThan(255);
    asU8.data.forEach((v, i) => expect(v).toBe(Math.min(255, Math.max(0, Math.floor(asFloat.data[i] + 0.5)))));
  });

  test('a 4000x3000 RGB photo-sized image downscales x1/4 in well under a few seconds', () => {
    const w = 4000;
    const h = 3000;
    const data = new Uint8Array(w * h * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    const start = Date.now();
    const out = imresize({ data, width: w, height: h, channels: 3 }, { scale: 0.25 });
    const ms = Date.now() - start;
    expect([out.width, out.height]).toEqual([1000, 750]);
    expect(ms).toBeLessThan(5000); // ~0.4 s measured on the shared 2-core box
  });
});
