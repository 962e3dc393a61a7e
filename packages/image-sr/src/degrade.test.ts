import { Rng } from '@diffgan/core-models';
import {
  addGaussianNoise,
  addPoissonNoise,
  besselJ1,
  degradeRealEsrgan,
  degradeLevel,
  degradeMixed,
  DEGRADATION_LEVELS,
  filter2d,
  filter2dDirect,
  FloatRgb,
  gaussianKernel,
  generalizedGaussianKernel,
  interpolateAxis,
  Kernel,
  plateauKernel,
  poisson,
  randomBlurKernel,
  REALESRGAN_DEGRADATION,
  resize,
  separableTerms,
  trimKernel,
  sincKernel,
} from './degrade';

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
/** E[x²], E[y²], E[xy] of a kernel as a distribution on its centred grid. */
function moments(k: Kernel): [number, number, number] {
  const c = (k.size - 1) / 2;
  let xx = 0,
    yy = 0,
    xy = 0;
  for (let y = 0; y < k.size; y++)
    for (let x = 0; x < k.size; x++) {
      const w = k.data[y * k.size + x];
      xx += w * (x - c) ** 2;
      yy += w * (y - c) ** 2;
      xy += w * (x - c) * (y - c);
    }
  return [xx, yy, xy];
}
function image(w: number, h: number, f: (x: number, y: number, c: number) => number): FloatRgb {
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = f(x, y, c);
  return { data, width: w, height: h };
}
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe('blur kernels', () => {
  test('a Gaussian sums to 1 and has the covariance it was built with (isotropic and rotated)', () => {
    const iso = gaussianKernel(21, 1.5);
    expect(sum(iso.data)).toBeCloseTo(1, 12);
    const [xx, yy, xy] = moments(iso);
    expect(xx).toBeCloseTo(2.25, 6);
    expect(yy).toBeCloseTo(2.25, 6);
    expect(xy).toBeCloseTo(0, 10);
    // Σ = R diag(σx², σy²) Rᵀ: σx 2, σy 1, θ = 30° → Σxx = 4c² + s², Σyy = 4s² + c², Σxy = 3cs
    const t = Math.PI / 6,
      c = Math.cos(t),
      s = Math.sin(t);
    const m = moments(gaussianKernel(21, 2, 1, t));
    expect(m[0]).toBeCloseTo(4 * c * c + s * s, 5);
    expect(m[1]).toBeCloseTo(4 * s * s + c * c, 5);
    expect(m[2]).toBeCloseTo(3 * c * s, 5);
  });

  test('generalized Gaussian with β = 1 is the Gaussian; the plateau follows 1/(q^β + 1)', () => {
    expect(maxAbsDiff(generalizedGaussianKernel(9, 1.3, 0.7, 0.4, 1).data, gaussianKernel(9, 1.3, 0.7, 0.4).data)).toBeLessThan(1e-15);
    const p = plateauKernel(7, 1, 1, 0, 2);
    expect(sum(p.data)).toBeCloseTo(1, 12);
    // centre 1/(0+1), (x=1, y=0): q = 1 → 1/2, (1, 1): q = 2 → 1/5
    const at = (x: number, y: number) => p.data[(y + 3) * 7 + x + 3];
    expect(at(1, 0) / at(0, 0)).toBeCloseTo(0.5, 12);
    expect(at(1, 1) / at(0, 0)).toBeCloseTo(0.2, 12);
    // β < 1 makes the generalized Gaussian peakier (heavier tail) than the Gaussian of the same σ
    expect(moments(generalizedGaussianKernel(21, 1, 1, 0, 0.5))[0]).toBeGreaterThan(moments(gaussianKernel(21, 1))[0]);
  });

  test('Bessel J1 and the circular sinc', () => {
    expect(besselJ1(1)).toBeCloseTo(0.4400505857, 8);
    expect(besselJ1(10)).toBeCloseTo(0.0434727462, 8);
    expect(besselJ1(-2)).toBeCloseTo(-0.5767248078, 8);
    const k = sincKernel(Math.PI / 2, 11);
    expect(sum(k.data)).toBeCloseTo(1, 12);
    // unnormalised centre ω²/(4π), neighbour ω J1(ω)/(2π): their ratio survives normalisation
    const w = Math.PI / 2;
    expect(k.data[5 * 11 + 6] / k.data[5 * 11 + 5]).toBeCloseTo((w * besselJ1(w)) / (2 * Math.PI) / ((w * w) / (4 * Math.PI)), 10);
    // it rings: negative lobes exist
    expect(Math.min(...k.data)).toBeLessThan(0);
  });

  test('random kernels: odd sizes 7-21, sum 1, reproducible from the seed', () => {
    const sizes = new Set<number>();
    for (let s = 0; s < 80; s++) {
      const k = randomBlurKernel(new Rng(s), REALESRGAN_DEGRADATION.blur1);
      sizes.add(k.size);
      expect(sum(k.data)).toBeCloseTo(1, 10);
      expect(randomBlurKernel(new Rng(s), REALESRGAN_DEGRADATION.blur1).data).toEqual(k.data);
    }
    expect([...sizes].sort((a, b) => a - b)).toEqual([7, 9, 11, 13, 15, 17, 19, 21]);
  });
});

describe('filtering', () => {
  test('reflect padding: a kernel that reads the left neighbour mirrors at the edge (torch reflect)', () => {
    const k: Kernel = { size: 3, data: Float64Array.from([0, 0, 0, 1, 0, 0, 0, 0, 0]) };
    const img = image(5, 1, (x) => x / 10);
    // out[x] = in[x − 1]; in[−1] reflects to in[1]; the 1-row image reflects onto itself vertically
    expect(
      Array.from(
        filter2dDirect(img, k).data.filter((_, i) => i % 3 === 0),
        (v) => Math.round(v * 10),
      ),
    ).toEqual([1, 0, 1, 2, 3]);
  });

  test('an isotropic Gaussian is one separable term; separable filtering stays within 1/1024 of the 2-D one', () => {
    expect(separableTerms(gaussianKernel(15, 2))!.length).toBe(1);
    const rng = new Rng(3);
    const img = image(40, 33, () => rng.uniform());
    let separable = 0;
    for (let s = 0; s < 40; s++) {
      const k = randomBlurKernel(new Rng(100 + s), REALESRGAN_DEGRADATION.blur1);
      if (separableTerms(k)) separable++;
      expect(maxAbsDiff(filter2d(img, k).data, filter2dDirect(img, k).data)).toBeLessThan(1 / 1024);
    }
    expect(separable).toBeGreaterThan(20); // most kernels take the fast path
  });

  test('trimming drops only negligible outer rings', () => {
    const k = trimKernel(gaussianKernel(21, 1), 1 / 2048);
    expect(k.size).toBe(9); // mass beyond Chebyshev radius 4 of a σ = 1 Gaussian is ~1.3e-4
    expect(1 - sum(k.data)).toBeLessThan(1 / 2048);
    expect(trimKernel(gaussianKernel(7, 3), 1 / 2048).size).toBe(7);
  });

  test('a flat image stays flat under any kernel (sum 1, reflection)', () => {
    const img = image(12, 9, (_x, _y, c) => [0.2, 0.5, 0.9][c]);
    const out = filter2d(img, randomBlurKernel(new Rng(7), REALESRGAN_DEGRADATION.blur1));
    for (let i = 0; i < out.data.length; i++) expect(Math.abs(out.data[i] - [0.2, 0.5, 0.9][i % 3])).toBeLessThan(1 / 1024);
  });
});

describe('resizing (torch F.interpolate, align_corners false)', () => {
  test('area: 2x2 means; bilinear 4 → 2 averages pairs, 2 → 4 gives a, .75a+.25b, .25a+.75b, b', () => {
    const img = image(4, 2, (x, y) => x + 10 * y);
    const area = resize(img, 2, 1, 'area');
    expect(Array.from(area.data.filter((_, i) => i % 3 === 0))).toEqual([5.5, 7.5]);
    const small = image(2, 1, (x) => (x === 0 ? 0 : 1));
    const up = resize(small, 4, 1, 'bilinear');
    expect(Array.from(up.data.filter((_, i) => i % 3 === 0))).toEqual([0, 0.25, 0.75, 1]);
  });

  test("bicubic x2 up uses torch's coefficients (A = -0.75): -0.03515625, 0.26171875, 0.87890625, -0.10546875", () => {
    const ax = interpolateAxis(8, 16, 'bicubic');
    // output 5: src = 0.5·5.5 − 0.5 = 2.25 → taps 1..4, t = 0.25
    expect(Array.from(ax.index.subarray(20, 24))).toEqual([1, 2, 3, 4]);
    expect(Array.from(ax.weight.subarray(20, 24))).toEqual([-0.10546875, 0.87890625, 0.26171875, -0.03515625]);
    // a ramp 0..7 at output 4 (src 1.75, t = 0.75): 0.26171875·1 + 0.87890625·2 − 0.10546875·3 (A = −0.75 does not reproduce lines)
    const ramp = image(8, 1, (x) => x);
    const up = resize(ramp, 16, 1, 'bicubic').data.filter((_, i) => i % 3 === 0);
    expect(up[4]).toBeCloseTo(0.26171875 + 2 * 0.87890625 - 3 * 0.10546875, 6);
    expect(
      Array.from(
        resize(
          image(8, 3, () => 0.3),
          16,
          6,
          'bicubic',
        ).data,
      ).every((v) => Math.abs(v - 0.3) < 1e-6),
    ).toBe(true);
  });

  test('a scale factor keeps torch semantics: size floor(n·f), source step 1/f', () => {
    const ax = interpolateAxis(10, 6, 'bilinear', 1 / 0.65); // floor(10·0.65) = 6
    // output 0: src = (0.5)/0.65 − 0.5
    const src = 0.5 / 0.65 - 0.5;
    expect(ax.index[0]).toBe(0);
    expect(ax.weight[1]).toBeCloseTo(src, 12);
  });
});

describe('noise', () => {
  const grey = image(64, 64, () => 0.5);
  test('Gaussian: mean 0, standard deviation sigma/255; grey noise is the same in every channel', () => {
    const out = addGaussianNoise(grey, 10, false, new Rng(1));
    const e = Array.from(out.data, (v) => v - 0.5);
    const m = sum(e) / e.length,
      sd = Math.sqrt(sum(e.map((v) => (v - m) ** 2)) / e.length);
    expect(Math.abs(m)).toBeLessThan(0.002);
    expect(sd).toBeCloseTo(10 / 255, 3);
    const g = addGaussianNoise(grey, 10, true, new Rng(1)).data;
    let same = true;
    for (let p = 0; p < g.length; p += 3) same &&= g[p] === g[p + 1] && g[p] === g[p + 2];
    expect(same).toBe(true);
  });

  test('Poisson draws have mean and variance λ (both regimes)', () => {
    for (const lambda of [4, 100]) {
      const rng = new Rng(lambda);
      const xs = Array.from({ length: 20000 }, () => poisson(lambda, rng));
      const m = sum(xs) / xs.length,
        v = sum(xs.map((x) => (x - m) ** 2)) / xs.length;
      expect(Math.abs(m - lambda) / lambda).toBeLessThan(0.02);
      expect(Math.abs(v - lambda) / lambda).toBeLessThan(0.05);
    }
  });

  test('Poisson noise: levels → vals, noise = (Poisson(v·vals)/vals − v)·scale', () => {
    // one level (0.5 everywhere) → vals 1: the noise is (Poisson(0.5) − 0.5)·scale, mean 0, variance 0.5·scale²
    const out = addPoissonNoise(grey, 0.1, false, new Rng(2));
    const e = Array.from(out.data, (v) => v - 0.5);
    const m = sum(e) / e.length,
      v = sum(e.map((x) => (x - m) ** 2)) / e.length;
    expect(Math.abs(m)).toBeLessThan(0.002);
    expect(v / (0.5 * 0.01)).toBeCloseTo(1, 1);
  });
});

describe('degradeRealEsrgan', () => {
  const hr = image(128, 128, (x, y, c) => 0.5 + 0.4 * Math.sin(x / 3 + c) * Math.cos(y / 5));
  test('same seed, same LR bit for bit; the LR is HR/scale, on the 8-bit grid', () => {
    const a = degradeRealEsrgan(hr, 4, new Rng(11));
    expect([a.width, a.height]).toEqual([32, 32]);
    expect(degradeRealEsrgan(hr, 4, new Rng(11)).data).toEqual(a.data);
    expect(degradeRealEsrgan(hr, 4, new Rng(12)).data).not.toEqual(a.data);
    expect(a.data.every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-4 && v >= 0 && v <= 1)).toBe(true);
    const b = degradeRealEsrgan(hr, 2, new Rng(11));
    expect([b.width, b.height]).toEqual([64, 64]);
  });

  test('it degrades: on average the LR is far from the clean area-downscaled HR, but keeps its mean', () => {
    const clean = resize(hr, 32, 32, 'area');
    let meanDiff = 0,
      mse = 0;
    for (let s = 0; s < 10; s++) {
      const lr = degradeRealEsrgan(hr, 4, new Rng(s));
      meanDiff += (sum(lr.data) - sum(clean.data)) / lr.data.length / 10;
      mse += sum(Array.from(lr.data, (v, i) => (v - clean.data[i]) ** 2)) / lr.data.length / 10;
    }
    expect(Math.abs(meanDiff)).toBeLessThan(0.02);
    expect(mse).toBeGreaterThan(1e-3);
  });
});

describe('degradation levels', () => {
  // grey-ish (4:2:0 JPEG would dominate a saturated colour pattern)
  const hr = image(128, 128, (x, y, c) => 0.45 + 0.05 * c + 0.3 * Math.sin(x / 4) * Math.cos(y / 6));
  const clean = resize(hr, 32, 32, 'area');
  const rmse = (a: FloatRgb) => Math.sqrt(sum(Array.from(a.data, (v, i) => (v - clean.data[i]) ** 2)) / a.data.length);

  test('degradeMixed draws its level first (p 0.3 / 0.3 / 0.4), then degrades as degradeLevel does with the rest of the stream', () => {
    const counts = { weak: 0, standard: 0, severe: 0 };
    for (let k = 0; k < 2000; k++) {
      const u = new Rng(k).uniform();
      counts[u < 0.3 ? 'weak' : u < 0.6 ? 'standard' : 'severe']++;
    }
    expect(counts.weak / 2000).toBeCloseTo(0.3, 1);
    expect(counts.severe / 2000).toBeCloseTo(0.4, 1);
    expect(DEGRADATION_LEVELS.map((l) => l.p)).toEqual([0.3, 0.3, 0.4]);
    for (const k of [0, 1, 2, 3, 4, 5]) {
      const r = new Rng(k);
      const u = r.uniform();
      const level = u < 0.3 ? 'weak' : u < 0.6 ? 'standard' : 'severe';
      const a = degradeMixed(hr, 4, new Rng(k));
      expect(a.data).toEqual(degradeLevel(hr, 4, r, level).data);
      expect([a.width, a.height]).toEqual([32, 32]);
      expect(a.data.every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-4 && v >= 0 && v <= 1)).toBe(true);
    }
  });

  test('weak stays near the clean downscale, standard further, severe furthest (mean RMSE over 12 seeds)', () => {
    const mean = (level: 'weak' | 'standard' | 'severe') => {
      let e = 0;
      for (let k = 0; k < 12; k++) e += rmse(degradeLevel(hr, 4, new Rng(100 + k), level)) / 12;
      return e;
    };
    const [w, s, v] = [mean('weak'), mean('standard'), mean('severe')];
    // weak: σ ≤ 0.8 blur, σ ≤ 10 noise, JPEG ≥ 90 — a few 8-bit levels from the clean LR (measured 3.7; standard 7.0, severe 17)
    expect(w).toBeGreaterThan(1 / 255);
    expect(w).toBeLessThan(6 / 255);
    expect(s).toBeGreaterThan(w);
    expect(v).toBeGreaterThan(s);
    // and the same seed replays bit for bit
    expect(degradeLevel(hr, 4, new Rng(7), 'standard').data).toEqual(degradeLevel(hr, 4, new Rng(7), 'standard').data);
  });
});
