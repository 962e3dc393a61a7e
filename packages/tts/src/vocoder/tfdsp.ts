/**
 * The mel analysis of a predicted magnitude in plain tfjs ops, so the generator's loss can
 * compare mels (what MCD and the acoustic model see) as well as raw bins.
 */
import { tf } from '@diffgan/core-models';
import { filterbank } from '../synth/audio';

let melBasis: tf.Tensor2D | null = null;

/** [513 x 80] Slaney filterbank, transposed for a right matmul. */
function basis(): tf.Tensor2D {
  if (melBasis) return melBasis;
  const fb = filterbank();
  const m = new Float32Array(fb.nBins * fb.nMels);
  for (let b = 0; b < fb.nMels; b++) for (let k = 0; k < fb.nBins; k++) m[k * fb.nMels + b] = fb.weights[b * fb.nBins + k];
  melBasis = tf.keep(tf.tensor2d(m, [fb.nBins, fb.nMels]));
  return melBasis;
}

/** ln-mel (floor 1e-5) of ln-magnitudes [..., 513] -> [rows, 80]; ln-magnitudes are capped at 6 like the host's. */
export function logMelOfLogMagTf(logMag: tf.Tensor): tf.Tensor2D {
  const rows = logMag.size / 513;
  const mag = tf.exp(tf.minimum(logMag.reshape([rows, 513]), 6));
  return tf.log(tf.maximum(tf.matMul(mag, basis()), 1e-5)) as tf.Tensor2D;
}
