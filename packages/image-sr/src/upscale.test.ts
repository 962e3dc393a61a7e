import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Rng } from '@diffgan/core-models';
import { imresize } from '@diffgan/eval';
import { upscale, upscaleFloat, disposeRunners, Refiner, getGenerator } from './upscale';
import { readImageChecked, writePngAtomic } from './io';
import { measureExample, readFloors } from './regression';
import { REFINER_T } from './refine-sampler';

afterAll(() => disposeRunners());

function randomImage(w: number, h: number, c: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const d = new Uint8Array(w * h * c);
  // smooth-ish content plus noise, so the net sees both edges and texture
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) {
    d[(y * w + x) * c + k] = Math.max(0, Math.min(255, Math.round(128 + 90 * Math.sin(x / 5 + k) * Math.cos(y / 7) + 40 * (rng.uniform() - 0.5))));
  }
  return d;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };

describe('tiling', () => {
  const W = 83, H = 71; // not multiples of anything the tiler uses; 64 px tiles give 4 x 3 tiles
  const rgb = Float32Array.from(randomImage(W, H, 3, 1), (v) => v / 255);
  const img = { data: rgb, width: W, height: H, channels: 3 };

  test('tiled (64 px tiles, 4x3 tiles) equals untiled within 1e-3 at x4', async () => {
    const untiled = await upscaleFloat(img, { scale: 4, tile: 1024 });
    let tiles = 0;
    const tiled = await upscaleFloat(img, { scale: 4, tile: 64, onProgress: (_d, t) => { tiles = t; } });
    expect(tiles).toBe(4 * 3);
    expect(untiled.width).toBe(W * 4);
    expect(untiled.height).toBe(H * 4);
    expect(maxAbsDiff(tiled.data, untiled.data)).toBeLessThan(1e-3);
    // and it is not trivially equal because the net does nothing: it differs from nearest upsampling
    expect(maxAbsDiff(untiled.data, Float32Array.from({ length: untiled.data.length }, (_, i) => { const p = (i / 3) | 0, X = p % (W * 4), Y = (p / (W * 4)) | 0; return rgb[((Y >> 2) * W + (X >> 2)) * 3 + (i % 3)]; }))).toBeGreaterThan(0.02);
  });

  test('tiled equals untiled at x2 as well', async () => {
    const untiled = await upscaleFloat(img, { scale: 2, tile: 1024 });
    const tiled = await upscaleFloat(img, { scale: 2, tile: 64 });
    expect(maxAbsDiff(tiled.data, untiled.data)).toBeLessThan(1e-3);
  });

  test('refiner is called per tile with HR/LR tiles and its output is blended seamlessly', async () => {
    const calls: { sr: number[]; lr: number[] }[] = [];
    const plusTenth: Refiner = (sr, lr, steps, rng) => {
      expect(steps).toBe(3);
      expect(rng).toBeInstanceOf(Rng);
      calls.push({ sr: sr.shape, lr: lr.shape });
      return sr.data.map((v) => v + 0.1);
    };
    const base = await upscaleFloat(img, { scale: 4, tile: 1024 });
    const refined = await upscaleFloat(img, { scale: 4, tile: 64, refine: 3, refiner: plusTenth });
    expect(calls.length).toBe(12);
    for (const c of calls) { expect(c.sr[1]).toBe(c.lr[1] * 4); expect(c.sr[2]).toBe(c.lr[2] * 4); }
    // blend weights sum to 1 everywhere, so a constant shift survives exactly
    expect(maxAbsDiff(refined.data, base.data.map((v) => v + 0.1))).toBeLessThan(1e-3);
  });

  test('refinement without weights is a clear error', async () => {
    // a weights folder with the generator only (the shipped one may gain a refiner)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-norefine-'));
    try {
      for (const f of ['sr_generator_x4.dgw', 'sr_generator_x4.manifest.json']) fs.copyFileSync(path.join(__dirname, '..', 'weights', f), path.join(dir, f));
      await expect(upscaleFloat(img, { scale: 4, refine: 2, weightsDir: dir })).rejects.toThrow('refinement weights for x4 are not available yet');
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  test('more refine steps than the shipped refiner has are refused (its schedule and manifests: T = 4)', async () => {
    for (const S of [2, 4]) expect(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'weights', `sr_refiner_x${S}.manifest.json`), 'utf8')).config.T).toBe(REFINER_T);
    expect(REFINER_T).toBe(4);
    for (const refine of [5, 20, 99]) await expect(upscaleFloat(img, { scale: 4, refine })).rejects.toThrow(`invalid refine steps ${refine}: the refiner has 4 diffusion steps, use 0 (off) or 1-4`);
  });

  test('abort signal stops between tiles', async () => {
    const ac = new AbortController();
    let seen = 0;
    await expect(upscaleFloat(img, { scale: 4, tile: 64, signal: ac.signal, onProgress: (d) => { seen = d; if (d === 2) ac.abort(); } })).rejects.toThrow();
    expect(seen).toBe(2);
  });
});

describe('channels', () => {
  const W = 37, H = 29;
  test('grey in, grey out: equals the mean of the R=G=B run', async () => {
    const g = randomImage(W, H, 1, 2);
    const out = await upscale({ data: g, width: W, height: H, channels: 1 }, { scale: 4 });
    expect([out.width, out.height, out.channels]).toEqual([W * 4, H * 4, 1]);
    const rgb = await upscaleFloat({ data: Float32Array.from({ length: W * H * 3 }, (_, i) => g[(i / 3) | 0] / 255), width: W, height: H, channels: 3 }, { scale: 4 });
    const expected = Uint8Array.from({ length: out.data.length }, (_, p) => Math.max(0, Math.min(255, Math.floor(((rgb.data[p * 3] + rgb.data[p * 3 + 1] + rgb.data[p * 3 + 2]) / 3) * 255 + 0.5))));
    expect(maxAbsDiff(out.data, expected)).toBeLessThanOrEqual(1);
  });

  test('RGBA: colour as for RGB, alpha = MATLAB-bicubic-resized alpha', async () => {
    const rgba = randomImage(W, H, 4, 3);
    const out = await upscale({ data: rgba, width: W, height: H, channels: 4 }, { scale: 2 });
    expect([out.width, out.height, out.channels]).toEqual([W * 2, H * 2, 4]);
    const rgb = Uint8Array.from({ length: W * H * 3 }, (_, i) => rgba[((i / 3) | 0) * 4 + (i % 3)]);
    const outRgb = await upscale({ data: rgb, width: W, height: H, channels: 3 }, { scale: 2 });
    const alpha = imresize({ data: Uint8Array.from({ length: W * H }, (_, p) => rgba[p * 4 + 3]), width: W, height: H, channels: 1 }, { scale: 2, output: 'uint8' });
    for (let p = 0; p < W * H * 4; p++) {
      expect(out.data[p * 4 + 3]).toBe(alpha.data[p]);
      for (let c = 0; c < 3; c++) expect(out.data[p * 4 + c]).toBe(outRgb.data[p * 3 + c]);
    }
  });

  test('grey + alpha PNG round trip through files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-ga-'));
    try {
      const ga = randomImage(W, H, 2, 4);
      await writePngAtomic(path.join(dir, 'in.png'), { data: ga, width: W, height: H, channels: 2 });
      const back = await readImageChecked(path.join(dir, 'in.png'));
      expect(back.channels).toBe(2);
      expect(Buffer.from(back.data).equals(Buffer.from(ga))).toBe(true);
      const out = await upscale(path.join(dir, 'in.png'), { scale: 4, output: path.join(dir, 'out.png') });
      const written = await readImageChecked(path.join(dir, 'out.png'));
      expect([written.width, written.height, written.channels]).toEqual([W * 4, H * 4, 2]);
      expect(Buffer.from(written.data).equals(Buffer.from(out.data))).toBe(true);
      const alpha = imresize({ data: Uint8Array.from({ length: W * H }, (_, p) => ga[p * 2 + 1]), width: W, height: H, channels: 1 }, { scale: 4, output: 'uint8' });
      for (let p = 0; p < alpha.data.length; p++) expect(written.data[p * 2 + 1]).toBe(alpha.data[p]);
      expect(fs.readdirSync(dir).sort()).toEqual(['in.png', 'out.png']); // no temp files left
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  test('Float32 input is on the 0..255 scale like Uint8', async () => {
    const u8 = randomImage(W, H, 3, 5);
    const a = await upscale({ data: u8, width: W, height: H, channels: 3 }, { scale: 2 });
    const b = await upscale({ data: Float32Array.from(u8), width: W, height: H, channels: 3 }, { scale: 2 });
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });

  test('bad raw input and pixel limit are DiffganErrors', async () => {
    await expect(upscale({ data: new Uint8Array(10), width: 2, height: 2, channels: 3 }, { scale: 4 })).rejects.toThrow(/needs 12/);
    await expect(upscale({ data: new Uint8Array(0), width: 0, height: 5, channels: 3 }, { scale: 4 })).rejects.toThrow(/no pixels/);
    await expect(upscale({ data: new Uint8Array(300), width: 10, height: 10, channels: 3 }, { scale: 4, maxPixels: 99 })).rejects.toThrow(/over the limit/);
    await expect(upscale({ data: new Uint8Array(300), width: 10, height: 10, channels: 3 }, { scale: 3 as 4 })).rejects.toThrow(/invalid scale/);
  });
});

describe('shipped weights', () => {
  const floors = readFloors();
  test.each([4, 2] as const)('x%i: PSNR-Y on the bundled example is at least the stored floor', async (scale) => {
    const entry = floors[`x${scale}`];
    expect(entry).toBeDefined();
    const g = await getGenerator(scale);
    const manifest = JSON.parse(fs.readFileSync(g.manifestPath, 'utf8'));
    // the floor was measured on these exact weights (export.ts rewrites it on every export)
    expect(manifest.weights.sha256).toBe(entry!.sha256);
    const r = await measureExample(scale);
    expect(r.bicubic).toBeCloseTo(entry!.bicubic, 2);
    expect(r.psnr).toBeGreaterThanOrEqual(entry!.floor);
    expect(r.psnr).toBeLessThan(entry!.measured + 0.05); // a big jump means the floor is stale
  });
});
