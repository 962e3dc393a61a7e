/** Synthetic signals with known properties, for tests and quick checks. */
import { Rng } from '@diffgan/core-models';

/**
 * Speech-like sound: a 150 Hz pulse train through one resonance sweeping 500-2000 Hz,
 * plus a little breath noise. Broadband, so every mel band has energy (unlike a sine).
 */
export function speechLike(n: number, sampleRate = 22050, seed = 5): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n);
  const period = Math.round(sampleRate / 150);
  const r = 0.97;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < n; i++) {
    const pulse = i % period === 0 ? 1 : 0;
    const f = 500 + 1500 * (0.5 + 0.5 * Math.sin((2 * Math.PI * i) / n));
    const theta = (2 * Math.PI * f) / sampleRate;
    const y = pulse + 0.01 * rng.normal() + 2 * r * Math.cos(theta) * y1 - r * r * y2;
    y2 = y1;
    y1 = y;
    out[i] = 0.05 * y;
  }
  return out;
}
