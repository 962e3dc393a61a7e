import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Rng } from '@diffgan/core-models';
import { imresize } from '@diffgan/image';
import { upscale, createUpscaler, Refiner, Upscaler } from './upscale';
import { readImageChecked, writePngAtomic } from './io';
import { measureExample, measureRefinerExample, readFloors, floorKey, refinerFloorKey, EXAMPLE_IMAGE } from './regression';
import { DEFAULT_WEIGHTS_DIR, modelWeightsName, refinerName } from './names';
import { REFINER_T } from './refine-sampler';

// one upscaler per scale for the whole file (the free upscale() is tested against them below)
let sr2: Upscaler, sr4: Upscaler;
beforeAll(async () => {
  sr2 = await createUpscaler({ scale: 2 });
  sr4 = await createUpscaler({ scale: 4 });
});
afterAll(async () => {
  await sr2?.dispose();
  await sr4?.dispose();
});

function randomImage(w: number, h: number, c: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const d = new Uint8Array(w * h * c);
  // smooth-ish content plus noise, so the net sees both edges and texture
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        d[(y * w + x) * c + k] = Math.max(0, Math.min(255, Math.round(128 + 90 * Math.sin(x / 5 + k) * Math.cos(y / 7) + 40 * (rng.uniform() - 0.5))));
      }
  return d;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('tiling', () => {
  const W = 83,
    H = 71; // not multiples of anything the tiler uses; 64 px tiles give 4 x 3 tiles
  const rgb = Float32Array.from(randomImage(W, H, 3, 1), (v) => v / 255);
  const img = { data: rgb, width: W, height: H, channels: 3 };

  test('tiled (64 px tiles, 4x3 tiles) equals untiled within 1e-3 at x4', async () => {
    const untiled = await sr4.upscaleFloat(img, { tile: 1024 });
    let tiles = 0;
    const tiled = await sr4.upscaleFloat(img, {
      tile: 64,
      onProgress: (_d, t) => {
        tiles = t;
      },
    });
    expect(tiles).toBe(4 * 3);
    expect(untiled.width).toBe(W * 4);
    expect(untiled.height).toBe(H * 4);
    expect(maxAbsDiff(tiled.data, untiled.data)).toBeLessThan(1e-3);
    // and it is not trivially equal because the net does nothing: it differs from nearest upsampling
    expect(
      maxAbsDiff(
        untiled.data,
        Float32Array.from({ length: untiled.data.length }, (_, i) => {
          const p = (i / 3) | 0,
            X = p % (W * 4),
            Y = (p / (W * 4)) | 0;
          return rgb[((Y >> 2) * W + (X >> 2)) * 3 + (i % 3)];
        }),
      ),
    ).toBeGreaterThan(0.02);
  });

  test('tiled equals untiled at x2 as well', async () => {
    const untiled = await sr2.upscaleFloat(img, { tile: 1024 });
    const tiled = await sr2.upscaleFloat(img, { tile: 64 });
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
    const base = await sr4.upscaleFloat(img, { tile: 1024 });
    const withRefiner = await createUpscaler({ scale: 4, refiner: plusTenth });
    const refined = await withRefiner.upscaleFloat(img, { tile: 64, refine: 3 });
    await withRefiner.dispose();
    expect(calls.length).toBe(12);
    for (const c of calls) {
      expect(c.sr[1]).toBe(c.lr[1] * 4);
      expect(c.sr[2]).toBe(c.lr[2] * 4);
    }
    // blend weights sum to 1 everywhere, so a constant shift survives exactly
    expect(
      maxAbsDiff(
        refined.data,
        base.data.map((v) => v + 0.1),
      ),
    ).toBeLessThan(1e-3);
  });

  test('refinement without weights is a clear error', async () => {
    // a weights folder with the generator only (the shipped one may gain a refiner)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-norefine-'));
    try {
      for (const f of ['sr_generator_x4.dgw', 'sr_generator_x4.manifest.json']) fs.copyFileSync(path.join(__dirname, '..', 'weights', f), path.join(dir, f));
      const message = 'refinement weights for x4 are not available yet';
      await expect(createUpscaler({ scale: 4, refine: 2, weightsDir: dir })).rejects.toThrow(message);
      // an upscaler made without refinement loads the refiner on the first call that asks for it
      const sr = await createUpscaler({ scale: 4, weightsDir: dir });
      await expect(sr.upscaleFloat(img, { refine: 2 })).rejects.toThrow(message);
      await sr.dispose();
      // each model has its own refiner: the fidelity one is not used for the real generator
      for (const f of ['sr_refiner_x4.dgw', 'sr_refiner_x4.manifest.json', 'sr_real_x4.dgw', 'sr_real_x4.manifest.json'])
        fs.copyFileSync(path.join(__dirname, '..', 'weights', f), path.join(dir, f));
      await expect(createUpscaler({ scale: 4, model: 'real', refine: 2, weightsDir: dir })).rejects.toThrow(
        /^refinement weights for the real model at x4 are not available yet \(.*sr_real_refiner_x4\.manifest\.json missing\)/,
      );
      const fidelity = await createUpscaler({ scale: 4, refine: 2, weightsDir: dir });
      await fidelity.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('more refine steps than the shipped refiner has are refused (its schedule and manifests: T = 4)', async () => {
    for (const S of [2, 4])
      expect(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'weights', `sr_refiner_x${S}.manifest.json`), 'utf8')).config.T).toBe(REFINER_T);
    expect(REFINER_T).toBe(4);
    for (const refine of [5, 20, 99]) {
      const message = `invalid refine steps ${refine}: the refiner has 4 diffusion steps, use 0 (off) or 1-4`;
      await expect(sr4.upscaleFloat(img, { refine })).rejects.toThrow(message);
      await expect(createUpscaler({ scale: 4, refine })).rejects.toThrow(message);
    }
  });

  test('abort signal stops between tiles', async () => {
    const ac = new AbortController();
    let seen = 0;
    await expect(
      sr4.upscaleFloat(img, {
        tile: 64,
        signal: ac.signal,
        onProgress: (d) => {
          seen = d;
          if (d === 2) ac.abort();
        },
      }),
    ).rejects.toThrow();
    expect(seen).toBe(2);
  });
});

describe('channels', () => {
  const W = 37,
    H = 29;
  test('grey in, grey out: equals the mean of the R=G=B run', async () => {
    const g = randomImage(W, H, 1, 2);
    const out = await upscale({ data: g, width: W, height: H, channels: 1 }, { scale: 4 });
    expect([out.width, out.height, out.channels]).toEqual([W * 4, H * 4, 1]);
    const rgb = await sr4.upscaleFloat({ data: Float32Array.from({ length: W * H * 3 }, (_, i) => g[(i / 3) | 0] / 255), width: W, height: H, channels: 3 });
    const expected = Uint8Array.from({ length: out.data.length }, (_, p) =>
      Math.max(0, Math.min(255, Math.floor(((rgb.data[p * 3] + rgb.data[p * 3 + 1] + rgb.data[p * 3 + 2]) / 3) * 255 + 0.5))),
    );
    expect(maxAbsDiff(out.data, expected)).toBeLessThanOrEqual(1);
  });

  test('RGBA: colour as for RGB, alpha = MATLAB-bicubic-resized alpha', async () => {
    const rgba = randomImage(W, H, 4, 3);
    const out = await upscale({ data: rgba, width: W, height: H, channels: 4 }, { scale: 2 });
    expect([out.width, out.height, out.channels]).toEqual([W * 2, H * 2, 4]);
    const rgb = Uint8Array.from({ length: W * H * 3 }, (_, i) => rgba[((i / 3) | 0) * 4 + (i % 3)]);
    const outRgb = await upscale({ data: rgb, width: W, height: H, channels: 3 }, { scale: 2 });
    const alpha = imresize(
      { data: Uint8Array.from({ length: W * H }, (_, p) => rgba[p * 4 + 3]), width: W, height: H, channels: 1 },
      { scale: 2, output: 'uint8' },
    );
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
      const alpha = imresize(
        { data: Uint8Array.from({ length: W * H }, (_, p) => ga[p * 2 + 1]), width: W, height: H, channels: 1 },
        { scale: 4, output: 'uint8' },
      );
      for (let p = 0; p < alpha.data.length; p++) expect(written.data[p * 2 + 1]).toBe(alpha.data[p]);
      expect(fs.readdirSync(dir).sort()).toEqual(['in.png', 'out.png']); // no temp files left
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
  // every generator that ships (fidelity and, once trained, real; x4 and x2) has a floor
  const shipped = (['fidelity', 'real'] as const).flatMap((model) =>
    ([4, 2] as const)
      .filter((scale) => fs.existsSync(path.join(DEFAULT_WEIGHTS_DIR, `${modelWeightsName(model, scale)}.manifest.json`)))
      .map((scale) => [model, scale] as const),
  );
  const refiners = (['fidelity', 'real'] as const).flatMap((model) =>
    ([4, 2] as const)
      .filter((scale) => fs.existsSync(path.join(DEFAULT_WEIGHTS_DIR, `${refinerName(scale, model)}.manifest.json`)))
      .map((scale) => [model, scale] as const),
  );
  test('the fidelity generators ship (x4, x2), and no floor is left for weights that do not', () => {
    expect(shipped).toEqual(
      expect.arrayContaining([
        ['fidelity', 4],
        ['fidelity', 2],
      ]),
    );
    expect(Object.keys(floors).sort()).toEqual([...shipped.map(([m, s]) => floorKey(s, m)), ...refiners.map(([m, s]) => refinerFloorKey(s, m))].sort());
  });
  test.each(refiners)(
    '%s refiner x%i: refine 2 on the bundled example is at its floor, adds detail, and was measured with the shipped generator',
    async (model, scale) => {
      const entry = floors[refinerFloorKey(scale, model)];
      expect(entry).toBeDefined();
      const read = (name: string) => JSON.parse(fs.readFileSync(path.join(DEFAULT_WEIGHTS_DIR, `${name}.manifest.json`), 'utf8'));
      expect(read(refinerName(scale, model)).weights.sha256).toBe(entry!.sha256);
      // a new generator changes what the refiner refines: export the refiner again (it re-measures)
      expect(read(modelWeightsName(model, scale)).weights.sha256).toBe(entry!.generatorSha256);
      const r = await measureRefinerExample(scale, { model });
      expect(r.refine0).toBeCloseTo(entry!.refine0, 2);
      expect(r.psnr).toBeGreaterThanOrEqual(entry!.floor);
      expect(r.psnr).toBeLessThan(entry!.measured + 0.05);
      expect(r.detail).toBeCloseTo(entry!.detail, 2);
      expect(r.detail).toBeGreaterThan(r.detailRefine0); // it adds texture to the generator's output
    },
  );
  test.each(shipped)('%s x%i: PSNR-Y on the bundled example is at least the stored floor', async (model, scale) => {
    const entry = floors[floorKey(scale, model)];
    expect(entry).toBeDefined();
    const manifest = JSON.parse(fs.readFileSync(path.join(DEFAULT_WEIGHTS_DIR, `${modelWeightsName(model, scale)}.manifest.json`), 'utf8'));
    // the floor was measured on these exact weights (export.ts rewrites it on every export)
    expect(manifest.weights.sha256).toBe(entry!.sha256);
    const r = await measureExample(scale, { model });
    expect(r.bicubic).toBeCloseTo(entry!.bicubic, 2);
    expect(r.psnr).toBeGreaterThanOrEqual(entry!.floor);
    expect(r.psnr).toBeLessThan(entry!.measured + 0.05); // a big jump means the floor is stale
  });
});

describe('instance API (createUpscaler) and the free upscale()', () => {
  const W = 45,
    H = 38;
  const rgb = { data: randomImage(W, H, 3, 6), width: W, height: H, channels: 3 };
  const same = (a: { data: Uint8Array }, b: { data: Uint8Array }) => Buffer.from(a.data).equals(Buffer.from(b.data));

  test.each([
    [2, 0],
    [2, 1],
    [4, 0],
    [4, 1],
  ] as const)('x%i refine %i: createUpscaler + upscale gives the bytes of the free function', async (scale, refine) => {
    const call = { tile: 32, overlap: 12, seed: 3 }; // 2 x 2 tiles, so the per-tile noise streams matter
    const free = await upscale(rgb, { scale, refine, ...call });
    const sr = await createUpscaler({ scale, refine });
    try {
      const viaDefault = await sr.upscale(rgb, call);
      expect([viaDefault.width, viaDefault.height, viaDefault.channels]).toEqual([W * scale, H * scale, 3]);
      expect(same(viaDefault, free)).toBe(true);
      // a call's refine overrides the upscaler's, both ways, on the same instance
      const other = refine ? 0 : 1;
      const overridden = await sr.upscale(rgb, { ...call, refine: other });
      expect(same(overridden, await upscale(rgb, { scale, refine: other, ...call }))).toBe(true);
      expect(same(overridden, free)).toBe(false); // refinement changes the pixels: the equalities above are not vacuous
    } finally {
      await sr.dispose();
    }
  });

  test('upscale(file) with no options runs at the default scale 4 (no TypeError); createUpscaler() too', async () => {
    const ex = await readImageChecked(EXAMPLE_IMAGE);
    const out = await upscale(EXAMPLE_IMAGE);
    expect([out.width, out.height, out.channels]).toEqual([ex.width * 4, ex.height * 4, ex.channels]);
    const sr = await createUpscaler();
    try {
      expect(sr.scale).toBe(4);
      expect(same(await sr.upscale(EXAMPLE_IMAGE), out)).toBe(true);
    } finally {
      await sr.dispose();
    }
  });

  test('an upscaler reports its model, and rejects calls after dispose (dispose is idempotent)', async () => {
    const sr = await createUpscaler({ scale: 2, threads: 1 });
    expect(sr.scale).toBe(2);
    expect(sr.radius).toBe(sr2.radius);
    expect(sr.radius).toBeGreaterThan(0);
    expect(path.basename(sr.manifestPath)).toBe('sr_generator_x2.manifest.json');
    expect(['onnxruntime-node', 'tfjs']).toContain(sr.runtime);
    await sr.dispose();
    await sr.dispose();
    await expect(sr.upscale(rgb)).rejects.toThrow('this upscaler has been disposed');
  });
});

describe('--model real', () => {
  test('before its weights ship: generatorAvailable says so and creating it is a one-line error', async () => {
    const { generatorAvailable } = await import('./upscale');
    expect(generatorAvailable('fidelity', 4)).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-real-'));
    try {
      expect(generatorAvailable('real', 2, dir)).toBe(false);
      await expect(createUpscaler({ scale: 2, model: 'real', weightsDir: dir })).rejects.toThrow(
        `the real model for x2 is not trained yet (${path.join(dir, 'sr_real_x2.manifest.json')} is missing); use --model fidelity`,
      );
      // with weights under its name it loads and runs like the fidelity generator (here: the fidelity weights renamed)
      for (const ext of ['dgw', 'manifest.json'])
        fs.copyFileSync(path.join(__dirname, '..', 'weights', `sr_generator_x2.${ext}`), path.join(dir, `sr_real_x2.${ext}`));
      const m = JSON.parse(fs.readFileSync(path.join(dir, 'sr_real_x2.manifest.json'), 'utf8'));
      m.weights.file = 'sr_real_x2.dgw';
      fs.writeFileSync(path.join(dir, 'sr_real_x2.manifest.json'), JSON.stringify(m));
      const real = await createUpscaler({ scale: 2, model: 'real', weightsDir: dir });
      try {
        expect(real.model).toBe('real');
        expect(sr2.model).toBe('fidelity');
        const img = { data: randomImage(20, 12, 3, 9), width: 20, height: 12, channels: 3 };
        expect(Buffer.from((await real.upscale(img)).data)).toEqual(Buffer.from((await sr2.upscale(img)).data));
      } finally {
        await real.dispose();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
