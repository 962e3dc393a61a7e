import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { Rng } from '@diffgan/core-models';
import { detailRegionSize, mostDetailedRegions } from './detail';
import { main } from './cli';

/** w x h RGB: flat grey with a high-contrast checkerboard patch at (px, py), side `side`. */
function picture(w: number, h: number, px: number, py: number, side: number): Uint8Array {
  const rgb = new Uint8Array(w * h * 3).fill(128);
  for (let y = py; y < py + side; y++)
    for (let x = px; x < px + side; x++) rgb.fill(((x >> 1) + (y >> 1)) % 2 ? 230 : 20, (y * w + x) * 3, (y * w + x) * 3 + 3);
  return rgb;
}
const rgba = (rgb: Uint8Array): Uint8ClampedArray =>
  Uint8ClampedArray.from({ length: (rgb.length / 3) * 4 }, (_, i) => (i % 4 === 3 ? 255 : rgb[(i >> 2) * 3 + (i % 4)]));

test('window size: a quarter of the shorter side, 4 to 32 px', () => {
  expect(detailRegionSize(640, 480)).toBe(32);
  expect(detailRegionSize(100, 60)).toBe(15);
  expect(detailRegionSize(12, 400)).toBe(4);
});

test('picks the textured patch; the next region does not overlap it', () => {
  const [w, h] = [120, 80]; // size 20, stride 2
  const rgb = picture(w, h, 60, 30, 20);
  const [first, second] = mostDetailedRegions({ width: w, height: h, data: rgb }, 2);
  expect(first).toEqual({ x: 60, y: 30, size: 20 });
  expect(Math.abs(second.x - first.x) >= 20 || Math.abs(second.y - first.y) >= 20).toBe(true);
});

test('agrees with a brute-force sum of squared luma gradients over the scan grid (random image)', () => {
  const [w, h] = [57, 43],
    rng = new Rng(5);
  const grey = Float32Array.from({ length: w * h }, () => rng.uniform() * 255);
  const size = detailRegionSize(w, h),
    stride = Math.max(1, Math.floor(size / 8));
  const g = (x: number, y: number) => grey[y * w + x];
  let best = -1,
    at = { x: 0, y: 0 };
  for (let y = 0; y + size <= h; y += stride)
    for (let x = 0; x + size <= w; x += stride) {
      let e = 0;
      for (let yy = y; yy < y + size; yy++)
        for (let xx = x; xx < x + size; xx++) {
          const dx = xx + 1 < w ? g(xx + 1, yy) - g(xx, yy) : 0,
            dy = yy + 1 < h ? g(xx, yy + 1) - g(xx, yy) : 0;
          e += dx * dx + dy * dy;
        }
      if (e > best + 1e-6 * best) {
        best = e;
        at = { x, y };
      }
    }
  expect(mostDetailedRegions({ width: w, height: h, data: grey })).toEqual([{ ...at, size }]);
});

test('sr compare and the web page crop the same region of the same image', async () => {
  const [w, h] = [96, 64];
  const rgb = picture(w, h, 56, 8, 16);
  // the web page: mostDetailedRegions on the input's RGBA ImageData, three crops, the first is the best
  const web = mostDetailedRegions({ width: w, height: h, data: rgba(rgb) }, 3)[0];
  // sr compare: reads the PNG, prints where it cropped (output pixels at x2)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-detail-'));
  const input = path.join(dir, 'in.png');
  await sharp(Buffer.from(rgb), { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(input);
  let printed = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s) => {
    printed += String(s);
    return true;
  });
  try {
    expect(await main(['compare', input, '--scale', '2', '--refine', '0', '-o', path.join(dir, 'cmp.png')])).toBe(0);
  } finally {
    spy.mockRestore();
  }
  const m = /crop (\d+)px at (\d+),(\d+)/.exec(printed);
  expect(m).not.toBeNull();
  expect({ x: Number(m![2]) / 2, y: Number(m![3]) / 2, size: Number(m![1]) / 2 }).toEqual(web);
  expect(web).toEqual({ x: 56, y: 8, size: 16 });
});
