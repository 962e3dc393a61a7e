import { griffinLim } from './griffin-lim';
import { magnitude } from './spectrogram';
import { stft, DEFAULT_STFT } from './stft';
import type { RealSpectrogram } from './spectrogram';

const spec = (data: Float32Array): RealSpectrogram => ({ nFrames: data.length / 513, nBins: 513, data });

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
  const fast = griffinLim(target, { iterations: 30, length: n, trackConvergence: true });
  const plain = griffinLim(target, { iterations: 30, length: n, momentum: 0, trackConvergence: true });

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

describe('Griffin-Lim from a given phase', () => {
  it('reduces to the original when started from the true phase', () => {
    const n = 30 * 256,
      x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = 0.3 * Math.sin(i * 0.05) + 0.1 * Math.sin(i * 0.31);
    const s = stft(x, DEFAULT_STFT);
    const mag = new Float32Array(s.re.length).map((_, i) => Math.hypot(s.re[i], s.im[i]));
    const y = griffinLim(spec(mag), { initPhase: s, iterations: 3, length: n }).signal;
    let e = 0;
    for (let i = 0; i < n; i++) e = Math.max(e, Math.abs(y[i] - x[i]));
    expect(e).toBeLessThan(1e-3);
  });
});

describe('Griffin-Lim with a phase lock', () => {
  const n = 40 * 256;
  // a chirp: 200 -> 400 Hz, the kind of F0 movement a consistent STFT smooths
  const x = new Float32Array(n);
  let ph = 0;
  for (let i = 0; i < n; i++) {
    ph += (200 + (200 * i) / n) / 22050;
    x[i] = 0.3 * Math.sin(2 * Math.PI * ph) + 0.1 * Math.sin(4 * Math.PI * ph);
  }
  const s = stft(x, DEFAULT_STFT);
  const mag = new Float32Array(s.re.length).map((_, i) => Math.hypot(s.re[i], s.im[i]));
  // initial phase: true below bin 24 (~517 Hz), scrambled above
  const init = { ...s, re: Float64Array.from(s.re), im: Float64Array.from(s.im) };
  for (let i = 0; i < init.re.length; i++)
    if (i % s.nBins >= 24) {
      const a = (i * 2.399) % (2 * Math.PI);
      init.re[i] = Math.cos(a);
      init.im[i] = Math.sin(a);
    }

  it('locking every bin leaves the initial phase as it is (= 0 iterations)', () => {
    const locked = griffinLim(spec(mag), { initPhase: init, iterations: 5, length: n, lockedBins: new Array(s.nFrames).fill(s.nBins) }).signal;
    const none = griffinLim(spec(mag), { initPhase: init, iterations: 0, length: n }).signal;
    let e = 0;
    for (let i = 0; i < n; i++) e = Math.max(e, Math.abs(locked[i] - none[i]));
    expect(e).toBeLessThan(1e-9);
  });

  it('keeps the locked bins phase-aligned with the initial phase while the rest iterates', () => {
    const lowBandPhaseError = (y: Float32Array): number => {
      const t = stft(y, DEFAULT_STFT);
      let e = 0,
        w = 0;
      for (let f = 2; f < s.nFrames - 2; f++)
        for (let k = 0; k < 24; k++) {
          const i = f * s.nBins + k,
            m = mag[i];
          const d = Math.atan2(t.im[i], t.re[i]) - Math.atan2(s.im[i], s.re[i]);
          e += m * Math.abs(Math.atan2(Math.sin(d), Math.cos(d)));
          w += m;
        }
      return e / w;
    };
    const free = griffinLim(spec(mag), { initPhase: init, iterations: 16, length: n }).signal;
    const locked = griffinLim(spec(mag), { initPhase: init, iterations: 16, length: n, lockedBins: new Array(s.nFrames).fill(24) }).signal;
    expect(lowBandPhaseError(locked)).toBeLessThan(0.5 * lowBandPhaseError(free));
  });
});

describe('Griffin-Lim starting phase and options', () => {
  const n = 20 * 256;
  const x = Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i * 0.07));
  const target = magnitude(stft(x));
  it('a seed gives one random start (core-models Rng): same seed, same signal; another seed, another', () => {
    const a = griffinLim(target, { iterations: 2, seed: 7 }).signal;
    expect(griffinLim(target, { iterations: 2, seed: 7 }).signal).toEqual(a);
    expect(griffinLim(target, { iterations: 2, seed: 8 }).signal).not.toEqual(a);
  });
  it('records convergence only when asked; rejects a starting spectrogram of another size', () => {
    expect(griffinLim(target, { iterations: 3 }).convergence).toEqual([]);
    expect(griffinLim(target, { iterations: 3, trackConvergence: true }).convergence).toHaveLength(3);
    const short = { nFrames: 2, nBins: 513, re: new Float64Array(1026), im: new Float64Array(1026) };
    expect(() => griffinLim(target, { initPhase: short })).toThrow(/initPhase has 2 frames of 513 bins, the magnitude 21 of 513/);
  });
});
