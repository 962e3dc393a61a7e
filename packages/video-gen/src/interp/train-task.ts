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
import { Rng, HostBatch, LossEnv, Ops, l1Loss } from '@diffgan/core-models';
import { ParallelTask, discriminatorLoss, generatorLoss, qSample } from '@diffgan/core-models/train';
import { loadTrainClips, WindowSampler } from './data';
import { INTERP_IN, REFINER_T, RES_SCALE, T_EMBED_SCALE, refinerSchedule } from './net';

export interface InterpTaskConfig {
  videoDir: string;
  patch: number;
  tcWeight: number;
  advWeight: number;
}

/** g = σ(m)·w0 + (1 − σ(m))·w1 + r from the net's 4 output channels and [w0, w1] (6 channels), on any `Ops` (e.g. tfOps). */
export function composeTf<T>(o: Ops<T>, out: T, w: T): T {
  const m = o.sigmoid(o.slice(out, [0, 0, 0, 0], [-1, -1, -1, 1]));
  const r = o.slice(out, [0, 0, 0, 1], [-1, -1, -1, 3]);
  const w0 = o.slice(w, [0, 0, 0, 0], [-1, -1, -1, 3]),
    w1 = o.slice(w, [0, 0, 0, 3], [-1, -1, -1, 3]);
  return o.add(o.add(w1, o.mul(o.sub(w0, w1), m)), r);
}

/**
 * Temporal-consistency loss on tensors (the training version of temporal.ts's
 * temporalConsistencyLoss), on any `Ops` (e.g. tfOps): mean over consecutive pairs and
 * all values of |(g_t − g_{t−1}) − (y_t − y_{t−1})|.
 */
export function temporalConsistencyLossTf<T>(o: Ops<T>, generated: T[], target: T[]): T {
  if (generated.length !== target.length || generated.length < 2) throw new RangeError('temporal loss needs two sequences of equal length >= 2');
  let sum: T | null = null;
  for (let t = 1; t < generated.length; t++) {
    const l = o.mean(o.abs(o.sub(o.sub(generated[t], generated[t - 1]), o.sub(target[t], target[t - 1]))));
    sum = sum === null ? l : o.add(sum, l);
  }
  return o.div(sum!, generated.length - 1);
}

/** The loss of one phase (d, g or r) on a shard, for either training runtime. */
export function interpObjective(config: Pick<InterpTaskConfig, 'tcWeight' | 'advWeight'>) {
  const s = refinerSchedule();
  return <T>(e: LossEnv<T>): T => {
    const o = e.ops;
    const gen = (x: string, w: string) => composeTf(o, e.run('g', { x: e.input(x) }), e.input(w));
    const D = (frame: T, a: T, c: T) => e.run('d', { x: o.concat([frame, a, c], 3) });
    const y0 = e.input('y0'),
      y1 = e.input('y1'),
      y2 = e.input('y2'),
      y3 = e.input('y3'),
      y4 = e.input('y4');
    if (e.phase === 'd') {
      const g1 = gen('x1', 'w1'),
        g3 = gen('x2', 'w2');
      const real = o.concat([D(y1, y0, y2), D(y3, y2, y4)], 0),
        fake = o.concat([D(g1, y0, y2), D(g3, y2, y4)], 0);
      return discriminatorLoss('lsgan', real, fake, o);
    }
    if (e.phase === 'g') {
      const g1 = gen('x1', 'w1'),
        g3 = gen('x2', 'w2');
      const l1 = o.mul(o.add(l1Loss(o, y1, g1), l1Loss(o, y3, g3)), 0.5);
      const tc = temporalConsistencyLossTf(o, [g1, g3], [y1, y3]);
      const adv = generatorLoss('lsgan', o.concat([D(g1, y0, y2), D(g3, y2, y4)], 0), o);
      return o.add(o.add(l1, o.mul(tc, config.tcWeight)), o.mul(adv, config.advWeight));
    }
    if (e.phase !== 'r') throw new Error(`interp task: unknown phase '${e.phase}'`);
    // r: denoising on the residual, generator frozen (only the phase's group gets gradients)
    const g = o.concat([gen('x1', 'w1'), gen('x2', 'w2')], 0);
    const y = o.concat([y1, y3], 0);
    const r0 = o.mul(o.sub(y, g), RES_SCALE);
    const n = o.shape(r0)[0];
    const t = Array.from({ length: n }, () => e.rng.int(REFINER_T)); // t first, then eps: the old draw order
    const eps = e.randn(o.shape(r0));
    const xt = qSample(s, r0, t, eps, o);
    const pred = e.run('r', {
      x: xt,
      t: o.constant(
        t.map((i) => i * T_EMBED_SCALE),
        [n],
      ),
      cond: o.sub(o.mul(g, 2), 1),
    });
    return l1Loss(o, r0, pred);
  };
}

export async function createTask(config: InterpTaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  const P = config.patch;
  const sampler = role === 'main' ? new WindowSampler(await loadTrainClips(config.videoDir), P) : null;
  return {
    phases: ['d', 'g', 'r'],
    sampleBatch(rng: Rng, n: number): HostBatch {
      const b = sampler!.sample(n, rng);
      const img = (c: number) => [n, P, P, c];
      return {
        x1: { data: b.x1, shape: img(INTERP_IN) },
        x2: { data: b.x2, shape: img(INTERP_IN) },
        w1: { data: b.w1, shape: img(6) },
        w2: { data: b.w2, shape: img(6) },
        y0: { data: b.y0, shape: img(3) },
        y1: { data: b.y1, shape: img(3) },
        y2: { data: b.y2, shape: img(3) },
        y3: { data: b.y3, shape: img(3) },
        y4: { data: b.y4, shape: img(3) },
      };
    },
    objective: interpObjective(config),
  };
}
