import { logSpectralDistance, melCepstralDistortion } from './metrics';
import { mulberry32, gaussian } from './random';

/** A speech-like test signal: a buzzy 150 Hz pulse train through a moving resonance plus breath noise. */
function speechLike(n: number, sr = 22050): Float32Array {
  const noise = gaussian(mulberry32(5));
  const out = new Float32Array(n);
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < n; i++) {
    const pulse = i % Math.round(sr / 150) === 0 ? 1 : 0;
    const f = 500 + 1500 * (0.5 + 0.5 * Math.sin((2 * Math.PI * i) / n));
    const r = 0.97;
    const theta = (2 * Math.PI * f) / sr;
    const y = pulse + 0.01 * noise() + 2 * r * Math.cos(theta) * y1 - r * r * y2;
    y2 = y1;
    y1 = y;
    out[i] = 0.05 * y;
  }
  return out;
}

function withNoise(x: Float32Array, level: number, seed: number): Float32Array {
  const g = gaussian(mulberry32(seed));
  return x.map((v) => v + level * g());
}

describe('mel-cepstral distortion', () => {
  const x = speechLike(11025);

  it('is 0 for identical signals (with and without DTW)', () => {
    expect(melCepstralDistortion(x, x)).toBe(0);
    expect(melCepstralDistortion(x, x, { dtw: true })).toBe(0);
  });

  it('grows with added noise', () => {
    const levels = [0.001, 0.01, 0.05];
    const mcd = levels.map((l, i) => melCepstralDistortion(x, withNoise(x, l, i + 1)));
    expect(mcd[0]).toBeGreaterThan(0);
    expect(mcd[1]).toBeGreaterThan(mcd[0]);
    expect(mcd[2]).toBeGreaterThan(mcd[1]);
  });

  it('with DTW, forgives a time shift that frame-by-frame comparison punishes', () => {
    const shifted = x.subarray(2048);
    const plain = melCepstralDistortion(x, shifted);
    const aligned = melCepstralDistortion(x, shifted, { dtw: true });
    expect(aligned).toBeLessThan(plain / 2);
  });
});

describe('log-spectral distance', () => {
  const x = speechLike(11025);
  it('is 0 for identical signals and grows with noise', () => {
    expect(logSpectralDistance(x, x)).toBe(0);
    const a = logSpectralDistance(x, withNoise(x, 0.001, 1));
    const b = logSpectralDistance(x, withNoise(x, 0.02, 2));
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
  });

  it('equals the dB gain for a uniformly scaled signal (floor out of the way)', () => {
    const louder = x.map((v) => v * 2);
    expect(logSpectralDistance(x, louder, {}, -300)).toBeCloseTo(20 * Math.log10(2), 3);
    // With the default -80 dB floor, bins below it in both signals count as equal.
    expect(logSpectralDistance(x, louder)).toBeLessThan(20 * Math.log10(2));
  });
});
