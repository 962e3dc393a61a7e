import { Rng } from '@diffgan/core-models';
import { DegradedPatchSampler, SrImage } from './data';
import { degradeMixed } from './degrade';

/** A 70x50 image whose pixel (x, y) is (x, y, x + y) (mod 256), easy to locate. */
const img: SrImage = {
  name: 'ramp',
  width: 70,
  height: 50,
  data: Uint8Array.from({ length: 70 * 50 * 3 }, (_, i) => {
    const p = Math.floor(i / 3),
      x = p % 70,
      y = Math.floor(p / 70);
    return [x, y, x + y][i % 3] % 256;
  }),
};

test('a degraded batch: HR crops of patch·scale (one of 8 dihedral transforms) and their degraded LR (degradeMixed), replayed from the seed', () => {
  const s = new DegradedPatchSampler([img], 4, 8);
  const a = s.sample(3, new Rng(5));
  expect([a.lr.length, a.hr.length]).toEqual([3 * 8 * 8 * 3, 3 * 32 * 32 * 3]);
  const b = s.sample(3, new Rng(5));
  expect(b.lr).toEqual(a.lr);
  expect(b.hr).toEqual(a.hr);
  // replay sample 0's draws: image pick, x0, y0, dihedral, then the degradation's fork
  const rng = new Rng(5);
  rng.uniform();
  const x0 = rng.int(70 - 32 + 1),
    y0 = rng.int(50 - 32 + 1),
    d = rng.int(8);
  const hr0 = a.hr.subarray(0, 32 * 32 * 3);
  // the HR crop is the image window (x0, y0, 32, 32) under transform d: its corner values are window corners
  const corners = [
    [x0, y0],
    [x0 + 31, y0],
    [x0, y0 + 31],
    [x0 + 31, y0 + 31],
  ].map(([x, y]) => [x, y]);
  const at = (k: number) => [Math.round(hr0[k * 3] * 255), Math.round(hr0[k * 3 + 1] * 255)];
  expect(corners).toContainEqual(at(0));
  expect(corners).toContainEqual(at(31));
  expect(corners).toContainEqual(at(31 * 32 + 31));
  expect(d).toBeLessThan(8);
  const lr0 = degradeMixed({ data: Float32Array.from(hr0), width: 32, height: 32 }, 4, rng.fork());
  expect(a.lr.subarray(0, 8 * 8 * 3)).toEqual(lr0.data);
});

test('images smaller than patch·scale are skipped, and none large enough is an error', () => {
  expect(() => new DegradedPatchSampler([img], 4, 16)).toThrow('no training image is at least 64x64 (patch 16 at x4)');
});
