import { griffinLim } from './griffinLim';
import { magnitude } from './spectrogram';
import { stft } from './stft';

describe('griffinLim', () => {
  // A known signal: two harmonics of a gliding tone, 0.5 s at 22,050 Hz.
  const sr = 22050;
  const n = Math.round(0.5 * sr);
  const signal = Float32Array.from({ length: n }, (_, i) => {
    const t = i / sr;
    const phase = 2 * Math.PI * (220 * t + 40 * t * t);
    return 0.5 * Math.sin(phase) + 0.25 * Math.sin(2 * phase + 1);
  });
  const target = magnitude(stft(signal));
  const fast = griffinLim(target, { iterations: 30, length: n });
  const plain = griffinLim(target, { iterations: 30, length: n, momentum: 0 });

  it('decreases spectral convergence over the iterations', () => {
    const sc = fast.convergence;
    expect(sc).toHaveLength(30);
    expect(sc[29]).toBeLessThan(sc[0] / 3);
    expect(sc[29]).toBeLessThan(sc[9]);
    // plain GL is monotone (a property of alternating projections in this form)
    for (let i = 1; i < plain.convergence.length; i++) expect(plain.convergence[i]).toBeLessThanOrEqual(plain.convergence[i - 1] + 1e-9);
  });

  it('ends below a spectral convergence of 0.15', () => {
    expect(fast.convergence[29]).toBeLessThan(0.15);
  });

  it('fast Griffin-Lim beats plain Griffin-Lim at equal iterations', () => {
    expect(fast.convergence[29]).toBeLessThan(plain.convergence[29]);
  });

  it('returns a signal of the requested length', () => {
    expect(fast.signal.length).toBe(n);
  });
});
