/**
 * The interpolator's training task for core-models' data-parallel trainer (phases d, g, r).
 * The main thread samples 5-frame windows y0..y4 (train ranges only), motion-compensates
 * the pairs (y0, y2) and (y2, y4) and ships the network inputs; workers compute
 *   d: LSGAN discriminator loss on [y1, y0, y2] vs [g1, y0, y2];
 *   g: L1(g1, y1) + L1(g3, y3) + λ_tc·TC([g1, g3], [y1, y3]) + λ_adv·LSGAN(D(g1), D(g3)),
 *      where TC is the temporal-consistency loss (temporal.ts) on the two consecutive
 *      generated in-betweens;
 *   r: the refiner's denoising loss (x0-prediction, L1) on the residual (y − g)·RES_SCALE
 *      at a random step of the 2-step schedule, conditioned on g (generator frozen).
 */
import * as path from 'path';
import { tf, apply, Model, Rng, HostBatch, ParallelTask, discriminatorLoss, generatorLoss, alphaBarAt } from '@diffgan/core-models';
import { loadTrainClips, WindowSampler } from './data';
import { INTERP_IN, REFINER_T, RES_SCALE, T_EMBED_SCALE, refinerSchedule } from './net';

export interface InterpTaskConfig { videoDir: string; patch: number; tcWeight: number; advWeight: number }

type T4 = tf.Tensor4D;

/** g = σ(m)·w0 + (1 − σ(m))·w1 + r from the net's 4 output channels and [w0, w1] (6 channels). */
export function composeTf(out: T4, w: T4): T4 {
  const m = tf.sigmoid(out.slice([0, 0, 0, 0], [-1, -1, -1, 1]));
  const r = out.slice([0, 0, 0, 1], [-1, -1, -1, 3]);
  const w0 = w.slice([0, 0, 0, 0], [-1, -1, -1, 3]), w1 = w.slice([0, 0, 0, 3], [-1, -1, -1, 3]);
  return w1.add(w0.sub(w1).mul(m)).add(r) as T4;
}

/**
 * Temporal-consistency loss on tensors (the training version of temporal.ts's
 * temporalConsistencyLoss): mean over consecutive pairs and all values of
 * |(g_t − g_{t−1}) − (y_t − y_{t−1})|.
 */
export function temporalConsistencyLossTf(generated: tf.Tensor[], target: tf.Tensor[]): tf.Scalar {
  if (generated.length !== target.length || generated.length < 2) throw new RangeError('temporal loss needs two sequences of equal length >= 2');
  let sum: tf.Tensor | null = null;
  for (let t = 1; t < generated.length; t++) {
    const l = generated[t].sub(generated[t - 1]).sub(target[t].sub(target[t - 1])).abs().mean();
    sum = sum ? sum.add(l) : l;
  }
  return sum!.div(generated.length - 1) as tf.Scalar;
}

export async function createTask(config: InterpTaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  const P = config.patch;
  const sampler = role === 'main' ? new WindowSampler(await loadTrainClips(config.videoDir), P) : null;
  const s = refinerSchedule();
  return {
    phases: ['d', 'g', 'r'],
    sampleBatch(rng: Rng, n: number): HostBatch {
      const b = sampler!.sample(n, rng);
      const img = (c: number) => [n, P, P, c];
      return {
        x1: { data: b.x1, shape: img(INTERP_IN) }, x2: { data: b.x2, shape: img(INTERP_IN) },
        w1: { data: b.w1, shape: img(6) }, w2: { data: b.w2, shape: img(6) },
        y0: { data: b.y0, shape: img(3) }, y1: { data: b.y1, shape: img(3) }, y2: { data: b.y2, shape: img(3) },
        y3: { data: b.y3, shape: img(3) }, y4: { data: b.y4, shape: img(3) },
      };
    },
    loss(models: Record<string, Model>, b: HostBatch, phase: string, rng: Rng): tf.Scalar {
      const T = (k: string) => tf.tensor4d(b[k].data, b[k].shape as [number, number, number, number]);
      const gen = (x: string, w: string) => composeTf(apply(models.g, { x: T(x) }) as T4, T(w));
      const D = (frame: T4, a: T4, c: T4) => apply(models.d, { x: tf.concat([frame, a, c], 3) });
      const y0 = T('y0'), y1 = T('y1'), y2 = T('y2'), y3 = T('y3'), y4 = T('y4');
      if (phase === 'd') {
        const g1 = gen('x1', 'w1'), g3 = gen('x2', 'w2');
        const real = tf.concat([D(y1, y0, y2), D(y3, y2, y4)], 0), fake = tf.concat([D(g1, y0, y2), D(g3, y2, y4)], 0);
        return discriminatorLoss('lsgan', real, fake) as tf.Scalar;
      }
      if (phase === 'g') {
        const g1 = gen('x1', 'w1'), g3 = gen('x2', 'w2');
        const l1 = tf.losses.absoluteDifference(y1, g1).add(tf.losses.absoluteDifference(y3, g3)).mul(0.5);
        const tc = temporalConsistencyLossTf([g1, g3], [y1, y3]);
        const adv = generatorLoss('lsgan', tf.concat([D(g1, y0, y2), D(g3, y2, y4)], 0));
        return l1.add(tc.mul(config.tcWeight)).add(adv.mul(config.advWeight)) as tf.Scalar;
      }
      // r: denoising on the residual, generator frozen (its output is a constant here)
      const g = tf.concat([gen('x1', 'w1'), gen('x2', 'w2')], 0) as T4;
      const y = tf.concat([y1, y3], 0) as T4;
      const r0 = y.sub(g).mul(RES_SCALE) as T4;
      const n = r0.shape[0];
      const t = Array.from({ length: n }, () => rng.int(REFINER_T));
      const per = (f: (i: number) => number) => tf.tensor4d(t.map(f), [n, 1, 1, 1]);
      const eps = tf.tensor4d(rng.normalArray(r0.size), r0.shape as [number, number, number, number]);
      const xt = r0.mul(per((i) => Math.sqrt(alphaBarAt(s, i)))).add(eps.mul(per((i) => Math.sqrt(1 - alphaBarAt(s, i))))) as T4;
      const pred = apply(models.r, { x: xt, t: tf.tensor1d(t.map((i) => i * T_EMBED_SCALE)), cond: g.mul(2).sub(1) });
      return tf.losses.absoluteDifference(r0, pred) as tf.Scalar;
    },
  };
}

export const interpTaskModulePath = path.join(__dirname, 'train-task.js');
