/**
 * Differentiable STFT pieces in plain real tfjs ops (no complex tensors, whose gradients
 * tfjs lacks): inverse STFT as a matmul with a real DFT basis + overlap-add, and a
 * log-mel analysis as framing + matmul with cos/sin bases + mel matmul.
 */
import { tf } from '@diffgan/core-models';
import { filterbank } from '../synth/audio';

const N = 1024, HOP = 256, BINS = 513;

function hann(): Float32Array {
  const w = new Float32Array(N);
  for (let n = 0; n < N; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / N);
  return w;
}

let bases: { icos: tf.Tensor2D; isin: tf.Tensor2D; fcos: tf.Tensor2D; fsin: tf.Tensor2D; win: tf.Tensor1D; mel: tf.Tensor2D } | null = null;
function getBases(): NonNullable<typeof bases> {
  if (bases) return bases;
  const w = hann();
  const icos = new Float32Array(BINS * N), isin = new Float32Array(BINS * N), fcos = new Float32Array(N * BINS), fsin = new Float32Array(N * BINS);
  for (let k = 0; k < BINS; k++) {
    const wk = k === 0 || k === BINS - 1 ? 1 : 2;
    for (let n = 0; n < N; n++) {
      const a = (2 * Math.PI * k * n) / N;
      icos[k * N + n] = (wk * Math.cos(a) * w[n]) / N;
      isin[k * N + n] = (-wk * Math.sin(a) * w[n]) / N;
      fcos[n * BINS + k] = Math.cos(a) * w[n];
      fsin[n * BINS + k] = -Math.sin(a) * w[n];
    }
  }
  const fb = filterbank();
  const mel = new Float32Array(BINS * fb.nMels);
  for (let m = 0; m < fb.nMels; m++) for (let k = 0; k < BINS; k++) mel[k * fb.nMels + m] = fb.weights[m * BINS + k];
  bases = tf.tidy(() => ({
    icos: tf.keep(tf.tensor2d(icos, [BINS, N])), isin: tf.keep(tf.tensor2d(isin, [BINS, N])),
    fcos: tf.keep(tf.tensor2d(fcos, [N, BINS])), fsin: tf.keep(tf.tensor2d(fsin, [N, BINS])),
    win: tf.keep(tf.tensor1d(w)), mel: tf.keep(tf.tensor2d(mel, [BINS, fb.nMels])),
  }));
  return bases;
}

/** Window-square overlap sum for T frames, in blocks [T+3, 256]. */
function wsum(T: number): Float32Array {
  const w = hann();
  const s = new Float32Array((T + 3) * HOP);
  for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) s[t * HOP + n] += w[n] * w[n];
  for (let i = 0; i < s.length; i++) s[i] = s[i] > 1e-8 ? 1 / s[i] : 0;
  return s;
}

/** Generator head [B, T, 1, 1026] (log-magnitude | phase) -> waveform [B, (T-1)*256], centred like the host iSTFT. */
export function istftTf(out: tf.Tensor4D): tf.Tensor2D {
  const [B, T] = out.shape;
  const b = getBases();
  const flat = out.reshape([B * T, 2 * BINS]);
  const lm = tf.minimum(flat.slice([0, 0], [B * T, BINS]), 6);
  const ph = flat.slice([0, BINS], [B * T, BINS]);
  const mag = tf.exp(lm);
  const re = tf.mul(mag, tf.cos(ph)), im = tf.mul(mag, tf.sin(ph));
  const frames = tf.add(tf.matMul(re, b.icos), tf.matMul(im, b.isin)).reshape([B, T, 4, HOP]);
  let acc: tf.Tensor3D | null = null;
  for (let j = 0; j < 4; j++) {
    const chunk = frames.slice([0, 0, j, 0], [B, T, 1, HOP]).reshape([B, T, HOP]);
    const padded = tf.pad(chunk, [[0, 0], [j, 3 - j], [0, 0]]) as tf.Tensor3D;
    acc = acc ? (tf.add(acc, padded) as tf.Tensor3D) : padded;
  }
  const norm = tf.tensor3d(wsum(T), [1, T + 3, HOP]);
  const wave = tf.mul(acc!, norm).reshape([B, (T + 3) * HOP]);
  return wave.slice([0, N / 2], [B, (T - 1) * HOP]) as tf.Tensor2D;
}

/** ln-mel [B, F, 80] of waveforms [B, L] (L a multiple of 256; frames at 0, 256, ... without padding). */
export function logMelTf(wave: tf.Tensor2D): tf.Tensor3D {
  const [B, L] = wave.shape;
  const blocks = Math.floor(L / HOP), F = blocks - 3;
  const b = getBases();
  const w = wave.slice([0, 0], [B, blocks * HOP]).reshape([B, blocks, HOP]);
  const frames = tf.concat([0, 1, 2, 3].map((j) => w.slice([0, j, 0], [B, F, HOP])), 2).reshape([B * F, N]);
  const re = tf.matMul(frames, b.fcos), im = tf.matMul(frames, b.fsin);
  const mag = tf.sqrt(tf.add(tf.add(tf.square(re), tf.square(im)), 1e-9));
  const mel = tf.matMul(mag, b.mel);
  return tf.log(tf.maximum(mel, 1e-5)).reshape([B, F, b.mel.shape[1]]) as tf.Tensor3D;
}
