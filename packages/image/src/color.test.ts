import { rgbToY, toRgb, modcrop, shave, crop } from './color';
import { PixelImage } from './pixel-image';

function rgbPixels(pixels: number[][]): PixelImage<Uint8Array> {
  return { data: Uint8Array.from(pixels.flat()), width: pixels.length, height: 1, channels: 3 };
}

describe('rgbToY (BT.601 studio range, as MATLAB rgb2ycbcr)', () => {
  test('black, white and primaries', () => {
    const img = rgbPixels([
      [0, 0, 0],
      [255, 255, 255],
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
    ]);
    const y = rgbToY(img);
    // 16 + coefficient: the three coefficients sum to 219, so white is 235.
    const expected = [16, 235, 16 + 65.481, 16 + 128.553, 16 + 24.966];
    Array.from(y.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
    expect(Array.from(rgbToY(img, { round: true }).data)).toEqual([16, 235, 81, 145, 41]);
  });

  test('mid grey 128 gives 16 + 219 * 128/255 = 125.937..., rounded 126', () => {
    const y = rgbToY(rgbPixels([[128, 128, 128]]));
    expect(y.data[0]).toBeCloseTo(16 + (219 * 128) / 255, 10);
    expect(rgbToY(rgbPixels([[128, 128, 128]]), { round: true }).data[0]).toBe(126);
  });

  test('rejects fewer than 3 channels', () => {
    expect(() => rgbToY({ data: new Uint8Array(4), width: 2, height: 2, channels: 1 })).toThrow(/toRgb/);
  });
});

describe('toRgb', () => {
  test('grey is replicated, RGBA drops alpha, RGB passes through', () => {
    const grey = { data: Uint8Array.from([5, 250]), width: 2, height: 1, channels: 1 };
    expect(Array.from(toRgb(grey).data)).toEqual([5, 5, 5, 250, 250, 250]);
    const greyAlpha = { data: Uint8Array.from([7, 0]), width: 1, height: 1, channels: 2 };
    expect(Array.from(toRgb(greyAlpha).data)).toEqual([7, 7, 7]);
    const rgba = { data: Uint8Array.from([1, 2, 3, 4]), width: 1, height: 1, channels: 4 };
    expect(Array.from(toRgb(rgba).data)).toEqual([1, 2, 3]);
    const rgb = rgbPixels([[9, 8, 7]]);
    expect(toRgb(rgb)).toBe(rgb);
    const f = toRgb({ data: Float32Array.from([0.5]), width: 1, height: 1, channels: 1 });
    expect(f.data).toBeInstanceOf(Float32Array);
  });
});

describe('crop / modcrop / shave', () => {
  // 5 wide x 4 high, value = 10 * row + column.
  const img: PixelImage<Uint8Array> = { data: Uint8Array.from({ length: 20 }, (_, i) => 10 * Math.floor(i / 5) + (i % 5)), width: 5, height: 4, channels: 1 };

  test('modcrop cuts bottom rows and right columns', () => {
    const m = modcrop(img, 3);
    expect([m.width, m.height]).toEqual([3, 3]);
    expect(Array.from(m.data)).toEqual([0, 1, 2, 10, 11, 12, 20, 21, 22]);
    expect(modcrop(img, 1).data).toEqual(img.data);
    const m2 = modcrop(img, 2);
    expect([m2.width, m2.height]).toEqual([4, 4]);
  });

  test('shave removes the border on all sides', () => {
    const s = shave(img, 1);
    expect([s.width, s.height]).toEqual([3, 2]);
    expect(Array.from(s.data)).toEqual([11, 12, 13, 21, 22, 23]);
    expect(shave(img, 0)).toBe(img);
  });

  test('crop keeps channels interleaved and rejects out-of-range rectangles', () => {
    const rgb = { data: Uint8Array.from({ length: 2 * 2 * 3 }, (_, i) => i), width: 2, height: 2, channels: 3 };
    expect(Array.from(crop(rgb, 1, 1, 1, 1).data)).toEqual([9, 10, 11]);
    expect(() => crop(rgb, 1, 1, 2, 1)).toThrow();
  });
});
