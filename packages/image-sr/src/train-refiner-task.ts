/**
 * The refiner's DiffGAN training task for the data-parallel trainer (phases d, g). The main
 * thread builds each batch: aligned patches (for the real generator's refiner, HR crops with LR
 * degraded on the fly), the frozen generator's output (ORT), the residual, and every random
 * draw (timesteps, forward noise, latents, posterior noise).
 */
import { Rng, HostBatch, LossEnv, createRunner, loadWeights, l1Loss, Runner } from '@diffgan/core-models';
import { ParallelTask, diffusePair, posteriorSample, discriminatorLoss, generatorLoss, r1Penalty, R1Options } from '@diffgan/core-models/train';
import { createSampler, SrDegradation } from './train-task';
import { REFINER_T, RES_SCALE, T_EMBED_SCALE, LATENT_DIM, refinerSchedule } from './refiner';
import { receptiveRadius } from './tiling';

const SCHEDULE = refinerSchedule();

export interface RefinerTaskConfig {
  scale: 2 | 4;
  patch: number;
  trainDirs: string[];
  generatorManifest: string;
  l1Weight: number;
  r1Gamma: number;
  /** the LR the generator sees: MATLAB bicubic (default; the fidelity generator) or degraded on the fly (the real one) */
  degradation?: SrDegradation;
}

/**
 * The DiffGAN loss of one phase on a shard (r0, cond, t, eps1, eps2, epsP, z), for either
 * runtime: x_{t-1} ~ q(x_{t-1} | r0) and one forward step to x_t; G predicts r0 from x_t
 * and its sample is the posterior draw q(x_{t-1} | x_t, r0̂). Phase d: non-saturating loss
 * on (x_{t-1}, G's draw) plus γ/2 · R1 (finite differences, directions from e.rng), per patch
 * of the patch discriminator's map (summed over the map it is ~P times larger: with γ = 0.1 that
 * flattened D to a constant, loss 2·ln 2, and the refiner to a zero residual); phase g:
 * non-saturating loss plus l1Weight · |r0 − r0̂|. `r1` overrides r1Penalty's options (σ = 1e-2,
 * one direction; tests only: training uses these).
 */
export function refinerObjective<T>(e: LossEnv<T>, config: Pick<RefinerTaskConfig, 'l1Weight' | 'r1Gamma'>, r1: R1Options = { perPatch: true }): T {
  const o = e.ops;
  const t = Array.from(e.shard.t.data);
  const r0 = e.input('r0'),
    cond = e.input('cond');
  const { xPrev, xt } = diffusePair(SCHEDULE, r0, t, e.input('eps1'), e.input('eps2'), o);
  const tEmb = o.constant(
    t.map((i) => i * T_EMBED_SCALE),
    [t.length],
  );
  const predR0 = (): T => e.run('g', { x: xt, t: tEmb, z: e.input('z'), cond });
  const posterior = (x0: T): T => posteriorSample(SCHEDULE, x0, xt, t, e.input('epsP'), o);
  const D = (x: T): T => e.run('d', { x: o.concat([x, xt, cond], 3), t: tEmb });
  if (e.phase === 'd') {
    const fake = posterior(predR0()); // G is a constant in phase d
    let l = discriminatorLoss('nonsaturating', D(xPrev), D(fake), o);
    if (config.r1Gamma) l = o.add(l, o.mul(r1Penalty(D, xPrev, e.rng, r1, o), config.r1Gamma / 2));
    return l;
  }
  const x0 = predR0();
  return o.add(generatorLoss('nonsaturating', D(posterior(x0)), o), o.mul(l1Loss(o, r0, x0), config.l1Weight));
}

export async function createTask(config: RefinerTaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  const { scale, patch } = config;
  let sampler: Awaited<ReturnType<typeof createSampler>> | null = null,
    gen: Runner | null = null;
  // The generator sees `ctx` extra LR pixels around each patch (its receptive radius), so the
  // kept centre is what it outputs inside a large image at inference, not a zero-padded
  // border the refiner would learn to repair.
  let ctx = 0;
  if (role === 'main') {
    const { manifest, weights } = loadWeights(config.generatorManifest);
    ctx = receptiveRadius(manifest.architecture);
    sampler = await createSampler({ scale, patch: patch + 2 * ctx, trainDirs: config.trainDirs, degradation: config.degradation });
    gen = await createRunner(manifest.architecture, weights, { threads: 1 });
  }
  const HP = patch * scale;
  return {
    phases: ['d', 'g'],
    async sampleBatch(rng: Rng, n: number): Promise<HostBatch> {
      const P = patch + 2 * ctx,
        HB = P * scale,
        off = ctx * scale;
      const b = sampler!.sample(n, rng);
      const sr = (await gen!.run({ lr: { data: b.lr, shape: [n, P, P, 3] } })).sr.data;
      const size = HP * HP * 3;
      const r0 = new Float32Array(n * size),
        cond = new Float32Array(n * size);
      for (let k = 0; k < n; k++)
        for (let y = 0; y < HP; y++) {
          const src = ((k * HB + y + off) * HB + off) * 3,
            dst = (k * HP + y) * HP * 3;
          for (let j = 0; j < HP * 3; j++) {
            r0[dst + j] = (b.hr[src + j] - sr[src + j]) * RES_SCALE;
            cond[dst + j] = sr[src + j] * 2 - 1;
          }
        }
      const t = Float32Array.from({ length: n }, () => rng.int(REFINER_T));
      const shape = [n, HP, HP, 3];
      return {
        r0: { data: r0, shape },
        cond: { data: cond, shape },
        t: { data: t, shape: [n] },
        eps1: { data: rng.normalArray(n * size), shape },
        eps2: { data: rng.normalArray(n * size), shape },
        epsP: { data: rng.normalArray(n * size), shape },
        z: { data: rng.normalArray(n * LATENT_DIM), shape: [n, LATENT_DIM] },
      };
    },
    objective: <T>(e: LossEnv<T>): T => refinerObjective(e, config),
  };
}
