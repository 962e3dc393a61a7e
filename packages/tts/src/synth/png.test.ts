import { readImage } from '@diffgan/image';
import { spectrogramPng } from './png';

describe('spectrogramPng', () => {
  it('stacks panels low bands at the bottom, 2 px per band, 4 white rows between, in the colour map', async () => {
    const lo = -11.5,
      hi = 2,
      mid = (lo + hi) / 2;
    // panel A: 2 frames x 2 bands, mel[t * bands + b]; panel B: 1 frame x 1 band (narrower: the rest is white)
    const a = { mel: Float32Array.from([lo, hi, mid, lo - 5]), frames: 2, bands: 2 };
    const b = { mel: Float32Array.from([hi]), frames: 1, bands: 1 };
    const img = await readImage(await spectrogramPng([a, b], lo, hi));
    expect([img.width, img.height, img.channels]).toEqual([2, 10, 3]);
    const LO = [0, 0, 4],
      HI = [252, 253, 191],
      MID = [182, 54, 121],
      WHITE = [255, 255, 255];
    const expected = [
      [HI, LO],
      [HI, LO], // band 1 of A (the top), the second frame clamped below lo
      [LO, MID],
      [LO, MID], // band 0 of A
      [WHITE, WHITE],
      [WHITE, WHITE],
      [WHITE, WHITE],
      [WHITE, WHITE], // gap
      [HI, WHITE],
      [HI, WHITE], // B
    ];
    const rows = Array.from({ length: 10 }, (_, y) => [0, 1].map((x) => Array.from(img.data.subarray((y * 2 + x) * 3, (y * 2 + x) * 3 + 3))));
    expect(rows).toEqual(expected);
  });
});
