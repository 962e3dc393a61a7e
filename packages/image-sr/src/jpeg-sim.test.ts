import sharp from 'sharp';
import { readImage, crop } from '@diffgan/image';
import { jpegRoundTrip, qualityScaling, quantTable } from './jpeg-sim';
import { EXAMPLE_IMAGE } from './regression';

/** A real encode + decode: sharp (libjpeg-turbo / mozjpeg with its libjpeg defaults), 4:2:0. */
async function sharpRoundTrip(rgb: Uint8Array, width: number, height: number, quality: number): Promise<Uint8Array> {
  const jpg = await sharp(Buffer.from(rgb), { raw: { width, height, channels: 3 } })
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
  const { data, info } = await sharp(jpg).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height, info.channels]).toEqual([width, height, 3]);
  return new Uint8Array(data);
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return 10 * Math.log10((255 * 255) / (se / a.length));
}

describe('jpeg simulator', () => {
  test('quality scaling and tables follow libjpeg (jpeg_quality_scaling, jpeg_add_quant_table)', () => {
    expect([1, 10, 40, 50, 75, 90, 100].map(qualityScaling)).toEqual([5000, 500, 125, 100, 50, 20, 0]);
    // q50 is Annex K itself; q90: (16*20+50)/100 = 3; q10 luma DC 16*500/100 = 80; baseline clamps at 255
    expect(quantTable(50, false)[0]).toBe(16);
    expect(quantTable(90, false)[0]).toBe(3);
    expect(quantTable(10, false)[0]).toBe(80);
    expect(quantTable(10, true)[63]).toBe(255);
    expect(quantTable(100, true)[63]).toBe(1);
  });

  test.each([40, 90])('matches a real encode/decode (sharp) at quality %i: PSNR >= 45 dB on a real image', async (q) => {
    const img = await readImage(EXAMPLE_IMAGE);
    // odd size: partial MCUs on the right and bottom edges too
    const c = crop(img, 0, 0, 123, 117);
    const ours = jpegRoundTrip(c.data, c.width, c.height, q);
    const real = await sharpRoundTrip(c.data, c.width, c.height, q);
    const p = psnr(ours, real);
    expect(p).toBeGreaterThanOrEqual(45); // measured 51.9 dB at q40, 49.9 at q90
    // and the simulator is a real degradation, not the identity
    expect(psnr(ours, c.data)).toBeLessThan(q === 40 ? 35 : 45);
  });

  test('equals the real codec exactly on flat 8x8-aligned blocks', async () => {
    // 32x32 made of flat 16x16 MCUs of different colours: only DC survives in every block
    const w = 32,
      h = 32,
      colours = [
        [200, 30, 60],
        [12, 140, 250],
        [128, 128, 128],
        [255, 255, 0],
      ];
    const rgb = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgb.set(colours[(y >> 4) * 2 + (x >> 4)], (y * w + x) * 3);
    for (const q of [30, 75, 95]) {
      const ours = jpegRoundTrip(rgb, w, h, q);
      const real = await sharpRoundTrip(rgb, w, h, q);
      // every pixel, MCU borders included (the chroma upsampling blends across them the same way)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const i = (y * w + x) * 3;
          expect([q, x, y, ...ours.subarray(i, i + 3)]).toEqual([q, x, y, ...real.subarray(i, i + 3)]);
        }
    }
  });

  test('is deterministic and keeps the size', () => {
    const rgb = Uint8Array.from({ length: 20 * 9 * 3 }, (_, i) => (i * 37) % 256);
    const a = jpegRoundTrip(rgb, 20, 9, 55);
    expect(a.length).toBe(rgb.length);
    expect(jpegRoundTrip(rgb, 20, 9, 55)).toEqual(a);
  });
});
