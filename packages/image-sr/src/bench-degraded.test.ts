import { Rng, renderBenchReport } from '@diffgan/core-models';
import { readImage } from '@diffgan/image';
import { DEGRADATIONS, gaussianBlurU8, gaussianNoiseU8, sharpJpeg, degradedReport } from './bench-degraded';
import { benchCommand } from './bench';
import { jpegRoundTrip } from './jpeg-sim';
import { EXAMPLE_IMAGE } from './regression';

const flat = (v: number, w = 24, h = 16) => ({ data: new Uint8Array(w * h * 3).fill(v), width: w, height: h, channels: 3 });

test('the fixed degradations: the same input and seed give the same LR; each does what its label says', async () => {
  const lr = await readImage(EXAMPLE_IMAGE);
  for (const d of DEGRADATIONS) {
    const a = await d.apply(lr, 'Set5/x.png/x4');
    expect(Buffer.from((await d.apply(lr, 'Set5/x.png/x4')).data)).toEqual(Buffer.from(a.data));
    expect([a.width, a.height, a.channels]).toEqual([lr.width, lr.height, 3]);
  }
  // JPEG 40 is a real libjpeg round trip: within ~50 dB of the simulator at the same quality
  const j = await sharpJpeg(lr, 40);
  const sim = jpegRoundTrip(lr.data, lr.width, lr.height, 40);
  let se = 0;
  for (let i = 0; i < sim.length; i++) se += (sim[i] - j.data[i]) ** 2;
  expect(10 * Math.log10((255 * 255 * sim.length) / se)).toBeGreaterThan(45);
  // noise: σ 5 on the 0-255 scale (mid-grey, no clipping), seeded by the image
  const n = gaussianNoiseU8(flat(128, 64, 64), 5, new Rng(1)).data;
  const m = n.reduce((s, v) => s + v, 0) / n.length;
  const sd = Math.sqrt(n.reduce((s, v) => s + (v - m) ** 2, 0) / n.length);
  expect(Math.abs(m - 128)).toBeLessThan(0.1);
  expect(sd).toBeCloseTo(Math.sqrt(25 + 1 / 12), 1); // plus rounding's 1/12
  const noisy = await DEGRADATIONS[1].apply(lr, 'a');
  expect(Buffer.from(noisy.data)).not.toEqual(Buffer.from((await DEGRADATIONS[1].apply(lr, 'b')).data));
  // blur keeps a flat image and spreads an edge over ±3σ
  expect(gaussianBlurU8(flat(77), 1.2).data.every((v) => v === 77)).toBe(true);
  const edge = { ...flat(0, 20, 4), data: Uint8Array.from({ length: 20 * 4 * 3 }, (_, i) => (Math.floor(i / 3) % 20 >= 10 ? 255 : 0)) };
  const row = Array.from(
    gaussianBlurU8(edge, 1.2)
      .data.filter((_, i) => i % 3 === 0)
      .slice(0, 20),
  );
  expect(row[9] + row[10]).toBe(255); // symmetric about the edge
  // left of the edge: the kernel's weight at offsets 1..4 of exp(−k²/2σ²), k = −4..4, normalised (= 0.3338)
  const w = [0, 1, 2, 3, 4].map((k) => Math.exp(-(k * k) / (2 * 1.44)));
  expect(row[9]).toBe(Math.round((255 * (w[1] + w[2] + w[3] + w[4])) / (w[0] + 2 * (w[1] + w[2] + w[3] + w[4]))));
  expect(row[5]).toBe(0);
});

test('the report: one row per (scale, degradation, method), Set14 columns only when run', () => {
  const md = renderBenchReport(
    degradedReport(
      {
        date: 'D',
        quick: true,
        complete: true,
        done: ['x4 Set5'],
        sets: ['Set5'],
        generators: { 'fidelity x4': { version: 'v', steps: 1, sha256: 'abcdef0123456789' } },
        rows: [{ scale: 'x4', degradation: 'JPEG 40', method: 'bicubic', runtime: 'js', set5Psnr: 26.333, set5Ssim: 0.71234, detail: 0.5 }],
        notes: [],
      },
      ['x4 Set5'],
    ),
  );
  expect(md).toContain('| x4    | JPEG 40        | bicubic | js      |       26.33 |      0.7123 |         0.50 |      |');
  expect(md).not.toContain('Set14');
  expect(md).toContain('fidelity x4 v (step 1, sha256 abcdef012345)');
});

test('--degraded is a declared bench option, off by default', () => {
  expect(benchCommand.parse([]).degraded).toBe(false);
  expect(benchCommand.parse(['--degraded', '--quick'])).toMatchObject({ degraded: true, quick: true });
});
