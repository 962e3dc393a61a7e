import { tf, initBackend, createModel, apply, paramCount } from '@diffgan/core-models';
import { istftTf, logMelTf } from './tfdsp';
import { acousticSpec, vocoderSpec, denoiserSpec, N_BINS, N_MELS } from '../synth/nets';
import { FEATURE_CHANNELS } from '../synth/features';
import { spectra, specToWave } from '../synth/audio';

beforeAll(async () => { await initBackend({ backend: 'wasm' }); });

function chirp(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.3 * Math.sin(2 * Math.PI * (200 + (i / n) * 800) * (i / 22050)) + 0.05 * Math.sin(i * 0.9);
  return x;
}

describe('differentiable STFT pieces', () => {
  it('istftTf inverts a (log-magnitude, phase) head like the host iSTFT', () => {
    const T = 24, x = chirp((T - 1) * 256);
    const sp = spectra(x);
    expect(sp.frames).toBe(T);
    const head = new Float32Array(T * 2 * N_BINS);
    for (let t = 0; t < T; t++) for (let k = 0; k < N_BINS; k++) {
      const i = t * N_BINS + k, re = sp.spec.re[i], im = sp.spec.im[i];
      head[t * 2 * N_BINS + k] = Math.log(Math.max(Math.hypot(re, im), 1e-12));
      head[t * 2 * N_BINS + N_BINS + k] = Math.atan2(im, re);
    }
    const y = tf.tidy(() => istftTf(tf.tensor4d(head, [1, T, 1, 2 * N_BINS])).dataSync());
    expect(y.length).toBe(x.length);
    let err = 0; for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(y[i] - x[i]));
    expect(err).toBeLessThan(1e-3);
    const host = specToWave(head.filter((_, i) => i % (2 * N_BINS) < N_BINS), head.filter((_, i) => i % (2 * N_BINS) >= N_BINS), T);
    let err2 = 0; for (let i = 0; i < x.length; i++) err2 = Math.max(err2, Math.abs(host[i] - x[i]));
    expect(err2).toBeLessThan(1e-3);
  });

  it('logMelTf matches the host log-mel (frame j = host frame j + 2)', () => {
    const x = chirp(40 * 256);
    const m = tf.tidy(() => logMelTf(tf.tensor2d(x, [1, x.length])).arraySync()[0] as number[][]);
    const host = spectra(x);
    let err = 0;
    for (const j of [0, 5, 20, 30]) for (let b = 0; b < N_MELS; b++) if (host.logMel[(j + 2) * N_MELS + b] > -8) err = Math.max(err, Math.abs(m[j][b] - host.logMel[(j + 2) * N_MELS + b]));
    expect(err).toBeLessThan(1e-2);
  });
});

describe('networks', () => {
  it('acoustic, vocoder and denoiser map [1, T, 1, C] to the right shapes and have gradients', () => {
    const T = 16;
    const a = createModel(acousticSpec(), 0), v = createModel(vocoderSpec(), 0), d = createModel(denoiserSpec(), 0);
    expect(paramCount(acousticSpec()) + paramCount(vocoderSpec()) + paramCount(denoiserSpec())).toBeLessThan(6e6);
    tf.tidy(() => {
      const mel = apply(a, { x: tf.zeros([1, T, 1, FEATURE_CHANNELS]) });
      expect(mel.shape).toEqual([1, T, 1, N_MELS]);
      const out = apply(v, { mel: mel as tf.Tensor4D });
      expect(out.shape).toEqual([1, T, 1, 2 * N_BINS]);
      expect(istftTf(out as tf.Tensor4D).shape).toEqual([1, (T - 1) * 256]);
      const r = apply(d, { x: tf.zeros([2, T, 1, N_BINS]), cond: tf.zeros([2, T, 1, N_BINS]), t: tf.tensor1d([3, 900]) });
      expect(r.shape).toEqual([2, T, 1, N_BINS]);
      const g = tf.grad((m: tf.Tensor) => logMelTf(istftTf(apply(v, { mel: m as tf.Tensor4D }) as tf.Tensor4D)).mean())(tf.ones([1, 8, 1, N_MELS]));
      expect(g.shape).toEqual([1, 8, 1, N_MELS]);
      expect(Number.isFinite(g.abs().sum().dataSync()[0])).toBe(true);
    });
  });
});
