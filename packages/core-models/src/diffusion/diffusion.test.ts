import * as tf from '../tf';
import { initBackend } from '../backend';
import { Rng } from '../rng';
import { linearSchedule, cosineSchedule, vpSdeSchedule, posteriorCoefs, respace, alphaBarAt } from './schedule';
import { qSample, target, predictionToX0Eps, Parameterisation, diffusionLoss } from './objective';
import { ddpmSample, ddimSample, Denoiser } from './samplers';

beforeAll(async () => { await initBackend({ backend: 'wasm' }); });

describe('schedules', () => {
  test('linear: Ho et al. endpoints and alphaBar at T (≈ 4.04e-5)', () => {
    const s = linearSchedule(1000);
    expect(s.betas[0]).toBeCloseTo(1e-4, 12);
    expect(s.betas[999]).toBeCloseTo(0.02, 12);
    // prod(1 - beta_i) over the 1000 linear betas, computed independently in float64
    let p = 1; for (let i = 0; i < 1000; i++) p *= 1 - (1e-4 + (0.02 - 1e-4) * i / 999);
    expect(s.alphaBars[999]).toBeCloseTo(p, 15);
    expect(s.alphaBars[999]).toBeGreaterThan(4.0e-5);
    expect(s.alphaBars[999]).toBeLessThan(4.1e-5);
  });
  test('cosine: alphaBar(t) = f(t)/f(0) until the 0.999 clip', () => {
    const s = cosineSchedule(1000), f = (t: number) => Math.cos(((t / 1000 + 0.008) / 1.008) * Math.PI / 2) ** 2;
    for (const i of [0, 100, 500, 900]) expect(s.alphaBars[i]).toBeCloseTo(f(i + 1) / f(0), 10);
    expect(Math.max(...s.betas)).toBeLessThanOrEqual(0.999);
  });
  test('vp-sde (DiffGAN, T=4): betas match the closed form', () => {
    const s = vpSdeSchedule(4);
    expect(s.betas[0]).toBeCloseTo(1 - Math.exp(-0.1 / 4 - 0.5 * 19.9 * 1 / 16), 12);
    expect(s.betas[3]).toBeCloseTo(1 - Math.exp(-0.1 / 4 - 0.5 * 19.9 * 7 / 16), 12);
    expect(s.alphaBars[3]).toBeCloseTo(Math.exp(-0.1 - 0.5 * 19.9), 10); // ∫β = βmin + (βmax-βmin)/2
  });
  test('posterior coefficients of a one-step chain are Bayes-consistent', () => {
    const s = linearSchedule(100);
    for (const i of [1, 50, 99]) {
      const { c0, ct, variance } = posteriorCoefs(s, i);
      const abT = alphaBarAt(s, i), abP = alphaBarAt(s, i - 1);
      // the posterior mean must reproduce E[x_{t-1}|x0] = sqrt(abP) x0 when x_t is averaged out
      expect(c0 + ct * Math.sqrt(abT)).toBeCloseTo(Math.sqrt(abP), 12);
      // total variance: Var[x_{t-1}|x0] = ct²·(1 − abT) + variance = 1 − abP
      expect(ct * ct * (1 - abT) + variance).toBeCloseTo(1 - abP, 12);
    }
  });
  test('respace keeps alphaBar at the chosen steps', () => {
    const s = linearSchedule(1000);
    const { timesteps, schedule } = respace(s, 10);
    expect(timesteps).toEqual([0, 111, 222, 333, 444, 555, 666, 777, 888, 999]);
    timesteps.forEach((t, k) => expect(schedule.alphaBars[k]).toBeCloseTo(s.alphaBars[t], 12));
  });
});

describe('parameterisations', () => {
  test.each(['eps', 'x0', 'v'] as Parameterisation[])('%s: the target converts back to the true x0 and eps', (param) => {
    const s = cosineSchedule(100), rng = new Rng(1);
    const x0 = tf.tensor4d(rng.normalArray(2 * 4 * 4), [2, 4, 4, 1]), eps = tf.tensor4d(rng.normalArray(2 * 4 * 4), [2, 4, 4, 1]);
    const t = [3, 77];
    const xt = qSample(s, x0, t, eps);
    const back = predictionToX0Eps(param, s, target(param, s, x0, t, eps), xt, t);
    expect(tf.max(tf.abs(back.x0.sub(x0))).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(back.eps.sub(eps))).dataSync()[0]).toBeLessThan(1e-4);
  });
  test('MSE objective is 0 for a perfect predictor and equals E[eps²] for a zero predictor', () => {
    const s = linearSchedule(50), rng = new Rng(2);
    const x0 = tf.tensor4d(rng.normalArray(4 * 8 * 8), [4, 8, 8, 1]), eps = tf.tensor4d(rng.normalArray(4 * 8 * 8), [4, 8, 8, 1]);
    const t = [0, 10, 20, 49];
    const perfect = diffusionLoss('eps', s, () => eps, x0, t, eps).dataSync()[0];
    const zero = diffusionLoss('eps', s, (xt) => tf.zerosLike(xt), x0, t, eps).dataSync()[0];
    expect(perfect).toBeLessThan(1e-10);
    expect(zero).toBeCloseTo(eps.square().mean().dataSync()[0], 5);
  });
});

/**
 * For data x0 ~ N(mu, sd²) the optimal denoiser is known in closed form:
 * E[x0 | x_t] = mu + sqrt(ab)·sd²·(x_t − sqrt(ab)·mu) / (ab·sd² + 1 − ab).
 * Both samplers driven by it must reproduce N(mu, sd²).
 */
describe('samplers with the exact Gaussian denoiser', () => {
  const mu = 0.7, sd = 0.3;
  const oracle = (s: ReturnType<typeof linearSchedule>): Denoiser => (xt, t) => {
    const ab = alphaBarAt(s, t[0]);
    return xt.sub(Math.sqrt(ab) * mu).mul((Math.sqrt(ab) * sd * sd) / (ab * sd * sd + 1 - ab)).add(mu) as tf.Tensor4D;
  };
  const stats = (x: tf.Tensor) => { const m = x.mean().dataSync()[0]; return { m, sd: Math.sqrt(x.sub(m).square().mean().dataSync()[0]) }; };
  test('DDPM, 1000 steps', () => {
    const s = linearSchedule(1000);
    const r = stats(ddpmSample(oracle(s), s, [1, 32, 32, 4], new Rng(3), { param: 'x0' }));
    expect(r.m).toBeCloseTo(mu, 1);
    expect(Math.abs(r.sd - sd)).toBeLessThan(0.02);
  });
  test('DDIM, 50 steps, eta 0', () => {
    const s = linearSchedule(1000);
    const r = stats(ddimSample(oracle(s), s, [1, 32, 32, 4], new Rng(4), { param: 'x0', steps: 50 }));
    expect(r.m).toBeCloseTo(mu, 1);
    expect(Math.abs(r.sd - sd)).toBeLessThan(0.025);
  });
  // With big steps, plugging in the posterior mean of x0 drops Var[x0 | x_t]: samples
  // shrink toward the mean as steps get fewer (why few-step samplers blur; DiffGAN's point).
  test('fewer DDIM / respaced-DDPM steps shrink the sample spread monotonically', () => {
    const s = linearSchedule(1000);
    const ddim = [4, 10, 50].map((steps) => stats(ddimSample(oracle(s), s, [1, 32, 32, 4], new Rng(4), { param: 'x0', steps })).sd);
    expect(ddim[0]).toBeLessThan(ddim[1]);
    expect(ddim[1]).toBeLessThan(ddim[2]);
    const ddpm = [5, 25, 1000].map((steps) => stats(ddpmSample(oracle(s), s, [1, 32, 32, 4], new Rng(6), { param: 'x0', steps })).sd);
    expect(ddpm[0]).toBeLessThan(ddpm[1]);
    expect(ddpm[1]).toBeLessThan(ddpm[2]);
  });
  test('DDIM with eta 0 is deterministic given the seed, eta 1 is not the same path', () => {
    const s = cosineSchedule(100);
    const a = ddimSample(oracle(s), s, [1, 4, 4, 1], new Rng(5), { param: 'x0', steps: 5 }).dataSync();
    const b = ddimSample(oracle(s), s, [1, 4, 4, 1], new Rng(5), { param: 'x0', steps: 5 }).dataSync();
    const c = ddimSample(oracle(s), s, [1, 4, 4, 1], new Rng(5), { param: 'x0', steps: 5, eta: 1 }).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});
