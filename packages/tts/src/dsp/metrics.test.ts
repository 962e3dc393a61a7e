import { logSpectralDistance, melCepstralDistortion, quietFrameShare } from './metrics';
import { Rng } from '@diffgan/core-models';
import { speechLike } from './test-signals';

function withNoise(x: Float32Array, level: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return x.map((v) => v + level * rng.normal());
}

describe('mel-cepstral distortion', () => {
  const x = speechLike(8192);

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

describe('quiet frame share', () => {
  it('counts 50 ms frames under -45 dBFS by their mean power (hand-computed)', () => {
    const sr = 1000,
      hop = 50; // 50-sample frames
    const x = new Float32Array(4 * hop + 10); // the 10-sample tail is no whole frame: not counted
    x.fill(0.1, 0, hop); // -20 dBFS
    x.fill(0.004, hop, 2 * hop); // 20·log10(0.004) = -47.96 dBFS: quiet
    x.fill(0.006, 2 * hop, 3 * hop); // -44.44 dBFS: not quiet
    // frame 4 stays silent: quiet
    expect(quietFrameShare(x, sr)).toBe(0.5);
    expect(quietFrameShare(x, sr, -50)).toBe(0.25);
  });
});
