import { resample } from './resample';

/** n samples of a unit sine at `hz`, sampled at `rate`. */
const tone = (hz: number, rate: number, n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));
/** The largest |y[i] − expected[i]| for i in [from, to) (away from the edges, where the filter has no full window). */
const worstDiff = (y: Float32Array, expected: Float32Array, from: number, to: number) => {
  let worst = 0;
  for (let i = from; i < to; i++) worst = Math.max(worst, Math.abs(y[i] - expected[i]));
  return worst;
};

describe('resample', () => {
  it('48 kHz -> 22,050 Hz keeps a 1 kHz tone (amplitude and frequency) and the duration', () => {
    const y = resample(tone(1000, 48000, 48000), 48000, 22050);
    expect(y.length).toBe(22050);
    expect(worstDiff(y, tone(1000, 22050, 22050), 1000, 21000)).toBeLessThan(1e-3);
  });

  it('removes content above the new Nyquist frequency (15 kHz tone, 48k -> 22,050)', () => {
    const y = resample(tone(15000, 48000, 48000), 48000, 22050);
    expect(worstDiff(y, new Float32Array(22050), 1000, 21000)).toBeLessThan(1e-3);
  });

  it('is the identity at equal rates', () => {
    expect(Array.from(resample([1, 2, 3], 22050, 22050))).toEqual([1, 2, 3]);
  });

  it('16 kHz -> 22,050 Hz (upsampling, as the corpus group B went) keeps a 3 kHz tone', () => {
    const y = resample(tone(3000, 16000, 8000), 16000, 22050);
    expect(y.length).toBe(11025);
    expect(worstDiff(y, tone(3000, 22050, 11025), 500, 10500)).toBeLessThan(1e-3);
  });
});
