import { mse, psnr, ssim, psnrY, ssimY, gaussianWindow1d, gradientEnergy, detailRatioY } from './metrics';
import { PixelImage } from '@diffgan/image';
import { Rng } from '@diffgan/core-models';

function plane(width: number, height: number, f: (x: number, y: number) => number): PixelImage<Float64Array> {
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { data, width, height, channels: 1 };
}

const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

/**
 * Brute-force SSIM straight from Wang et al.: a full 11x11 window built from
 * the fspecial('gaussian') formula, local moments summed directly at every
 * 'valid' position. Independent of the separable implementation.
 */
function bruteForceSsim(a: PixelImage, b: PixelImage): number {
  const r = 5;
  const win: number[] = [];
  let total = 0;
  for (let dy = -r; dy <= r; dy++)
    for (let dx = -r; dx <= r; dx++) {
      const v = Math.exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5));
      win.push(v);
      total += v;
    }
  const { width: w, height: h } = a;
  let sum = 0;
  let count = 0;
  for (let cy = r; cy < h - r; cy++) {
    for (let cx = r; cx < w - r; cx++) {
      let m1 = 0,
        m2 = 0,
        e11 = 0,
        e22 = 0,
        e12 = 0;
      let k = 0;
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const wt = win[k++] / total;
          const p = a.data[(cy + dy) * w + cx + dx];
          const q = b.data[(cy + dy) * w + cx + dx];
          m1 += wt * p;
          m2 += wt * q;
          e11 += wt * p * p;
          e22 += wt * q * q;
          e12 += wt * p * q;
        }
      const s11 = e11 - m1 * m1,
        s22 = e22 - m2 * m2,
        s12 = e12 - m1 * m2;
      sum += ((2 * m1 * m2 + C1) * (2 * s12 + C2)) / ((m1 * m1 + m2 * m2 + C1) * (s11 + s22 + C2));
      count++;
    }
  }
  return sum / count;
}

describe('PSNR', () => {
  test('hand cases', () => {
    const zero = plane(4, 4, () => 0);
    const ten = plane(4, 4, () => 10);
    expect(mse(zero, ten)).toBe(100);
    // 10 log10(255² / 100) = 10 log10(650.25)
    expect(psnr(zero, ten)).toBeCloseTo(28.130803608679102, 10);
    // Peak 1, error 0.1 everywhere: 10 log10(1 / 0.01) = 20 dB.
    expect(
      psnr(
        plane(3, 3, () => 0.5),
        plane(3, 3, () => 0.6),
        { peak: 1 },
      ),
    ).toBeCloseTo(20, 10);
    // One pixel off by 255 in a 4x4 image: MSE = 255²/16, PSNR = 10 log10(16).
    const one = plane(4, 4, (x, y) => (x === 0 && y === 0 ? 255 : 0));
    expect(psnr(zero, one)).toBeCloseTo(10 * Math.log10(16), 10);
    expect(psnr(ten, ten)).toBe(Infinity);
  });

  test('shape mismatch throws', () => {
    expect(() =>
      psnr(
        plane(4, 4, () => 0),
        plane(4, 3, () => 0),
      ),
    ).toThrow(/shapes differ/);
  });
});

describe('SSIM', () => {
  const rng = new Rng(42);
  const noisy = plane(32, 24, () => rng.uniform() * 255);

  test('identical images give exactly 1', () => {
    expect(ssim(noisy, noisy)).toBeCloseTo(1, 12);
  });

  test('two constant images: (2ab + C1) / (a² + b² + C1)', () => {
    const a = 100;
    const b = 140;
    expect(
      ssim(
        plane(16, 16, () => a),
        plane(16, 16, () => b),
      ),
    ).toBeCloseTo((2 * a * b + C1) / (a * a + b * b + C1), 12);
  });

  test('a constant offset leaves only the luminance term', () => {
    // y = x + c: local variances and covariance are equal, so each window scores
    // (2 m (m + c) + C1) / (m² + (m + c)² + C1) with m the local mean of x.
    const ramp = plane(20, 20, (x, y) => 3 * x + 2 * y + 10); // local mean of a ramp = value at the centre
    const c = 30;
    const shifted = plane(20, 20, (x, y) => 3 * x + 2 * y + 10 + c);
    let sum = 0;
    for (let y = 5; y < 15; y++)
      for (let x = 5; x < 15; x++) {
        const m = 3 * x + 2 * y + 10;
        sum += (2 * m * (m + c) + C1) / (m * m + (m + c) ** 2 + C1);
      }
    expect(ssim(ramp, shifted)).toBeCloseTo(sum / 100, 10);
  });

  test('matches a brute-force 2-D window computation on random images', () => {
    const other = plane(32, 24, (x, y) => 0.7 * noisy.data[y * 32 + x] + 40 * Math.sin(x / 3) + rng.uniform() * 30);
    expect(ssim(noisy, other)).toBeCloseTo(bruteForceSsim(noisy, other), 10);
    expect(ssim(other, noisy)).toBeCloseTo(ssim(noisy, other), 12); // symmetric
    expect(ssim(noisy, other)).toBeLessThan(1);
  });

  test('Gaussian window matches fspecial(11, 1.5) centre/edge ratio', () => {
    const w = gaussianWindow1d(11, 1.5);
    expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15);
    expect(w[0] / w[5]).toBeCloseTo(Math.exp(-25 / 4.5), 15);
  });

  test('rejects multi-channel input and images smaller than the window', () => {
    expect(() => ssim({ ...noisy, channels: 3, data: new Float64Array(32 * 24 * 3) }, { ...noisy, channels: 3, data: new Float64Array(32 * 24 * 3) })).toThrow(
      /single-channel/,
    );
    expect(() =>
      ssim(
        plane(10, 30, () => 0),
        plane(10, 30, () => 0),
      ),
    ).toThrow(/smaller/);
  });
});

describe('psnrY / ssimY (SR protocol helpers)', () => {
  test('grey RGB images: Y difference is 219/255 of the RGB difference, border shaved', () => {
    // R=G=B=v gives Y = 16 + 219 v / 255; a uniform RGB error of 10 is a Y error of 8.588...
    const w = 20,
      h = 16;
    const hr = { data: new Uint8Array(w * h * 3).fill(100), width: w, height: h, channels: 3 };
    const sr = { data: new Uint8Array(w * h * 3).fill(110), width: w, height: h, channels: 3 };
    // Corrupt the 2-pixel border of sr heavily: shaving must hide it.
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        if (x < 2 || y < 2 || x >= w - 2 || y >= h - 2) sr.data.fill(255, (y * w + x) * 3, (y * w + x) * 3 + 3);
      }
    const dy = (219 * 10) / 255;
    expect(psnrY(sr, hr, 2, { roundY: false })).toBeCloseTo(10 * Math.log10((255 * 255) / (dy * dy)), 10);
    // Rounded Y: 16 + 219*100/255 = 101.88 -> 102, 16 + 219*110/255 = 110.47 -> 110; error 8.
    expect(psnrY(sr, hr, 2)).toBeCloseTo(10 * Math.log10((255 * 255) / 64), 10);
    expect(ssimY(hr, hr, 2)).toBeCloseTo(1, 12);
  });

  test('a 1-channel image is compared as its RGB expansion', () => {
    const grey = { data: new Uint8Array(16 * 16).fill(50), width: 16, height: 16, channels: 1 };
    const rgb = { data: new Uint8Array(16 * 16 * 3).fill(50), width: 16, height: 16, channels: 3 };
    expect(psnrY(grey, rgb, 2)).toBe(Infinity);
  });
});

describe('gradientEnergy / detailRatioY', () => {
  test('hand-computed plane: mean |horizontal and vertical differences|', () => {
    // [[0, 10], [30, 70]]: horizontal |10|, |40|; vertical |30|, |60| → 140 / 4 = 35
    expect(gradientEnergy({ data: Float64Array.of(0, 10, 30, 70), width: 2, height: 2, channels: 1 })).toBe(35);
    expect(gradientEnergy({ data: new Float64Array(9).fill(5), width: 3, height: 3, channels: 1 })).toBe(0);
  });

  test('detail ratio: 1 for the original, 0.5 at half contrast, 0 when flat (grey RGB, Y unrounded)', () => {
    const w = 12,
      h = 10;
    const stripes = (amp: number) => {
      const d = new Uint8Array(w * h * 3);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d.fill(100 + (x % 2 ? amp : -amp), (y * w + x) * 3, (y * w + x) * 3 + 3);
      return { data: d, width: w, height: h, channels: 3 };
    };
    const hr = stripes(40);
    expect(detailRatioY(hr, hr, 2, { roundY: false })).toBeCloseTo(1, 12);
    expect(detailRatioY(stripes(20), hr, 2, { roundY: false })).toBeCloseTo(0.5, 12);
    expect(detailRatioY(stripes(0), hr, 2, { roundY: false })).toBe(0);
  });
});
