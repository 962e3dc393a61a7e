/**
 * The refiner's DiffGAN training task for the data-parallel trainer (phases d, g). The main
 * thread builds each batch: aligned patches, the frozen generator's output (ORT), the
 * residual, and every random draw (timesteps, forward noise, latents, posterior noise).
 */
import * as path from 'path';
import { tf, apply, Model, Rng, HostBatch, ParallelTask, createRunner, loadWeights, posteriorCoefs, alphaBarAt, discriminatorLoss, generatorLoss, r1Penalty, Runner } from '@diffgan/core-models';
import { loadTrainingPairs, PatchSampler } from './data';
import { REFINER_T, RES_SCALE, T_EMBED_SCALE, LATENT_DIM, refinerSchedule } from './refiner';
import { receptiveRadius } from './tiling';

export interface RefinerTaskConfig { scale: 2 | 4; patch: number; trainDirs: string[]; generatorManifest: string; l1Weight: number; r1Gamma: number }

type T4 = [number, number, number, number];

export async function createTask(config: RefinerTaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  const { scale, patch } = config;
  const s = refinerSchedule();
  let sampler: PatchSampler | null = null, gen: Runner | null = null;
  // The generator sees `ctx` extra LR pixels around each patch (its receptive radius), so the
  // kept centre is what it outputs inside a large image at inference, not a zero-padded
  // border the refiner would learn to repair.
  let ctx = 0;
  if (role === 'main') {
    const { manifest, weights } = loadWeights(config.generatorManifest);
    ctx = receptiveRadius(manifest.architecture);
    sampler = new PatchSampler(await loadTrainingPairs(config.trainDirs, scale), scale, patch + 2 * ctx);
    gen = await createRunner(manifest.architecture, weights, { threads: 1 });
  }
  const HP = patch * scale;
  return {
    phases: ['d', 'g'],
    async sampleBatch(rng: Rng, n: number): Promise<HostBatch> {
      const P = patch + 2 * ctx, HB = P * scale, off = ctx * scale;
      const b = sampler!.sample(n, rng);
      const sr = (await gen!.run({ lr: { data: b.lr, shape: [n, P, P, 3] } })).sr.data;
      const size = HP * HP * 3;
      const r0 = new Float32Array(n * size), cond = new Float32Array(n * size);
      for (let k = 0; k < n; k++) for (let y = 0; y < HP; y++) {
        const src = ((k * HB + y + off) * HB + off) * 3, dst = (k * HP + y) * HP * 3;
        for (let j = 0; j < HP * 3; j++) { r0[dst + j] = (b.hr[src + j] - sr[src + j]) * RES_SCALE; cond[dst + j] = sr[src + j] * 2 - 1; }
      }
      const t = Float32Array.from({ length: n }, () => rng.int(REFINER_T));
      const shape = [n, HP, HP, 3];
      return {
        r0: { data: r0, shape }, cond: { data: cond, shape }, t: { data: t, shape: [n] },
        eps1: { data: rng.normalArray(n * size), shape }, eps2: { data: rng.normalArray(n * size), shape },
        epsP: { data: rng.normalArray(n * size), shape }, z: { data: rng.normalArray(n * LATENT_DIM), shape: [n, LATENT_DIM] },
      };
    },
    loss(models: Record<string, Model>, b: HostBatch, phase: string, rng: Rng): tf.Scalar {
      const T = (k: string) => tf.tensor(b[k].data, b[k].shape);
      const n = b.t.shape[0];
      const t = Array.from(b.t.data);
      const per = (f: (i: number) => number) => tf.tensor4d(t.map(f), [n, 1, 1, 1]);
      const r0 = T('r0') as tf.Tensor4D, cond = T('cond') as tf.Tensor4D;
      // x_{t-1} ~ q(x_{t-1} | x0), then one forward step to x_t
      const xPrev = r0.mul(per((i) => Math.sqrt(alphaBarAt(s, i - 1)))).add(T('eps1').mul(per((i) => Math.sqrt(1 - alphaBarAt(s, i - 1)))));
      const a = (i: number) => alphaBarAt(s, i) / alphaBarAt(s, i - 1);
      const xt = xPrev.mul(per((i) => Math.sqrt(a(i)))).add(T('eps2').mul(per((i) => Math.sqrt(1 - a(i))))) as tf.Tensor4D;
      const tEmb = tf.tensor1d(t.map((i) => i * T_EMBED_SCALE));
      const predR0 = () => apply(models.g, { x: xt, t: tEmb, z: T('z'), cond }) as tf.Tensor4D;
      const posterior = (x0: tf.Tensor4D) => x0.mul(per((i) => posteriorCoefs(s, i).c0)).add(xt.mul(per((i) => posteriorCoefs(s, i).ct)))
        .add(T('epsP').mul(per((i) => (i > 0 ? Math.sqrt(posteriorCoefs(s, i).variance) : 0)))) as tf.Tensor4D;
      const D = (x: tf.Tensor4D) => apply(models.d, { x: tf.concat([x, xt, cond], 3), t: tEmb });
      if (phase === 'd') {
        const fake = tf.tidy(() => posterior(predR0()));
        let l = discriminatorLoss('nonsaturating', D(xPrev as tf.Tensor4D), D(fake));
        if (config.r1Gamma) l = l.add(r1Penalty(D, xPrev as tf.Tensor4D, rng).mul(config.r1Gamma / 2));
        return l as tf.Scalar;
      }
      const x0 = predR0();
      return generatorLoss('nonsaturating', D(posterior(x0))).add(tf.losses.absoluteDifference(r0, x0).mul(config.l1Weight)) as tf.Scalar;
    },
  };
}

export const refinerTaskModulePath = path.join(__dirname, 'train-refiner-task.js');
