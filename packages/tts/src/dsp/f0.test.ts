import { compareF0, estimateF0, f0Rmse } from './f0';

const sr = 22050;
const sine = (hz: number, seconds: number, amplitude = 0.5) =>
  Float32Array.from({ length: Math.round(seconds * sr) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / sr));

describe('estimateF0 (YIN)', () => {
  it('finds 200 Hz within 1 Hz on every voiced frame of a pure sine', () => {
    const track = estimateF0(sine(200, 1), { sampleRate: sr, hopSeconds: 0.005 });
    expect(track.hopSeconds).toBeCloseTo(0.005, 3);
    // Frames whose analysis window lies fully inside the signal.
    const inner = Array.from(track.f0).slice(10, -10);
    expect(inner.every((f) => Math.abs(f - 200) < 1)).toBe(true);
  });

  it('tracks a 10 ms hop too and other pitches (120, 330 Hz)', () => {
    for (const hz of [120, 330]) {
      const inner = Array.from(estimateF0(sine(hz, 0.6), { hopSeconds: 0.01 }).f0).slice(5, -5);
      expect(inner.every((f) => Math.abs(f - hz) < 1)).toBe(true);
    }
  });

  it('calls silence unvoiced', () => {
    const x = new Float32Array(sr);
    x.set(sine(200, 0.5), 0);
    const track = estimateF0(x);
    const tail = Array.from(track.f0).slice(Math.round(0.7 / track.hopSeconds));
    expect(tail.every((f) => f === 0)).toBe(true);
  });
});

describe('F0 RMSE', () => {
  it('is 0 for the same signal and about the pitch difference for shifted sines', () => {
    expect(f0Rmse(sine(200, 0.5), sine(200, 0.5)).rmseHz).toBe(0);
    const r = f0Rmse(sine(200, 0.5), sine(210, 0.5));
    expect(Math.abs(r.rmseHz - 10)).toBeLessThan(1);
    expect(r.voicedFrames).toBeGreaterThan(50);
  });

  it('only scores frames voiced in both tracks and reports voicing disagreement', () => {
    const r = compareF0(Float32Array.from([100, 0, 200, 150]), Float32Array.from([110, 120, 0, 150]));
    expect(r.voicedFrames).toBe(2);
    expect(r.rmseHz).toBeCloseTo(Math.sqrt(50), 10);
    expect(r.voicingErrorRate).toBe(0.5);
  });
});
