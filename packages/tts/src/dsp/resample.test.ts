import { resample } from './resample';

describe('resample', () => {
  it('48 kHz -> 22,050 Hz keeps a 1 kHz tone (amplitude and frequency) and the duration', () => {
    const x = Float32Array.from({ length: 48000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 48000));
    const y = resample(x, 48000, 22050);
    expect(y.length).toBe(22050);
    let worst = 0;
    for (let i = 1000; i < 21000; i++) worst = Math.max(worst, Math.abs(y[i] - Math.sin((2 * Math.PI * 1000 * i) / 22050)));
    expect(worst).toBeLessThan(1e-3);
  });

  it('removes content above the new Nyquist frequency (15 kHz tone, 48k -> 22,050)', () => {
    const x = Float32Array.from({ length: 48000 }, (_, i) => Math.sin((2 * Math.PI * 15000 * i) / 48000));
    const y = resample(x, 48000, 22050);
    let peak = 0;
    for (let i = 1000; i < 21000; i++) peak = Math.max(peak, Math.abs(y[i]));
    expect(peak).toBeLessThan(1e-3);
  });

  it('is the identity at equal rates', () => {
    expect(Array.from(resample([1, 2, 3], 22050, 22050))).toEqual([1, 2, 3]);
  });
});

describe('resample ratios', () => {
  it('16 kHz -> 22,050 Hz (upsampling, as the corpus group B went) keeps a 3 kHz tone', () => {
    const x = Float32Array.from({ length: 8000 }, (_, i) => Math.sin((2 * Math.PI * 3000 * i) / 16000));
    const y = resample(x, 16000, 22050);
    expect(y.length).toBe(11025);
    let worst = 0;
    for (let i = 500; i < 10500; i++) worst = Math.max(worst, Math.abs(y[i] - Math.sin((2 * Math.PI * 3000 * i) / 22050)));
    expect(worst).toBeLessThan(1e-3);
  });
});
