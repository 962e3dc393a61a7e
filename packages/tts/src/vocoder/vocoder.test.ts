import { median } from '@diffgan/core-models';
import { tf, tfOps, initBackend, createModel, apply, paramCount } from '@diffgan/core-models/train';
import { logMelOfLogMag } from './tfdsp';
import { harmonicExcitation, excitationSpectrum, combFeature, pitchFeature } from './excitation';
import { f0FromLogMel, excitedWave } from './generator';
import { acousticSpec, vocoderSpec, denoiserSpec, N_BINS, N_MELS } from '../synth/nets';
import { FEATURE_CHANNELS } from '../synth/features';
import { spectra } from '../synth/audio';
import { estimateF0 } from '../dsp/f0';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const rms = (x: ArrayLike<number>, a = 0, b = x.length): number => {
  let s = 0;
  for (let i = a; i < b; i++) s += x[i] ** 2;
  return Math.sqrt(s / (b - a));
};

describe('F0 excitation', () => {
  it('is a unit-RMS harmonic sum at the requested F0 where voiced and noise where not', () => {
    const T = 80,
      f0 = new Float32Array(T);
    for (let t = 0; t < 40; t++) f0[t] = 200;
    const x = harmonicExcitation(f0, T, 1, 0);
    expect(x.length).toBe((T - 1) * 256);
    expect(rms(x, 0, 30 * 256)).toBeCloseTo(1, 1);
    expect(rms(x, 45 * 256, 75 * 256)).toBeCloseTo(1, 1);
    const tr = estimateF0(x.subarray(0, 35 * 256));
    const voiced = Array.from(tr.f0).filter((v) => v > 0);
    expect(voiced.length).toBeGreaterThan(0.8 * tr.f0.length);
    expect(Math.abs(median(voiced) - 200)).toBeLessThan(1);
    expect(Array.from(estimateF0(x.subarray(45 * 256)).f0).filter((v) => v > 0).length).toBeLessThan(5);
    // period of 110.25 samples: the waveform repeats
    let e = 0;
    for (let i = 2000; i < 4000; i++) e = Math.max(e, Math.abs(x[i] - x[i + 441]));
    expect(e).toBeLessThan(1e-6 + 0.05 * Math.max(...x.subarray(2000, 4000)));
  });

  it('follows a glide: pulse spacing = 1 / F0 at every point (the phase integrates F0)', () => {
    const T = 60,
      f0 = new Float32Array(T).map((_, t) => 150 + 2 * t);
    const x = harmonicExcitation(f0, T, 0, 0);
    // all harmonics are in phase once per period: the pulse peaks mark the periods
    const peaks: number[] = [];
    const top = Math.max(...x);
    // a pulse is ~2 samples wide, so a sampled peak can lose half its height; sidelobes stay under 0.25
    for (let i = 1; i < x.length - 1; i++) {
      if (!(x[i] > 0.35 * top && x[i] >= x[i - 1] && x[i] > x[i + 1])) continue;
      if (peaks.length && i - peaks[peaks.length - 1] < 40) {
        if (x[i] > x[peaks[peaks.length - 1]]) peaks[peaks.length - 1] = i;
      } else peaks.push(i);
    }
    expect(peaks.length).toBeGreaterThan(50);
    for (let j = 1; j < peaks.length; j++) {
      const mid = (peaks[j] + peaks[j - 1]) / 2 / 256,
        f = 150 + 2 * mid;
      expect(Math.abs(peaks[j] - peaks[j - 1] - 22050 / f)).toBeLessThan(1.5);
    }
  });

  it('comb is positive on the harmonics and negative between them', () => {
    const T = 20,
      f0 = new Float32Array(T).fill(215.33); // 10 bins apart (22050 / 1024 = 21.533 Hz per bin)
    const comb = combFeature(excitationSpectrum(f0, T, 0, 0));
    const row = 10 * N_BINS;
    for (const h of [1, 2, 5, 20]) {
      expect(comb[row + 10 * h]).toBeGreaterThan(1);
      expect(comb[row + 10 * h + 5]).toBeLessThan(-1);
    }
    const p = pitchFeature([200, 0, 400], 3);
    expect(Array.from(p)).toEqual([0, 1, 0, 0, 2, 1]);
  });

  it('F0 can be read back from a log-mel alone (copy-synthesis)', () => {
    const T = 90,
      f0 = new Float32Array(T).fill(230);
    const ex = excitationSpectrum(f0, T, 0, 0.05);
    // a formant-like envelope, so the mel is speech-shaped rather than flat
    const lm = new Float32Array(T * N_BINS);
    for (let t = 0; t < T; t++)
      for (let k = 0; k < N_BINS; k++)
        lm[t * N_BINS + k] = Math.log(Math.hypot(ex.re[t * N_BINS + k], ex.im[t * N_BINS + k]) + 1e-6) - 3 * ((k - 40) / 120) ** 2;
    const wave = excitedWave(lm, ex, T);
    const est = f0FromLogMel(spectra(wave).logMel.slice(0, T * N_MELS), T);
    const mid = Array.from(est.subarray(10, 80));
    expect(mid.filter((v) => v > 0).length).toBeGreaterThan(60);
    expect(Math.abs(median(mid) - 230)).toBeLessThan(3);
  });
});

describe('differentiable mel', () => {
  it('logMelOfLogMag (tfjs ops) matches the host log-mel of the same spectrum', () => {
    const n = 40 * 256,
      x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = 0.3 * Math.sin(2 * Math.PI * (200 + (i / n) * 800) * (i / 22050)) + 0.05 * Math.sin(i * 0.9);
    const sp = spectra(x);
    const m = tf.tidy(() => logMelOfLogMag(tfOps, tf.tensor2d(sp.logMag, [sp.frames, N_BINS])).dataSync());
    let err = 0;
    for (let i = 0; i < m.length; i++) if (sp.logMel[i] > -8) err = Math.max(err, Math.abs(m[i] - sp.logMel[i]));
    expect(err).toBeLessThan(1e-3);
  });
});

describe('networks', () => {
  it('acoustic, vocoder and denoiser map [N, T, 1, C] to the right shapes and have gradients', () => {
    const T = 16;
    const a = createModel(acousticSpec(), 0),
      v = createModel(vocoderSpec(), 0),
      d = createModel(denoiserSpec(), 0);
    expect(paramCount(acousticSpec()) + paramCount(vocoderSpec()) + paramCount(denoiserSpec())).toBeLessThan(3e6);
    tf.tidy(() => {
      const mel = apply(a, { x: tf.zeros([1, T, 1, FEATURE_CHANNELS]) });
      expect(mel.shape).toEqual([1, T, 1, N_MELS]);
      const comb = tf.randomNormal([1, T, 1, N_BINS]);
      const out = apply(v, { mel: mel as tf.Tensor4D, pitch: tf.zeros([1, T, 1, 2]), comb });
      expect(out.shape).toEqual([1, T, 1, N_BINS]);
      const r = apply(d, { x: tf.zeros([2, T, 1, N_BINS]), cond: tf.zeros([2, T, 1, N_BINS]), t: tf.tensor1d([3, 900]) });
      expect(r.shape).toEqual([2, T, 1, N_BINS]);
      const g = tf.grad((m: tf.Tensor) =>
        logMelOfLogMag(tfOps, apply(v, { mel: m as tf.Tensor4D, pitch: tf.ones([1, 8, 1, 2]), comb: tf.ones([1, 8, 1, N_BINS]) })).mean(),
      )(tf.ones([1, 8, 1, N_MELS]));
      expect(g.shape).toEqual([1, 8, 1, N_MELS]);
      expect(Number.isFinite(g.abs().sum().dataSync()[0])).toBe(true);
    });
  });
});
