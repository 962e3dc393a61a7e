/**
 * Training tasks for core-models' data-parallel trainer (one module, dispatched on
 * config.kind): the main thread samples every batch (all data randomness), workers compute
 * the loss gradients of their shard. Each loss is an `objective` over core-models' `Ops`, so it
 * trains on tfjs or on the onnxruntime engine (runParallel's runtime) with the same formula.
 *   acoustic: frame features -> log-mel, L1; teacher (MBROLA) pairs first, then mostly real;
 *             real pairs carry the recording's F0 or the plan's (realF0, data.ts)
 *   vocoder:  (log-mel, F0 comb) -> log-magnitude; L1 on it and on its log-mel, + LSGAN with a
 *             frame discriminator when config.adversarial
 *   denoiser: x0-diffusion on the log-magnitude residual real - generator, conditioned on
 *             the generator's log-magnitude
 */
import * as path from 'path';
import * as fs from 'fs';
import { Rng, l1Loss, cosineNoiseSchedule, loadWeights, createRunner } from '@diffgan/core-models';
import { discriminatorLoss, generatorLoss } from '@diffgan/core-models/train';
import type { HostBatch, LossEnv } from '@diffgan/core-models';
import type { ParallelTask } from '@diffgan/core-models/train';
import { FEATURE_CHANNELS } from '../synth/features';
import { MEL_MEAN, MEL_STD, MAG_MEAN, MAG_STD, N_BINS, N_MELS, RESIDUAL_SCALE, DIFFUSION_T, LOG_FLOOR } from '../synth/nets';
import { logMelOfLogMag } from '../vocoder/tfdsp';
import { excitationSpectrum, combFeature, pitchFeature } from '../vocoder/excitation';
import { runGenerator } from '../vocoder/generator';
import type { ProsodyModel } from '../synth/prosody';
import { idRange, loadRealUtterances, realPair, teacherPairs, teacherIds } from './data';
import type { AcousticPair, RealF0, RealUtterance } from './data';

export type TaskConfig =
  | {
      kind: 'acoustic';
      segment: number;
      prosody: string;
      teacherCount: number;
      teacherCache: string;
      pretrainSteps: number;
      realShare: number;
      /** F0 input of the real pairs (absent: 'recording', as the shipped model trained) */
      realF0?: RealF0;
      /** real recordings left out ('first-last', '' none): sentences to choose settings on */
      holdOut?: string;
    }
  | { kind: 'vocoder'; segment: number; adversarial: boolean; advWeight: number; melWeight: number }
  | { kind: 'denoiser'; segment: number; vocoder: string };

function pick<T>(rng: Rng, xs: T[]): T {
  return xs[rng.int(xs.length)];
}

async function acousticTask(c: Extract<TaskConfig, { kind: 'acoustic' }>, role: string): Promise<ParallelTask> {
  let real: AcousticPair[] = [],
    teacher: AcousticPair[] = [];
  if (role === 'main') {
    const prosody = JSON.parse(fs.readFileSync(c.prosody, 'utf8')) as ProsodyModel;
    const heldOut = idRange(c.holdOut ?? '');
    real = loadRealUtterances('train')
      .filter((u) => !heldOut(u.id))
      .map((u) => realPair(u, c.realF0, prosody))
      .filter((p): p is AcousticPair => !!p && p.frames >= c.segment);
    teacher =
      c.teacherCount > 0
        ? teacherPairs(teacherIds(c.teacherCount), prosody, c.teacherCache, 0, (s) => process.stderr.write(s)).filter((p) => p.frames >= c.segment)
        : [];
    process.stderr.write(
      `acoustic data: ${real.length} real (F0 input: ${c.realF0 ?? 'recording'}${c.holdOut ? `; held out ${c.holdOut}` : ''}), ${teacher.length} teacher pairs\n`,
    );
    if (!teacher.length) teacher = real;
  }
  const S = c.segment,
    C = FEATURE_CHANNELS;
  return {
    phases: ['a'],
    sampleBatch(rng: Rng, n: number, step: number): HostBatch {
      const x = new Float32Array(n * S * C),
        y = new Float32Array(n * S * N_MELS);
      for (let b = 0; b < n; b++) {
        const useReal = step >= c.pretrainSteps && rng.uniform() < c.realShare;
        const p = pick(rng, useReal ? real : teacher);
        const t0 = rng.int(p.frames - S + 1);
        x.set(p.features.subarray(t0 * C, (t0 + S) * C), b * S * C);
        for (let i = 0; i < S * N_MELS; i++) y[b * S * N_MELS + i] = (p.mel[t0 * N_MELS + i] - MEL_MEAN) / MEL_STD;
      }
      return { x: { data: x, shape: [n, S, 1, C] }, y: { data: y, shape: [n, S, 1, N_MELS] } };
    },
    objective: <T>(e: LossEnv<T>): T => l1Loss(e.ops, e.input('y'), e.run('a', { x: e.input('x') })),
  };
}

/** Recordings with full-band audio (groups A and C; group B is band-limited to 8 kHz). */
function fullBand(): RealUtterance[] {
  return loadRealUtterances('train').filter((u) => u.group !== 'B');
}

interface VocoderUtterance {
  u: RealUtterance;
  comb: Float32Array;
  pitch: Float32Array;
}

/** Generator inputs that depend only on the recording's F0, computed once on the main thread. */
function vocoderData(): VocoderUtterance[] {
  return fullBand().map((u) => {
    const ex = excitationSpectrum(u.f0, u.frames, 0);
    return { u, comb: combFeature(ex), pitch: pitchFeature(u.f0, u.frames) };
  });
}

async function vocoderTask(c: Extract<TaskConfig, { kind: 'vocoder' }>, role: string): Promise<ParallelTask> {
  const data = role === 'main' ? vocoderData() : [];
  if (role === 'main') process.stderr.write(`vocoder data: ${data.length} full-band recordings\n`);
  const S = c.segment;
  const shape = (n: number, ch: number): [number, number, number, number] => [n, S, 1, ch];
  return {
    phases: c.adversarial ? ['disc', 'g'] : ['g'],
    sampleBatch(rng: Rng, n: number): HostBatch {
      const mel = new Float32Array(n * S * N_MELS),
        pitch = new Float32Array(n * S * 2),
        comb = new Float32Array(n * S * N_BINS),
        mag = new Float32Array(n * S * N_BINS),
        realMel = new Float32Array(n * S * N_MELS);
      for (let b = 0; b < n; b++) {
        const { u, comb: cu, pitch: pu } = pick(rng, data);
        const t0 = rng.int(u.frames - S);
        for (let i = 0; i < S * N_MELS; i++) {
          const v = u.logMel[t0 * N_MELS + i];
          mel[b * S * N_MELS + i] = (v - MEL_MEAN) / MEL_STD;
          realMel[b * S * N_MELS + i] = v;
        }
        for (let i = 0; i < S * N_BINS; i++) mag[b * S * N_BINS + i] = (Math.max(u.logMag[t0 * N_BINS + i], LOG_FLOOR) - MAG_MEAN) / MAG_STD;
        comb.set(cu.subarray(t0 * N_BINS, (t0 + S) * N_BINS), b * S * N_BINS);
        pitch.set(pu.subarray(t0 * 2, (t0 + S) * 2), b * S * 2);
      }
      return {
        mel: { data: mel, shape: shape(n, N_MELS) },
        pitch: { data: pitch, shape: shape(n, 2) },
        comb: { data: comb, shape: shape(n, N_BINS) },
        mag: { data: mag, shape: shape(n, N_BINS) },
        realMel: { data: realMel, shape: [n, S, N_MELS] },
      };
    },
    objective: <T>(e: LossEnv<T>): T => {
      const o = e.ops,
        realMel = e.shard.realMel;
      const fake = e.run('g', { mel: e.input('mel'), pitch: e.input('pitch'), comb: e.input('comb') });
      const real = e.input('mag');
      if (e.phase === 'disc') return discriminatorLoss('lsgan', e.run('disc', { x: real }), e.run('disc', { x: fake }), o);
      const magLoss = l1Loss(o, real, fake);
      const fakeMel = logMelOfLogMag(o, o.add(o.mul(fake, MAG_STD), MAG_MEAN));
      const melLoss = l1Loss(o, o.constant(realMel.data, [realMel.data.length / N_MELS, N_MELS]), fakeMel);
      let total = o.add(magLoss, o.mul(melLoss, c.melWeight / MAG_STD));
      if (c.adversarial) total = o.add(total, o.mul(generatorLoss('lsgan', e.run('disc', { x: fake }), o), c.advWeight));
      return total;
    },
  };
}

/** ln-magnitude the generator predicts for every utterance (the denoiser's condition, as in synthesis). */
export async function vocoderConditions(utts: RealUtterance[], vocoderManifest: string): Promise<Float32Array[]> {
  const { manifest, weights } = loadWeights(vocoderManifest);
  const runner = await createRunner(manifest.architecture, weights);
  const out: Float32Array[] = [];
  for (const u of utts) {
    const mel = new Float32Array(u.frames * N_MELS);
    for (let i = 0; i < mel.length; i++) mel[i] = (u.logMel[i] - MEL_MEAN) / MEL_STD;
    out.push((await runGenerator(runner, mel, u.f0, u.frames)).logMag);
  }
  await runner.dispose?.();
  return out;
}

async function denoiserTask(c: Extract<TaskConfig, { kind: 'denoiser' }>, role: string): Promise<ParallelTask> {
  const utts = role === 'main' ? fullBand() : [];
  const conds = role === 'main' ? await vocoderConditions(utts, c.vocoder) : [];
  if (role === 'main') process.stderr.write(`denoiser data: ${utts.length} recordings with the magnitude predicted by ${path.basename(c.vocoder)}\n`);
  const sched = cosineNoiseSchedule(DIFFUSION_T);
  const S = c.segment;
  return {
    phases: ['den'],
    sampleBatch(rng: Rng, n: number): HostBatch {
      const x = new Float32Array(n * S * N_BINS),
        cond = new Float32Array(n * S * N_BINS),
        r0 = new Float32Array(n * S * N_BINS),
        t = new Float32Array(n);
      for (let b = 0; b < n; b++) {
        const k = rng.int(utts.length),
          u = utts[k],
          cu = conds[k];
        const t0 = rng.int(u.frames - S);
        const ti = rng.int(DIFFUSION_T);
        t[b] = ti;
        const ab = sched.alphaBars[ti],
          sa = Math.sqrt(ab),
          sn = Math.sqrt(1 - ab);
        for (let i = 0; i < S * N_BINS; i++) {
          const j = t0 * N_BINS + i,
            o = b * S * N_BINS + i;
          const cv = Math.max(cu[j], LOG_FLOOR),
            rv = Math.max(u.logMag[j], LOG_FLOOR);
          cond[o] = (cv - MAG_MEAN) / MAG_STD;
          r0[o] = (rv - cv) / RESIDUAL_SCALE;
          x[o] = sa * r0[o] + sn * rng.normal();
        }
      }
      return {
        x: { data: x, shape: [n, S, 1, N_BINS] },
        cond: { data: cond, shape: [n, S, 1, N_BINS] },
        t: { data: t, shape: [n] },
        r0: { data: r0, shape: [n, S, 1, N_BINS] },
      };
    },
    objective: <T>(e: LossEnv<T>): T => l1Loss(e.ops, e.input('r0'), e.run('den', { x: e.input('x'), cond: e.input('cond'), t: e.input('t') })),
  };
}

export async function createTask(config: TaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  if (config.kind === 'acoustic') return acousticTask(config, role);
  if (config.kind === 'vocoder') return vocoderTask(config, role);
  return denoiserTask(config, role);
}
