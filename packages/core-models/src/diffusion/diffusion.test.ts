import { tf } from '../tf';
import { initBackend } from '../backend';
import { Rng } from '../rng';
import { linearSchedule, cosineSchedule, vpSdeSchedule, posteriorCoefs, respace, alphaBarAt } from './schedule';
import { qSample, target, predictionToX0Eps, Parameterisation, diffusionLoss } from './objective';
import { createDenoiser, runnerNet, sampleAncestral, sampleDdim, sampleDiffgan, timeInput, Denoiser, HostNet } from './sampling';
import { fromBetas } from './schedule';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('schedules', () => {
  test('linear: Ho et al. endpoints and alphaBar at T (≈ 4.04e-5)', () => {
    const s = linearSchedule(1000);
    expect(s.betas[0]).toBeCloseTo(1e-4, 12);
    expect(s.betas[999]).toBeCloseTo(0.02, 12);
    // prod(1 - beta_i) over the 1000 linear betas, computed independently in float64
    let p = 1;
    for (let i = 0; i < 1000; i++) p *= 1 - (1e-4 + ((0.02 - 1e-4) * i) / 999);
    expect(s.alphaBars[999]).toBeCloseTo(p, 15);
    expect(s.alphaBars[999]).toBeGreaterThan(4.0e-5);
    expect(s.alphaBars[999]).toBeLessThan(4.1e-5);
  });
  test('cosine: alphaBar(t) = f(t)/f(0) until the 0.999 clip', () => {
    const s = cosineSchedule(1000),
      f = (t: number) => Math.cos((((t / 1000 + 0.008) / 1.008) * Math.PI) / 2) ** 2;
    for (const i of [0, 100, 500, 900]) expect(s.alphaBars[i]).toBeCloseTo(f(i + 1) / f(0), 10);
    expect(Math.max(...s.betas)).toBeLessThanOrEqual(0.999);
  });
  test('vp-sde (DiffGAN, T=4): betas match the closed form', () => {
    const s = vpSdeSchedule(4);
    expect(s.betas[0]).toBeCloseTo(1 - Math.exp(-0.1 / 4 - (0.5 * 19.9 * 1) / 16), 12);
    expect(s.betas[3]).toBeCloseTo(1 - Math.exp(-0.1 / 4 - (0.5 * 19.9 * 7) / 16), 12);
    expect(s.alphaBars[3]).toBeCloseTo(Math.exp(-0.1 - 0.5 * 19.9), 10); // ∫β = βmin + (βmax-βmin)/2
  });
  test('posterior coefficients of a one-step chain are Bayes-consistent', () => {
    const s = linearSchedule(100);
    for (const i of [1, 50, 99]) {
      const { c0, ct, variance } = posteriorCoefs(s, i);
      const abT = alphaBarAt(s, i),
        abP = alphaBarAt(s, i - 1);
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
    const s = cosineSchedule(100),
      rng = new Rng(1);
    const x0 = tf.tensor4d(rng.normalArray(2 * 4 * 4), [2, 4, 4, 1]),
      eps = tf.tensor4d(rng.normalArray(2 * 4 * 4), [2, 4, 4, 1]);
    const t = [3, 77];
    const xt = qSample(s, x0, t, eps);
    const back = predictionToX0Eps(param, s, target(param, s, x0, t, eps), xt, t);
    expect(tf.max(tf.abs(back.x0.sub(x0))).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(back.eps.sub(eps))).dataSync()[0]).toBeLessThan(1e-4);
  });
  test('MSE objective is 0 for a perfect predictor and equals E[eps²] for a zero predictor', () => {
    const s = linearSchedule(50),
      rng = new Rng(2);
    const x0 = tf.tensor4d(rng.normalArray(4 * 8 * 8), [4, 8, 8, 1]),
      eps = tf.tensor4d(rng.normalArray(4 * 8 * 8), [4, 8, 8, 1]);
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
  const mu = 0.7,
    sd = 0.3,
    shape = [1, 32, 32, 4];
  const oracle = (s: ReturnType<typeof linearSchedule>): Denoiser =>
    createDenoiser({
      schedule: s,
      parameterisation: 'x0',
      net: async ({ x, t }) => {
        const ab = alphaBarAt(s, Math.round((t.data[0] * s.T) / 1000)),
          k = (Math.sqrt(ab) * sd * sd) / (ab * sd * sd + 1 - ab);
        return x.data.map((v) => mu + k * (v - Math.sqrt(ab) * mu));
      },
    });
  const stats = (x: Float32Array) => {
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    return { m, sd: Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length) };
  };
  test('DDPM, 1000 steps', async () => {
    const r = stats(await sampleAncestral(oracle(linearSchedule(1000)), { shape, rng: new Rng(3) }));
    expect(r.m).toBeCloseTo(mu, 1);
    expect(Math.abs(r.sd - sd)).toBeLessThan(0.02);
  });
  test('DDIM, 50 steps, eta 0', async () => {
    const r = stats(await sampleDdim(oracle(linearSchedule(1000)), { shape, rng: new Rng(4), steps: 50 }));
    expect(r.m).toBeCloseTo(mu, 1);
    expect(Math.abs(r.sd - sd)).toBeLessThan(0.025);
  });
  // With big steps, plugging in the posterior mean of x0 drops Var[x0 | x_t]: samples
  // shrink toward the mean as steps get fewer (why few-step samplers blur; DiffGAN's point).
  test('fewer DDIM / respaced-DDPM steps shrink the sample spread monotonically', async () => {
    const den = oracle(linearSchedule(1000));
    const ddim: number[] = [],
      ddpm: number[] = [];
    for (const steps of [4, 10, 50]) ddim.push(stats(await sampleDdim(den, { shape, rng: new Rng(4), steps })).sd);
    for (const steps of [5, 25, 1000]) ddpm.push(stats(await sampleAncestral(den, { shape, rng: new Rng(6), steps })).sd);
    expect(ddim[0]).toBeLessThan(ddim[1]);
    expect(ddim[1]).toBeLessThan(ddim[2]);
    expect(ddpm[0]).toBeLessThan(ddpm[1]);
    expect(ddpm[1]).toBeLessThan(ddpm[2]);
  });
});

/**
 * Two steps by hand on a 1-D toy: betas [0.1, 0.3] (ᾱ = 0.9, 0.63), a linear net, and the
 * rng's own draws (read back from a fresh Rng with the same seed) as the noise.
 */
describe('samplers, steps computed by hand', () => {
  const s = fromBetas([0.1, 0.3]),
    ab0 = 0.9,
    ab1 = 0.63;
  const draws = (seed: number, k: number): number[] => Array.from(new Rng(seed).normalArray(k));
  /** a net that records the time inputs it saw */
  const linearNet =
    (a: number, b: number, seen: number[]): HostNet =>
    async ({ x, t, z }) => {
      seen.push(t.data[0]);
      return x.data.map((v, i) => a * v + b + (z ? z.data[i] : 0));
    };
  const close = (x: Float32Array, want: number) => expect(x[0]).toBeCloseTo(want, 5);

  test('time input: index·1000/T, fed by the denoiser', async () => {
    expect([timeInput(1, 2), timeInput(3, 4), timeInput(999, 1000)]).toEqual([500, 750, 999]);
    const seen: number[] = [];
    await sampleAncestral(createDenoiser({ net: linearNet(0.5, 0.1, seen), parameterisation: 'x0', schedule: s }), { shape: [1, 1], rng: new Rng(1) });
    expect(seen).toEqual([500, 0]);
  });

  test('ancestral (x0 net 0.5·x + 0.1): posterior draw then the last x0', async () => {
    const [n0, n1] = draws(1, 2);
    const x0a = 0.5 * n0 + 0.1;
    const c0 = (0.3 * Math.sqrt(ab0)) / (1 - ab1),
      ct = ((1 - ab0) * Math.sqrt(0.7)) / (1 - ab1),
      v = (0.3 * (1 - ab0)) / (1 - ab1);
    const x1 = c0 * x0a + ct * n0 + Math.sqrt(v) * n1;
    const out = await sampleAncestral(createDenoiser({ net: linearNet(0.5, 0.1, []), parameterisation: 'x0', schedule: s }), {
      shape: [1, 1],
      rng: new Rng(1),
    });
    close(out, 0.5 * x1 + 0.1);
    // clip applies to every x0 prediction: with [-0.05, 0.05] the result is the clipped last x0
    const clipped = await sampleAncestral(createDenoiser({ net: linearNet(0.5, 0.1, []), parameterisation: 'x0', schedule: s }), {
      shape: [1, 1],
      rng: new Rng(1),
      clip: [-0.05, 0.05],
    });
    close(clipped, Math.min(0.05, Math.max(-0.05, 0.5 * (c0 * Math.min(0.05, Math.max(-0.05, x0a)) + ct * n0 + Math.sqrt(v) * n1) + 0.1)));
  });

  test('DDIM eta 0 (eps net 0.2·x) and eta 1', async () => {
    const [n0, n1] = draws(2, 2);
    const den = createDenoiser({ net: linearNet(0.2, 0, []), parameterisation: 'eps', schedule: s });
    // t = 1: x0 = (x − sqrt(1−ᾱ1)·eps)/sqrt(ᾱ1), x_prev = sqrt(ᾱ0)·x0 + sqrt(1−ᾱ0)·eps; t = 0: the x0 of x_prev
    const x0 = (x: number, ab: number) => (x - Math.sqrt(1 - ab) * 0.2 * x) / Math.sqrt(ab);
    const xPrev = Math.sqrt(ab0) * x0(n0, ab1) + Math.sqrt(1 - ab0) * 0.2 * n0;
    close(await sampleDdim(den, { shape: [1, 1], rng: new Rng(2) }), x0(xPrev, ab0));
    const sigma = Math.sqrt(((1 - ab0) / (1 - ab1)) * (1 - ab1 / ab0));
    const xPrev1 = Math.sqrt(ab0) * x0(n0, ab1) + Math.sqrt(1 - ab0 - sigma * sigma) * 0.2 * n0 + sigma * n1;
    close(await sampleDdim(den, { shape: [1, 1], rng: new Rng(2), eta: 1 }), x0(xPrev1, ab0));
  });

  test('DiffGAN (generator x + z): draw order start, z, posterior noise, z; 1 step starts at the top level', async () => {
    const [n0, z1, e1, z0] = draws(3, 4);
    const den = createDenoiser({ net: linearNet(1, 0, []), parameterisation: 'x0', schedule: s, latentDim: 1 });
    const c0 = (0.3 * Math.sqrt(ab0)) / (1 - ab1),
      ct = ((1 - ab0) * Math.sqrt(0.7)) / (1 - ab1),
      v = (0.3 * (1 - ab0)) / (1 - ab1);
    const x1 = c0 * (n0 + z1) + ct * n0 + Math.sqrt(v) * e1;
    close(await sampleDiffgan(den, { shape: [1, 1], rng: new Rng(3) }), x1 + z0);
    // one step: from the top level (a zero-mean start has std sqrt(1 − ᾱ1)), one generator call
    const seen: number[] = [];
    const one = createDenoiser({ net: linearNet(1, 0, seen), parameterisation: 'x0', schedule: s, latentDim: 1 });
    close(await sampleDiffgan(one, { shape: [1, 1], rng: new Rng(3), steps: 1, start: 'zero-mean' }), n0 * Math.sqrt(1 - ab1) + z1);
    expect(seen).toEqual([500]);
    // explicit levels: [0] starts at the least noisy level
    close(await sampleDiffgan(den, { shape: [1, 1], rng: new Rng(3), levels: [0], start: 'zero-mean' }), n0 * Math.sqrt(1 - ab0) + z1);
    await expect(sampleAncestral(den, { shape: [1, 1], rng: new Rng(3) })).rejects.toThrow(/sampleDiffgan/);
  });

  test('temperature scales every draw (start, z, posterior noise); 0 is the deterministic chain', async () => {
    const [n0, z1, e1, z0] = draws(3, 4);
    const den = createDenoiser({ net: linearNet(1, 0, []), parameterisation: 'x0', schedule: s, latentDim: 1 });
    const c0 = (0.3 * Math.sqrt(ab0)) / (1 - ab1),
      ct = ((1 - ab0) * Math.sqrt(0.7)) / (1 - ab1),
      v = (0.3 * (1 - ab0)) / (1 - ab1);
    const tau = 0.5;
    const x1 = c0 * tau * (n0 + z1) + ct * tau * n0 + Math.sqrt(v) * tau * e1;
    close(await sampleDiffgan(den, { shape: [1, 1], rng: new Rng(3), temperature: tau }), x1 + tau * z0);
    close(await sampleDiffgan(den, { shape: [1, 1], rng: new Rng(3), temperature: 0 }), 0);
    // temperature 1 is the default, draw for draw
    expect(await sampleDiffgan(den, { shape: [1, 1], rng: new Rng(3), temperature: 1 })).toEqual(await sampleDiffgan(den, { shape: [1, 1], rng: new Rng(3) }));
  });

  test('parameterisations: the denoiser returns x0 for eps and v nets', async () => {
    const x = { data: Float32Array.of(0.8), shape: [1, 1] };
    const eps = createDenoiser({ net: async () => Float32Array.of(0.3), parameterisation: 'eps', schedule: s });
    close(await eps.predictX0(x, 1), (0.8 - Math.sqrt(1 - ab1) * 0.3) / Math.sqrt(ab1));
    const v = createDenoiser({ net: async () => Float32Array.of(0.3), parameterisation: 'v', schedule: s });
    close(await v.predictX0(x, 0), Math.sqrt(ab0) * 0.8 - Math.sqrt(1 - ab0) * 0.3);
  });

  test('runnerNet adds the fixed inputs and reads the named output', async () => {
    const fed: string[][] = [];
    const net = runnerNet(
      {
        run: async (ins) => {
          fed.push(Object.keys(ins).sort());
          return { y: { data: ins.cond.data.map((c, i) => c + ins.x.data[i]), shape: [1, 1] } };
        },
      },
      { cond: { data: Float32Array.of(2), shape: [1, 1] } },
      'y',
    );
    expect(Array.from(await net({ x: { data: Float32Array.of(1), shape: [1, 1] }, t: { data: Float32Array.of(0), shape: [1] } }))).toEqual([3]);
    expect(fed).toEqual([['cond', 't', 'x']]);
  });
});
