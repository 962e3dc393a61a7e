import { CurvePoint, plateauReached } from './plateau';

const pts = (fids: number[], every = 1000): CurvePoint[] =>
  fids.map((fid, k) => ({ step: (k + 1) * every, fid, precision: 0, recall: 0, seconds: 0, cpuSeconds: 0 }));
const rule = { improvement: 0.05, minSteps: 3000 };

describe('plateauReached', () => {
  it('stops when the last third is not 5% below the best before it', () => {
    // steps 1000..6000, cut at 4000: best before = 50 (step 3000), best after = 48.0 > 0.95 * 50 = 47.5
    expect(plateauReached(pts([100, 60, 50, 55, 48, 49]), rule)).toBe(true);
  });
  it('goes on while the last third still improves by more than 5%', () => {
    // best after = 47.4 < 47.5
    expect(plateauReached(pts([100, 60, 50, 55, 47.4, 49]), rule)).toBe(false);
  });
  it('counts the point exactly at 2/3 of the steps as before the cut', () => {
    // steps 1000..3000, cut at 2000: before {100, 60}, after {58}: 58 > 57 → flat
    expect(plateauReached(pts([100, 60, 58]), rule)).toBe(true);
    expect(plateauReached(pts([100, 60, 56]), rule)).toBe(false);
  });
  it('never stops before minSteps or without points on both sides', () => {
    expect(plateauReached(pts([100, 100]), rule)).toBe(false);
    expect(plateauReached([], rule)).toBe(false);
    expect(plateauReached(pts([100], 5000), rule)).toBe(false);
  });
});
