import { frameCount, istft, reflectPad, stft } from './stft';
import { Rng } from '@diffgan/core-models';

function randomAudio(n: number, seed = 7): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.uniform() * 2 - 1);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('stft / istft', () => {
  it('reconstructs random audio within 1e-5 (defaults: 1024/256/1024, reflect centre padding)', () => {
    const x = randomAudio(22050);
    const spec = stft(x);
    expect(spec.nBins).toBe(513);
    expect(spec.nFrames).toBe(1 + Math.floor(22050 / 256));
    const y = istft(spec, {}, x.length);
    expect(y.length).toBe(x.length);
    expect(maxAbsDiff(x, y)).toBeLessThan(1e-5);
  });

  it('reconstructs with a window shorter than n_fft and another hop', () => {
    const x = randomAudio(5000, 3);
    const config = { nFft: 512, hopLength: 128, winLength: 400 };
    expect(maxAbsDiff(x, istft(stft(x, config), config, x.length))).toBeLessThan(1e-5);
  });

  it('puts a sinusoid in the expected bin with the expected amplitude', () => {
    // 20 cycles per 1024 samples -> bin 20; periodic Hann has coherent gain 0.5 -> |X| = A * 1024 / 4.
    const sr = 22050;
    const f = (20 * sr) / 1024;
    const x = Float32Array.from({ length: 8192 }, (_, i) => Math.sin((2 * Math.PI * f * i) / sr));
    const spec = stft(x);
    const t = 10;
    let best = 0;
    for (let k = 1; k < spec.nBins; k++) {
      if (Math.hypot(spec.re[t * 513 + k], spec.im[t * 513 + k]) > Math.hypot(spec.re[t * 513 + best], spec.im[t * 513 + best])) best = k;
    }
    expect(best).toBe(20);
    expect(Math.hypot(spec.re[t * 513 + 20], spec.im[t * 513 + 20])).toBeCloseTo(256, 1);
  });

  it('reflect-pads like numpy (edge sample not repeated)', () => {
    expect(Array.from(reflectPad([1, 2, 3, 4], 2))).toEqual([3, 2, 1, 2, 3, 4, 3, 2]);
  });

  it('counts frames like librosa with center=True', () => {
    expect(frameCount(22050, { nFft: 1024, hopLength: 256, winLength: 1024, center: true })).toBe(87);
  });
});
