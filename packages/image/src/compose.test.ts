import { makeGrid, sideBySide } from './compose';
import { drawText, measureText } from './bitmap-font';
import { PixelImage } from './pixel-image';

function solid(width: number, height: number, rgb: [number, number, number]): PixelImage<Uint8Array> {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = rgb[i % 3];
  return { data, width, height, channels: 3 };
}

function pixel(img: PixelImage<Uint8Array>, x: number, y: number): number[] {
  const o = (y * img.width + x) * img.channels;
  return Array.from(img.data.subarray(o, o + img.channels));
}

describe('makeGrid', () => {
  test('places tiles row by row with padding and background', () => {
    const red = solid(2, 2, [255, 0, 0]);
    const blue = solid(2, 2, [0, 0, 255]);
    const green = solid(2, 2, [0, 255, 0]);
    const g = makeGrid([red, blue, green], 2, 1); // 2 columns, 2 rows, pad 1
    expect([g.width, g.height, g.channels]).toEqual([2 * 2 + 3 * 1, 2 * 2 + 3 * 1, 3]);
    expect(pixel(g, 0, 0)).toEqual([255, 255, 255]); // border
    expect(pixel(g, 1, 1)).toEqual([255, 0, 0]);
    expect(pixel(g, 3, 1)).toEqual([255, 255, 255]); // gap
    expect(pixel(g, 4, 2)).toEqual([0, 0, 255]);
    expect(pixel(g, 2, 5)).toEqual([0, 255, 0]);
    expect(pixel(g, 5, 5)).toEqual([255, 255, 255]); // empty last cell
  });

  test('centres smaller tiles, expands grey, rounds float, honours background', () => {
    const big = solid(4, 4, [10, 20, 30]);
    const grey = { data: Float32Array.from([99.6]), width: 1, height: 1, channels: 1 };
    const g = makeGrid([big, grey], 2, { pad: 0, background: [1, 2, 3] });
    expect([g.width, g.height]).toEqual([8, 4]);
    // 1x1 tile in a 4x4 cell starting at x = 4: offset (4 - 1) >> 1 = 1.
    expect(pixel(g, 5, 1)).toEqual([100, 100, 100]);
    expect(pixel(g, 4, 0)).toEqual([1, 2, 3]);
  });
});

describe('bitmap font', () => {
  test('"-" at scale 1 inks exactly the middle row of a 5x7 cell', () => {
    const img = solid(5, 7, [255, 255, 255]);
    drawText(img, '-', 0, 0, { color: [0, 0, 0] });
    for (let y = 0; y < 7; y++) for (let x = 0; x < 5; x++) expect(pixel(img, x, y)[0]).toBe(y === 3 ? 0 : 255);
  });

  test('measureText and clipping', () => {
    expect(measureText('ab', 2)).toEqual({ width: (2 * 6 - 1) * 2, height: 14 });
    expect(measureText('')).toEqual({ width: 0, height: 7 });
    const img = solid(3, 3, [255, 255, 255]);
    expect(() => drawText(img, 'X4 PSNR 28.42', -4, -2, { scale: 3 })).not.toThrow();
  });

  test('lower case draws like upper case, unknown characters like "?"', () => {
    const a = solid(12, 7, [0, 0, 0]);
    const b = solid(12, 7, [0, 0, 0]);
    drawText(a, 'x~', 0, 0, { color: [255, 255, 255] });
    drawText(b, 'X?', 0, 0, { color: [255, 255, 255] });
    expect(a.data).toEqual(b.data);
  });
});

describe('sideBySide', () => {
  test('one row, top-aligned, no label band without labels', () => {
    const s = sideBySide([solid(3, 2, [9, 9, 9]), solid(4, 5, [7, 7, 7])], { pad: 1 });
    expect([s.width, s.height]).toEqual([3 + 4 + 3, 5 + 2]);
    expect(pixel(s, 1, 1)).toEqual([9, 9, 9]);
    expect(pixel(s, 1, 4)).toEqual([255, 255, 255]); // below the shorter panel
    expect(pixel(s, 5, 5)).toEqual([7, 7, 7]);
  });

  test('labels go into a band above the panels and leave the pixels alone', () => {
    const hr = solid(40, 20, [50, 60, 70]);
    const s = sideBySide([{ image: hr, label: 'HR' }, { image: hr }], { pad: 2, labelScale: 2 });
    const band = 7 * 2 + 2 * 2;
    expect(s.height).toBe(20 + band + 2 * 2);
    let ink = 0;
    for (let y = 2; y < 2 + band; y++) for (let x = 2; x < 42; x++) if (pixel(s, x, y)[0] === 0) ink++;
    expect(ink).toBeGreaterThan(20);
    for (let y = 2 + band; y < 2 + band + 20; y++) for (let x = 2; x < 42; x++) expect(pixel(s, x, y)).toEqual([50, 60, 70]);
  });
});
