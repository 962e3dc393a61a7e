/**
 * The refiner's DiffGAN training task for the data-parallel trainer (phases d, g). The main
 * thread builds each batch: aligned patches, the frozen generator's output (ORT), the
 * residual, and every random draw (timesteps, forward noise, latents, posterior noise).
 */
import * as path from 'path';
import { tf, apply, Model, Rng, HostBatch, ParallelTask, createRunner, loadWeights, posteriorCoefs, alphaBarAt, discriminatorLoss, generatorLoss, r1Penalty, Runner } from '@diffgan/core-models';
import { loadTrainingPairs, PatchSampler } from './data';
import { REFINER_T, RES_SCALE, T_EMBED_SCALE, LATENT_DIM, refinerSchedule } from './refiner';

export interface RefinerTaskConfig { scale: 2 | 4; patch: number; trainDirs: string[]; generatorManifest: string; l1Weight: number; r1Gamma: number }

type T4 = [number, number, number, number];

export async function createTask(config: RefinerTaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  const { scale, patch } = config;
  const s = refinerSchedule();
  let sampler: PatchSampler | null = null, gen: Runner | null = null;
  if (role === 'main') {
    sampler = new PatchSampler(await loadTrainingPairs(config.trainDirs, scale), scale, patch);
    const { manifest, weights } = loadWeights(config.generatorManifest);
    gen = await createRunner(manifest.architecture, weights, { threads: 1 });
  }
  const HP = patch * scale;
  return {
    phases: ['d', 'g'],
    async sampleBatch(rng: Rng, n: number): Promise<HostBatch> {
      const b = sampler!.sample(n, rng);
      const sr = (await gen!.run({ lr: { data: b.lr, shape: [n, patch, patch, 3] } })).sr.data;
      const size = HP * HP * 3;
      const r0 = new Float32Array(n * size), cond = new Float32Array(n * size);
      for (let i = 0; i < n * size; i++) { r0[i] = (b.hr[i] - sr[i]) * RES_SCALE; cond[i] = sr[i] * 2 - 1; }
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
