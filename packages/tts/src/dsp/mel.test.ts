import { applyMel, hzToMel, melFilterbank, melPseudoInverse, melToHz, melToLinear } from './mel';

describe('Slaney mel scale', () => {
  it('is linear below 1 kHz and logarithmic above', () => {
    expect(hzToMel(1000)).toBeCloseTo(15, 10);
    expect(hzToMel(500)).toBeCloseTo(7.5, 10);
    // 6.4 kHz is 27 log steps above 1 kHz by construction.
    expect(hzToMel(6400)).toBeCloseTo(42, 10);
    expect(melToHz(hzToMel(3210))).toBeCloseTo(3210, 8);
  });
});

describe('melFilterbank (22,050 Hz, n_fft 1024, 80 mels, 0-8000 Hz)', () => {
  const fb = melFilterbank();
  const binHz = 22050 / 1024;
  const rowSum = (m: number) => {
    let s = 0;
    for (let k = 0; k < fb.nBins; k++) s += fb.weights[m * fb.nBins + k];
    return s;
  };

  it('has the expected shape', () => {
    expect([fb.nMels, fb.nBins]).toEqual([80, 513]);
  });

  it('matches a value worked out by hand', () => {
    // Edges of filter 0: 0, f1, f2 with f_i = (i/81) * mel(8000) * 200/3 Hz (all below 1 kHz).
    // Bin 1 (21.53 Hz) is on the rising slope: (21.533/f1) * 2/f2 = 0.0155277.
    const melMax = 15 + (27 * Math.log(8)) / Math.log(6.4);
    const f1 = ((melMax / 81) * 200) / 3;
    const f2 = 2 * f1;
    expect(f1).toBeCloseTo(37.239, 3);
    expect(fb.weights[1]).toBeCloseTo((binHz / f1) * (2 / f2), 10);
    expect(fb.weights[1]).toBeCloseTo(0.0155277, 6);
  });

  it('has unit-area rows (slaney norm): row sum x bin width ~ 1 where filters span several bins', () => {
    for (let m = 10; m < 80; m++) expect(Math.abs(rowSum(m) * binHz - 1)).toBeLessThan(0.1);
    for (let m = 0; m < 80; m++) expect(rowSum(m)).toBeGreaterThan(0);
  });

  it('without normalisation, the triangles sum to 1 across the covered band', () => {
    const plain = melFilterbank({ norm: 'none' });
    // Between the first and the last centre frequency every bin is covered by exactly two slopes summing to 1.
    for (let k = Math.ceil(plain.centers[0] / binHz); k <= Math.floor(plain.centers[79] / binHz); k++) {
      let s = 0;
      for (let m = 0; m < 80; m++) s += plain.weights[m * plain.nBins + k];
      expect(s).toBeCloseTo(1, 6);
    }
    // Nothing above fmax.
    for (let m = 0; m < 80; m++) expect(plain.weights[m * plain.nBins + Math.ceil(8000 / binHz) + 1]).toBe(0);
  });

  it('has a pseudo-inverse: F * pinv(F) = I', () => {
    const pinv = melPseudoInverse(fb);
    let worst = 0;
    for (let i = 0; i < 80; i++) {
      for (let j = 0; j < 80; j++) {
        let s = 0;
        for (let k = 0; k < fb.nBins; k++) s += fb.weights[i * fb.nBins + k] * pinv[k * 80 + j];
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('mel -> linear -> mel is the identity on the mel side', () => {
    const nBins = fb.nBins;
    const spec = { nFrames: 2, nBins, data: Float32Array.from({ length: 2 * nBins }, (_, i) => 1 + Math.sin(i / 17)) };
    const mel = applyMel(spec, fb);
    const again = applyMel(melToLinear(mel, fb), fb);
    for (let i = 0; i < mel.data.length; i++) expect(again.data[i]).toBeCloseTo(mel.data[i], 3);
  });
});
