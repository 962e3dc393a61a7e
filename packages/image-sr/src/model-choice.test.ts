import sharp from 'sharp';
import { autoModel, estimateJpegQuality, readQuantTables, REAL_MODEL_BELOW_QUALITY } from './model-choice';
import { quantTable } from './jpeg-sim';

const pixels = Buffer.from(Array.from({ length: 32 * 24 * 3 }, (_, i) => (i * 37) % 256));
const encode = (quality: number) =>
  sharp(pixels, { raw: { width: 32, height: 24, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();

test('the quality sharp (libjpeg-turbo) encoded with is read back exactly from the DQT tables', async () => {
  for (const q of [10, 30, 40, 60, 75, 89, 90, 95, 100]) expect([q, estimateJpegQuality(await encode(q))]).toEqual([q, { quality: q, exact: true }]);
  const t = readQuantTables(await encode(50))!;
  // quality 50 is Annex K itself: the luminance DC step is 16, its last entry 99
  expect([t.get(0)![0], t.get(0)![63], t.get(1)![0]]).toEqual([16, 99, 17]);
});

test('hand-made files: 16-bit tables, a custom table (nearest quality, not exact), no DQT, not a JPEG, truncated', () => {
  const ZZ = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29,
    22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
  ];
  /** SOI, an APP0 to skip, one DQT holding the given tables (zigzag), SOS, EOI */
  const file = (tables: { id: number; wide: boolean; natural: ArrayLike<number> }[]) => {
    const dqt: number[] = [];
    for (const t of tables) {
      dqt.push(((t.wide ? 1 : 0) << 4) | t.id);
      for (let k = 0; k < 64; k++) {
        const v = t.natural[ZZ[k]];
        if (t.wide) dqt.push(v >> 8, v & 255);
        else dqt.push(v);
      }
    }
    const app0 = [0xff, 0xe0, 0, 6, 1, 2, 3, 4];
    return Uint8Array.from([0xff, 0xd8, ...app0, 0xff, 0xdb, (dqt.length + 2) >> 8, (dqt.length + 2) & 255, ...dqt, 0xff, 0xda, 0, 2, 0xff, 0xd9]);
  };
  const q70 = quantTable(70, false);
  expect(estimateJpegQuality(file([{ id: 0, wide: true, natural: q70 }]))).toEqual({ quality: 70, exact: true });
  // a camera's own table: every step of quality 70's plus one → nearest is 70 or a neighbour, flagged inexact
  const custom = estimateJpegQuality(file([{ id: 0, wide: false, natural: q70.map((v) => v + 1) }]))!;
  expect(custom.exact).toBe(false);
  expect(Math.abs(custom.quality - 70)).toBeLessThanOrEqual(3);
  expect(estimateJpegQuality(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 0xff, 0xd9]))).toBeNull();
  expect(estimateJpegQuality(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
  const whole = file([{ id: 0, wide: false, natural: q70 }]);
  expect(estimateJpegQuality(whole.subarray(0, 30))).not.toBeNull(); // cut inside the table: what was read, no throw
  expect(estimateJpegQuality(whole.subarray(0, 5))).toBeNull();
});

test('auto: the real model for JPEGs below the threshold when its weights ship, else fidelity, with the reason', async () => {
  const low = await encode(REAL_MODEL_BELOW_QUALITY - 30),
    high = await encode(REAL_MODEL_BELOW_QUALITY);
  expect(autoModel(low, true)).toEqual({ model: 'real', reason: `JPEG quality ${REAL_MODEL_BELOW_QUALITY - 30} < ${REAL_MODEL_BELOW_QUALITY}` });
  expect(autoModel(low, false)).toEqual({
    model: 'fidelity',
    reason: `JPEG quality ${REAL_MODEL_BELOW_QUALITY - 30}, but the real model for this scale is not shipped`,
  });
  expect(autoModel(high, true).model).toBe('fidelity');
  const png = await sharp(pixels, { raw: { width: 32, height: 24, channels: 3 } })
    .png()
    .toBuffer();
  expect(autoModel(png, true)).toEqual({ model: 'fidelity', reason: 'not a JPEG' });
  expect(autoModel(null, true)).toEqual({ model: 'fidelity', reason: 'raw pixels' });
});
