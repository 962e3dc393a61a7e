import { TemporalDifferenceMeter, flicker, meanAbsTemporalDifference, temporalConsistencyLoss, temporalConsistencyLossWithGradient } from './temporal';

const P = 12;
const constant = (v: number) => new Float32Array(P).fill(v);
const ramp = (start: number, step: number, n: number) => Array.from({ length: n }, (_, t) => constant(start + step * t));

describe('flicker metric', () => {
  it('is 0 for a static video against a static reference', async () => {
    expect(await flicker(ramp(50, 0, 5), ramp(80, 0, 5))).toBe(0);
  });

  it('matches a hand-computed brightness ramp', async () => {
    // output alternates 0, 20, 0, 20, 0: MATD = 20; reference ramps by 5: MATD = 5
    const output = [0, 20, 0, 20, 0].map((v) => new Uint8Array(P).fill(v));
    expect(await flicker(output, ramp(0, 5, 5))).toBe(15);
    // a frozen output against a ramp of 10 per frame is 10 below the reference
    expect(await flicker(ramp(7, 0, 4), ramp(0, 10, 4))).toBe(-10);
  });

  it('averages over pairs and over samples', async () => {
    // frame 1 differs from frame 0 in half the samples by 8: pair 1 = 4; pair 2 = 0
    const half = new Float32Array(P);
    half.fill(8, 0, P / 2);
    expect(await meanAbsTemporalDifference([constant(0), half, half])).toBe(2);
    const meter = new TemporalDifferenceMeter();
    meter.push(constant(1));
    expect(meter.value).toBe(0);
  });
});

describe('temporal-consistency loss', () => {
  it('is 0 when the output moves exactly like the ground truth, even offset', () => {
    expect(temporalConsistencyLoss(ramp(10, 3, 6), ramp(-4, 3, 6))).toBe(0);
  });

  it('matches a hand-computed ramp mismatch', () => {
    // generated steps by 2, ground truth by 3: |2 - 3| = 1 everywhere
    expect(temporalConsistencyLoss(ramp(0, 2, 5), ramp(0, 3, 5))).toBe(1);
    // a static output against a ramp of 5 costs the whole ramp
    expect(temporalConsistencyLoss(ramp(9, 0, 3), ramp(0, 5, 3))).toBe(5);
  });

  it('gives a gradient that agrees with finite differences', () => {
    const gen = [new Float32Array([0.1, 0.5, -0.3]), new Float32Array([0.4, 0.2, 0.0]), new Float32Array([0.9, -0.1, 0.2])];
    const gt = [new Float32Array([0.0, 0.3, 0.1]), new Float32Array([0.2, 0.6, -0.2]), new Float32Array([0.3, 0.1, 0.5])];
    const { loss, gradient } = temporalConsistencyLossWithGradient(gen, gt);
    expect(loss).toBeCloseTo(temporalConsistencyLoss(gen, gt), 6);
    const h = 1e-3;
    for (let t = 0; t < gen.length; t++) {
      for (let p = 0; p < 3; p++) {
        const plus = gen.map((f) => f.slice());
        const minus = gen.map((f) => f.slice());
        plus[t][p] += h;
        minus[t][p] -= h;
        const numeric = (temporalConsistencyLoss(plus, gt) - temporalConsistencyLoss(minus, gt)) / (2 * h);
        expect(gradient[t][p]).toBeCloseTo(numeric, 3);
      }
    }
  });

  it('refuses mismatched inputs', () => {
    expect(() => temporalConsistencyLoss(ramp(0, 1, 3), ramp(0, 1, 4))).toThrow(RangeError);
    expect(() => temporalConsistencyLoss(ramp(0, 1, 1), ramp(0, 1, 1))).toThrow(RangeError);
  });
});
