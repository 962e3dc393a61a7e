/**
 * The mel analysis of a predicted magnitude in runtime-neutral tensor ops (core-models' `Ops`:
 * tfjs through `tfOps`, or the onnxruntime training engine), so the generator's loss can
 * compare mels (what MCD and the acoustic model see) as well as raw bins.
 */
import type { Ops } from '@diffgan/core-models';
import { filterbank } from '../synth/audio';

let melBasis: { data: Float32Array; shape: [number, number] } | null = null;

/** [513 x 80] Slaney filterbank, transposed for a right matmul (host values). */
function basis(): { data: Float32Array; shape: [number, number] } {
  if (melBasis) return melBasis;
  const fb = filterbank();
  const m = new Float32Array(fb.nBins * fb.nMels);
  for (let b = 0; b < fb.nMels; b++) for (let k = 0; k < fb.nBins; k++) m[k * fb.nMels + b] = fb.weights[b * fb.nBins + k];
  melBasis = { data: m, shape: [fb.nBins, fb.nMels] };
  return melBasis;
}

/** ln-mel (floor 1e-5) of ln-magnitudes [..., 513] -> [rows, 80]; ln-magnitudes are capped at 6 like the host's. */
export function logMelOfLogMag<T>(o: Ops<T>, logMag: T): T {
  const { data, shape } = basis();
  const rows = o.shape(logMag).reduce((a, b) => a * b, 1) / shape[0];
  const mag = o.exp(o.minimum(o.reshape(logMag, [rows, shape[0]]), 6));
  return o.log(o.maximum(o.matMul(mag, o.constant(data, shape)), 1e-5));
}
