import { tf } from './tf';
import { initBackend } from './backend';
import { Rng } from './rng';
import { discriminatorLoss, generatorLoss, r1Penalty } from './gan';
import { vpSdeSchedule, posteriorCoefs, alphaBarAt } from './diffusion/schedule';
import { posteriorSample, diffusePair } from './diffgan';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('GAN losses (hand-computed)', () => {
  const real = () => tf.tensor1d([2, 0.5]),
    fake = () => tf.tensor1d([-1, 0.25]);
  test('LSGAN', () => {
    // D: 0.5·mean((r−1)²) + 0.5·mean(f²) = 0.5·(1+0.25)/2 + 0.5·(1+0.0625)/2
    expect(discriminatorLoss('lsgan', real(), fake()).dataSync()[0]).toBeCloseTo(0.3125 + 0.265625, 6);
    // G: 0.5·mean((f−1)²) = 0.5·(4 + 0.5625)/2
    expect(generatorLoss('lsgan', fake()).dataSync()[0]).toBeCloseTo(1.140625, 6);
  });
  test('hinge', () => {
    // D: mean(relu(1−r)) + mean(relu(1+f)) = (0+0.5)/2 + (0+1.25)/2
    expect(discriminatorLoss('hinge', real(), fake()).dataSync()[0]).toBeCloseTo(0.875, 6);
    expect(generatorLoss('hinge', fake()).dataSync()[0]).toBeCloseTo(0.375, 6);
  });
  test('non-saturating', () => {
    const sp = (x: number) => Math.log1p(Math.exp(x));
    expect(discriminatorLoss('nonsaturating', real(), fake()).dataSync()[0]).toBeCloseTo((sp(-2) + sp(-0.5)) / 2 + (sp(-1) + sp(0.25)) / 2, 5);
    expect(generatorLoss('nonsaturating', fake()).dataSync()[0]).toBeCloseTo((sp(1) + sp(-0.25)) / 2, 5);
  });
});

describe('R1 penalty', () => {
  test('linear D: an unbiased estimate of ‖w‖² (4,096 draws: ±2.2% one sigma)', () => {
    const rng = new Rng(1);
    const w = tf.tensor4d(rng.normalArray(4 * 4 * 2), [1, 4, 4, 2]);
    const D = (x: tf.Tensor4D) => x.mul(w).sum([1, 2, 3]);
    const x = tf.tensor4d(rng.normalArray(16 * 32), [16, 4, 4, 2]);
    const ratio = r1Penalty(D, x, rng, { directions: 256 }).dataSync()[0] / w.square().sum().dataSync()[0];
    expect(Math.abs(ratio - 1)).toBeLessThan(0.08);
  });
  test('non-linear D: matches the exact ‖∇ₓD‖² from autodiff within sampling error', () => {
    const rng = new Rng(2);
    const w = tf.tensor4d(rng.normalArray(3 * 3 * 2 * 3), [3, 3, 2, 3]);
    const D = (x: tf.Tensor4D) => tf.tanh(tf.conv2d(x, w, 1, 'same')).sum([1, 2, 3]);
    const x = tf.tensor4d(rng.normalArray(2 * 6 * 6 * 2), [2, 6, 6, 2]);
    const exact = tf
      .grad((xx: tf.Tensor) => D(xx as tf.Tensor4D).sum())(x)
      .square()
      .sum()
      .div(2)
      .dataSync()[0];
    const est = r1Penalty(D, x, rng, { directions: 400, sigma: 1e-3 }).dataSync()[0];
    expect(Math.abs(est - exact) / exact).toBeLessThan(0.15);
  });
});

describe('R1 penalty of a patch discriminator', () => {
  test("per patch (the default): the mean over patches of each patch score's ‖∇ₓD_p‖²; perPatch: false (opt-in) penalises their sum", () => {
    const rng = new Rng(4);
    // a 2x2 patch map: 3x3 'valid' conv of a 4x4 image, each patch a linear function
    // non-negative weights, as in a smoothing D: the 4 overlapping copies add up, so ‖∇ Σ_p D_p‖² ≥ 4 ‖w‖²
    const w = tf.tensor4d(rng.normalArray(3 * 3 * 1).map(Math.abs), [3, 3, 1, 1]);
    const D = (x: tf.Tensor4D) => tf.conv2d(x, w, 1, 'valid');
    const x = tf.tensor4d(rng.normalArray(8 * 16), [8, 4, 4, 1]);
    const wsq = w.square().sum().dataSync()[0];
    // every patch sees all 9 weights: per patch ‖∇D_p‖² = ‖w‖²
    const perPatch = r1Penalty(D, x, rng, { directions: 512, perPatch: true }).dataSync()[0];
    expect(Math.abs(perPatch / wsq - 1)).toBeLessThan(0.08);
    // the sum of the 4 patch scores: its gradient is w summed over 4 shifted copies
    const exactSum = tf
      .grad((xx: tf.Tensor) => D(xx as tf.Tensor4D).sum())(x.slice([0, 0, 0, 0], [1, 4, 4, 1]))
      .square()
      .sum()
      .dataSync()[0];
    const summed = r1Penalty(D, x, rng, { directions: 512, perPatch: false }).dataSync()[0];
    // the default is per patch
    expect(r1Penalty(D, x, new Rng(4), { directions: 64 }).dataSync()[0]).toBeCloseTo(
      r1Penalty(D, x, new Rng(4), { directions: 64, perPatch: true }).dataSync()[0],
      6,
    );
    expect(Math.abs(summed / exactSum - 1)).toBeLessThan(0.1);
    expect(exactSum).toBeGreaterThan(4 * wsq);
    expect(summed / perPatch).toBeGreaterThan(3.5); // ~P times: what flattened the seed-table DiffGAN's 14x14-patch D
  });
});

describe('DiffGAN pieces', () => {
  test('posterior sample: mean c0·x0 + ct·x_t, variance as the closed form, none at t = 0', () => {
    const s = vpSdeSchedule(4),
      rng = new Rng(3);
    const x0 = tf.fill([1, 64, 64, 1], 0.5) as tf.Tensor4D,
      xt = tf.fill([1, 64, 64, 1], -0.2) as tf.Tensor4D;
    const noise = () => tf.tensor4d(rng.normalArray(64 * 64), [1, 64, 64, 1]);
    const y = posteriorSample(s, x0, xt, [2], noise());
    const { c0, ct, variance } = posteriorCoefs(s, 2);
    const m = y.mean().dataSync()[0],
      v = y.sub(m).square().mean().dataSync()[0];
    expect(m).toBeCloseTo(c0 * 0.5 + ct * -0.2, 1);
    expect(v / variance).toBeGreaterThan(0.9);
    expect(v / variance).toBeLessThan(1.1);
    const y0 = posteriorSample(s, x0, xt, [0], noise());
    expect(
      y0
        .sub(x0.mul(posteriorCoefs(s, 0).c0).add(xt.mul(posteriorCoefs(s, 0).ct)))
        .abs()
        .max()
        .dataSync()[0],
    ).toBeLessThan(1e-6);
    expect(posteriorCoefs(s, 0).c0).toBeCloseTo(1, 6); // at the first step the posterior is x0 itself
  });
  test('diffusePair has the marginals of q(x_t | x0)', () => {
    const s = vpSdeSchedule(4),
      rng = new Rng(4);
    const x0 = tf.fill([1, 96, 96, 1], 1) as tf.Tensor4D;
    const noise = () => tf.tensor4d(rng.normalArray(96 * 96), [1, 96, 96, 1]);
    const { xPrev, xt } = diffusePair(s, x0, [2], noise(), noise());
    for (const [x, i] of [
      [xPrev, 1],
      [xt, 2],
    ] as const) {
      const m = x.mean().dataSync()[0],
        v = x.sub(m).square().mean().dataSync()[0];
      expect(m).toBeCloseTo(Math.sqrt(alphaBarAt(s, i)), 1);
      expect(v / (1 - alphaBarAt(s, i))).toBeGreaterThan(0.9);
      expect(v / (1 - alphaBarAt(s, i))).toBeLessThan(1.1);
    }
  });
});
