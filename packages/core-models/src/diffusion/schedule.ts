/**
 * Noise schedules and the closed forms of the forward process. Arrays are Float64 and
 * indexed by timestep 0..T-1 (index i is "step i+1" of the papers).
 */
export interface Schedule {
  T: number;
  betas: Float64Array;
  alphaBars: Float64Array;
}

export function fromBetas(betas: ArrayLike<number>): Schedule {
  const b = Float64Array.from(betas);
  const ab = new Float64Array(b.length);
  let p = 1;
  for (let i = 0; i < b.length; i++) {
    p *= 1 - b[i];
    ab[i] = p;
  }
  return { T: b.length, betas: b, alphaBars: ab };
}

/** Ho et al. 2020: betas linear from 1e-4 to 0.02 over 1000 steps (scaled for other T). */
export function linearSchedule(T = 1000, beta1 = 1e-4 * (1000 / T), betaT = Math.min(0.02 * (1000 / T), 0.999)): Schedule {
  return fromBetas(Array.from({ length: T }, (_, i) => Math.min(0.999, beta1 + ((betaT - beta1) * i) / Math.max(1, T - 1))));
}

/** Nichol & Dhariwal 2021: alphaBar(t) = cos²((t/T + s)/(1 + s)·π/2), betas clipped at 0.999. */
export function cosineSchedule(T = 1000, s = 0.008): Schedule {
  const f = (t: number): number => Math.cos((((t / T + s) / (1 + s)) * Math.PI) / 2) ** 2;
  return fromBetas(Array.from({ length: T }, (_, i) => Math.min(1 - f(i + 1) / f(i), 0.999)));
}

/**
 * Xiao et al. 2022 (denoising diffusion GAN): a VP-SDE (beta_min 0.1, beta_max 20)
 * discretised into very few, large steps.
 */
export function vpSdeSchedule(T = 4, betaMin = 0.1, betaMax = 20): Schedule {
  return fromBetas(
    Array.from({ length: T }, (_, k) => {
      const i = k + 1;
      return 1 - Math.exp(-betaMin / T - (0.5 * (betaMax - betaMin) * (2 * i - 1)) / (T * T));
    }),
  );
}

/** alphaBar at index i, with alphaBar(-1) = 1 (clean data). */
export function alphaBarAt(s: Schedule, i: number): number {
  return i < 0 ? 1 : s.alphaBars[i];
}

/**
 * Coefficients of the posterior q(x_{t-1} | x_t, x0) = N(c0·x0 + ct·x_t, var) at index i,
 * for a schedule whose step i goes from alphaBar(i-1) to alphaBar(i).
 */
export function posteriorCoefs(s: Schedule, i: number): { c0: number; ct: number; variance: number } {
  const abT = alphaBarAt(s, i),
    abPrev = alphaBarAt(s, i - 1);
  const alpha = abT / abPrev,
    beta = 1 - alpha;
  return {
    c0: (beta * Math.sqrt(abPrev)) / (1 - abT),
    ct: ((1 - abPrev) * Math.sqrt(alpha)) / (1 - abT),
    variance: (beta * (1 - abPrev)) / (1 - abT),
  };
}

/**
 * A subsequence of `steps` timesteps, evenly spaced from 0 to T-1 (both ends included:
 * the last sampling step must start from the lowest noise level, or the final x0
 * prediction, a posterior mean, comes out too smooth) and the
 * schedule "respaced" onto it, so a DDPM sampler can run with any step count.
 */
export function respace(s: Schedule, steps: number): { timesteps: number[]; schedule: Schedule } {
  if (steps < 1 || steps > s.T) throw new Error(`steps must be in 1..${s.T}`);
  const timesteps = steps === 1 ? [s.T - 1] : Array.from({ length: steps }, (_, k) => Math.round((k * (s.T - 1)) / (steps - 1)));
  return { timesteps, schedule: respaceOnto(s, timesteps) };
}

/** The schedule whose step k goes from alphaBar(timesteps[k-1]) to alphaBar(timesteps[k]) (timesteps ascending). */
export function respaceOnto(s: Schedule, timesteps: number[]): Schedule {
  let prev = 1;
  const betas = timesteps.map((t) => {
    if (!(Number.isInteger(t) && t >= 0 && t < s.T) || s.alphaBars[t] >= prev)
      throw new Error(`timesteps must ascend within 0..${s.T - 1}: ${timesteps.join(', ')}`);
    const b = 1 - s.alphaBars[t] / prev;
    prev = s.alphaBars[t];
    return b;
  });
  return fromBetas(betas);
}
