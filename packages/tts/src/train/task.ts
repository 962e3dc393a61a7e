/**
 * Training tasks for core-models' data-parallel trainer (one module, dispatched on
 * config.kind): the main thread samples every batch (all data randomness), workers compute
 * the loss gradients of their shard.
 *   acoustic: frame features -> log-mel, L1; teacher (MBROLA) pairs first, then mostly real
 *   vocoder:  (log-mel, F0 comb) -> log-magnitude; L1 on it and on its log-mel, + LSGAN with a
 *             frame discriminator when config.adversarial
 *   denoiser: x0-diffusion on the log-magnitude residual real - generator, conditioned on
 *             the generator's log-magnitude
 */
import * as path from 'path';
import * as fs from 'fs';
import { tf, apply, Rng, discriminatorLoss, generatorLoss, cosineNoiseSchedule, loadWeights, createRunner } from '@diffgan/core-models';
import type { Model, HostBatch, ParallelTask } from '@diffgan/core-models';
import { FEATURE_CHANNELS } from '../synth/features';
import { MEL_MEAN, MEL_STD, MAG_MEAN, MAG_STD, N_BINS, N_MELS, RESIDUAL_SCALE, DIFFUSION_T, LOG_FLOOR } from '../synth/nets';
import { logMelOfLogMagTf } from '../vocoder/tfdsp';
import { excitationSpectrum, combFeature, pitchFeature } from '../vocoder/excitation';
import { runGenerator } from '../vocoder/generator';
import type { ProsodyModel } from '../synth/prosody';
import { loadRealUtterances, realPair, teacherPairs, teacherIds } from './data';
import type { AcousticPair, RealUtterance } from './data';

export type TaskConfig =
  | { kind: 'acoustic'; segment: number; prosody: string; teacherCount: number; teacherCache: string; pretrainSteps: number; realShare: number }
  | { kind: 'vocoder'; segment: number; adversarial: boolean; advWeight: number; melWeight: number }
  | { kind: 'denoiser'; segment: number; vocoder: string };

function pick<T>(rng: Rng, xs: T[]): T { return xs[rng.int(xs.length)]; }

async function acousticTask(c: Extract<TaskConfig, { kind: 'acoustic' }>, role: string): Promise<ParallelTask> {
  let real: AcousticPair[] = [], teacher: AcousticPair[] = [];
  if (role === 'main') {
    real = loadRealUtterances('train').map(realPair).filter((p): p is AcousticPair => !!p && p.frames >= c.segment);
    const prosody = JSON.parse(fs.readFileSync(c.prosody, 'utf8')) as ProsodyModel;
    teacher = c.teacherCount > 0 ? teacherPairs(teacherIds(c.teacherCount), prosody, c.teacherCache, 0, (s) => process.stderr.write(s)).filter((p) => p.frames >= c.segment) : [];
    process.stderr.write(`acoustic data: ${real.length} real, ${teacher.length} teacher pairs\n`);
    if (!teacher.length) teacher = real;
  }
  const S = c.segment, C = FEATURE_CHANNELS;
  return {
    phases: ['a'],
    sampleBatch(rng: Rng, n: number, step: number): HostBatch {
      const x = new Float32Array(n * S * C), y = new Float32Array(n * S * N_MELS);
      for (let b = 0; b < n; b++) {
        const useReal = step >= c.pretrainSteps && rng.uniform() < c.realShare;
        const p = pick(rng, useReal ? real : teacher);
        const t0 = rng.int(p.frames - S + 1);
        x.set(p.features.subarray(t0 * C, (t0 + S) * C), b * S * C);
        for (let i = 0; i < S * N_MELS; i++) y[b * S * N_MELS + i] = (p.mel[t0 * N_MELS + i] - MEL_MEAN) / MEL_STD;
      }
      return { x: { data: x, shape: [n, S, 1, C] }, y: { data: y, shape: [n, S, 1, N_MELS] } };
    },
    loss(models: Record<string, Model>, shard: HostBatch): tf.Scalar {
      const x = tf.tensor4d(shard.x.data, shard.x.shape as [number, number, number, number]);
      const y = tf.tensor4d(shard.y.data, shard.y.shape as [number, number, number, number]);
      return tf.losses.absoluteDifference(y, apply(models.a, { x })) as tf.Scalar;
    },
  };
}

/** Recordings with full-band audio (groups A and C; group B is band-limited to 8 kHz). */
function fullBand(): RealUtterance[] { return loadRealUtterances('train').filter((u) => u.group !== 'B'); }

interface VocoderUtterance { u: RealUtterance; comb: Float32Array; pitch: Float32Array }

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
      const mel = new Float32Array(n * S * N_MELS), pitch = new Float32Array(n * S * 2), comb = new Float32Array(n * S * N_BINS), mag = new Float32Array(n * S * N_BINS), realMel = new Float32Array(n * S * N_MELS);
      for (let b = 0; b < n; b++) {
        const { u, comb: cu, pitch: pu } = pick(rng, data);
        const t0 = rng.int(u.frames - S);
        for (let i = 0; i < S * N_MELS; i++) { const v = u.logMel[t0 * N_MELS + i]; mel[b * S * N_MELS + i] = (v - MEL_MEAN) / MEL_STD; realMel[b * S * N_MELS + i] = v; }
        for (let i = 0; i < S * N_BINS; i++) mag[b * S * N_BINS + i] = (Math.max(u.logMag[t0 * N_BINS + i], LOG_FLOOR) - MAG_MEAN) / MAG_STD;
        comb.set(cu.subarray(t0 * N_BINS, (t0 + S) * N_BINS), b * S * N_BINS);
        pitch.set(pu.subarray(t0 * 2, (t0 + S) * 2), b * S * 2);
      }
      return { mel: { data: mel, shape: shape(n, N_MELS) }, pitch: { data: pitch, shape: shape(n, 2) }, comb: { data: comb, shape: shape(n, N_BINS) }, mag: { data: mag, shape: shape(n, N_BINS) }, realMel: { data: realMel, shape: [n, S, N_MELS] } };
    },
    loss(models: Record<string, Model>, shard: HostBatch, phase: string): tf.Scalar {
      const n = shard.mel.shape[0];
      const t4 = (k: string, ch: number): tf.Tensor4D => tf.tensor4d(shard[k].data, shape(n, ch));
      const fake = apply(models.g, { mel: t4('mel', N_MELS), pitch: t4('pitch', 2), comb: t4('comb', N_BINS) }) as tf.Tensor4D;
      const real = t4('mag', N_BINS);
      if (phase === 'disc') return discriminatorLoss('lsgan', apply(models.disc, { x: real }), apply(models.disc, { x: fake })) as tf.Scalar;
      const magLoss = tf.losses.absoluteDifference(real, fake);
      const fakeMel = logMelOfLogMagTf(tf.add(tf.mul(fake, MAG_STD), MAG_MEAN));
      const melLoss = tf.losses.absoluteDifference(tf.tensor2d(shard.realMel.data, [n * S, N_MELS]), fakeMel);
      let total = tf.add(magLoss, tf.mul(melLoss, c.melWeight / MAG_STD));
      if (c.adversarial) total = tf.add(total, tf.mul(generatorLoss('lsgan', apply(models.disc, { x: fake })), c.advWeight));
      return total as tf.Scalar;
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
      const x = new Float32Array(n * S * N_BINS), cond = new Float32Array(n * S * N_BINS), r0 = new Float32Array(n * S * N_BINS), t = new Float32Array(n);
      for (let b = 0; b < n; b++) {
        const k = rng.int(utts.length), u = utts[k], cu = conds[k];
        const t0 = rng.int(u.frames - S);
        const ti = rng.int(DIFFUSION_T);
        t[b] = ti;
        const ab = sched.alphaBars[ti], sa = Math.sqrt(ab), sn = Math.sqrt(1 - ab);
        for (let i = 0; i < S * N_BINS; i++) {
          const j = t0 * N_BINS + i, o = b * S * N_BINS + i;
          const cv = Math.max(cu[j], LOG_FLOOR), rv = Math.max(u.logMag[j], LOG_FLOOR);
          cond[o] = (cv - MAG_MEAN) / MAG_STD;
          r0[o] = (rv - cv) / RESIDUAL_SCALE;
          x[o] = sa * r0[o] + sn * rng.normal();
        }
      }
      return { x: { data: x, shape: [n, S, 1, N_BINS] }, cond: { data: cond, shape: [n, S, 1, N_BINS] }, t: { data: t, shape: [n] }, r0: { data: r0, shape: [n, S, 1, N_BINS] } };
    },
    loss(models: Record<string, Model>, shard: HostBatch): tf.Scalar {
      const sh = shard.x.shape as [number, number, number, number];
      const pred = apply(models.den, { x: tf.tensor4d(shard.x.data, sh), cond: tf.tensor4d(shard.cond.data, sh), t: tf.tensor1d(shard.t.data) });
      return tf.losses.absoluteDifference(tf.tensor4d(shard.r0.data, sh), pred) as tf.Scalar;
    },
  };
}

export async function createTask(config: TaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  if (config.kind === 'acoustic') return acousticTask(config, role);
  if (config.kind === 'vocoder') return vocoderTask(config, role);
  return denoiserTask(config, role);
}

export const taskModulePath = path.join(__dirname, 'task.js');
