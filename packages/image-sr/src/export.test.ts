import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encodeTensors, loadWeights, Rng, TensorMap } from '@diffgan/core-models';
import { exportGenerator, exportRefiner } from './export';
import { refinerSpec, loadRefiner, refinerTemperature } from './refiner';
import { srGeneratorSpec, SR_CONFIGS } from './models';
import sharp from 'sharp';
import { makeSrPair, psnrY, bicubicUpscale } from '@diffgan/eval';
import { measureExample, EXAMPLE_IMAGE, REAL_EXAMPLE_JPEG } from './regression';
import { readImageChecked } from './io';
import { upscale } from './upscale';
import { DEFAULT_WEIGHTS_DIR } from './names';

/** A trainer-style checkpoint: g/params, g/ema (here: params + 1, so we can tell them apart), g/adam.m. */
function fakeCheckpoint(file: string, opts: { dropEma?: string; config?: unknown } = {}): TensorMap {
  const spec = srGeneratorSpec(2);
  const rng = new Rng(7);
  const t: TensorMap = new Map();
  const ema: TensorMap = new Map();
  for (const p of spec.params) {
    const k = p.name,
      n = p.shape.reduce((a, b) => a * b, 1);
    const data = rng.normalArray(n, 0.05);
    t.set(`g/params/${k}`, { shape: p.shape, data });
    t.set(`g/adam.m/${k}`, { shape: p.shape, data: new Float32Array(n) });
    const e = { shape: p.shape, data: data.map((x) => x + 1) };
    ema.set(k, e);
    if (k !== opts.dropEma) t.set(`g/ema/${k}`, e);
  }
  fs.writeFileSync(
    file,
    encodeTensors(t, {
      step: 1234,
      savedAt: '2026-01-01T00:00:00.000Z',
      meta: { config: opts.config ?? SR_CONFIGS[2], batch: 16, patch: 32, lr: 5e-4, data: ['sr/train/T91', 'sr/train/BSD200'], command: 'train --scale 2' },
    }),
  );
  return ema;
}

describe('export', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-export-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes the EMA weights with training info, and they load back', () => {
    const ema = fakeCheckpoint(path.join(dir, 'checkpoint.dgw'));
    const m = exportGenerator({ scale: 2, checkpoint: path.join(dir, 'checkpoint.dgw'), out: path.join(dir, 'w') });
    expect(m.name).toBe('sr_generator_x2');
    expect(m.training.steps).toBe(1234);
    expect(m.training.command).toBe('train --scale 2');
    expect(m.metrics).toEqual({});
    expect(fs.readdirSync(path.join(dir, 'w')).sort()).toEqual(['sr_generator_x2.dgw', 'sr_generator_x2.manifest.json']);
    const { weights } = loadWeights(path.join(dir, 'w', 'sr_generator_x2.manifest.json'));
    expect([...weights.keys()]).toEqual(srGeneratorSpec(2).params.map((p) => p.name));
    for (const [k, v] of weights) expect(Array.from(v.data)).toEqual(Array.from(ema.get(k)!.data));
  });

  test('a real generator: exported under sr_real_x{s} with its degradation named; its example is measured on the JPEG-40 LR', async () => {
    // the shipped x2 fidelity weights as the checkpoint's EMA: a working net under the real name
    const { weights } = loadWeights(path.join(DEFAULT_WEIGHTS_DIR, 'sr_generator_x2.manifest.json'));
    const t: TensorMap = new Map([...weights].map(([k, v]) => [`g/ema/${k}`, v]));
    const meta = { config: SR_CONFIGS[2], batch: 16, patch: 32, lr: 2e-4, data: ['sr/train/T91'], command: 'diffgan train sr-real-x2', degradation: 'levels' };
    fs.writeFileSync(path.join(dir, 'real.dgw'), encodeTensors(t, { step: 5, meta }));
    const m = exportGenerator({ scale: 2, model: 'real', checkpoint: path.join(dir, 'real.dgw'), out: dir });
    expect(m.name).toBe('sr_real_x2');
    expect(m.training.data).toMatch(/weak \/ standard first-order or Real-ESRGAN's second-order level/);
    const r = await measureExample(2, { model: 'real', weightsDir: dir });
    // by hand: the fidelity net on the example's MATLAB-bicubic LR after sharp's JPEG 40
    const { hr, lr } = makeSrPair(await readImageChecked(EXAMPLE_IMAGE), 2);
    const raw = { raw: { width: lr.width, height: lr.height, channels: 3 as const } };
    const jpeg = await sharp(await sharp(Buffer.from(lr.data), raw).jpeg({ quality: REAL_EXAMPLE_JPEG }).toBuffer())
      .raw()
      .toBuffer();
    const input = { ...lr, data: new Uint8Array(jpeg) };
    expect(r.psnr).toBeCloseTo(psnrY(await upscale(input, { scale: 2 }), hr, 2), 10);
    expect(r.bicubic).toBeCloseTo(psnrY(bicubicUpscale(input, 2), hr, 2), 10);
    expect(r.bicubic).toBeLessThan((await measureExample(2)).bicubic - 0.5); // the JPEG costs bicubic dB
  });

  test('missing EMA parameter, wrong scale and wrong config are one-line errors', () => {
    fakeCheckpoint(path.join(dir, 'a.dgw'), { dropEma: 'tail.w' });
    expect(() => exportGenerator({ scale: 2, checkpoint: path.join(dir, 'a.dgw'), out: dir })).toThrow(/'tail.w' missing/);
    fakeCheckpoint(path.join(dir, 'b.dgw'));
    expect(() => exportGenerator({ scale: 4, checkpoint: path.join(dir, 'b.dgw'), out: dir })).toThrow(/tail.w' has shape/);
    fakeCheckpoint(path.join(dir, 'c.dgw'), { config: { scale: 2, channels: 64, blocks: 6 } });
    expect(() => exportGenerator({ scale: 2, checkpoint: path.join(dir, 'c.dgw'), out: dir })).toThrow(/trained with config/);
    expect(() => exportGenerator({ scale: 2, checkpoint: path.join(dir, 'none.dgw'), out: dir })).toThrow(/checkpoint not found/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('sr_generator'))).toEqual([]);
  });

  test('refiner export: EMA parameters of a train-refiner checkpoint, loadable as a working Refiner', async () => {
    const spec = refinerSpec(2),
      rng = new Rng(3);
    const t: TensorMap = new Map();
    for (const p of spec.params) {
      const n = p.shape.reduce((a, b) => a * b, 1);
      t.set(`g/params/${p.name}`, { shape: p.shape, data: new Float32Array(n) });
      t.set(`g/ema/${p.name}`, { shape: p.shape, data: rng.normalArray(n, 0.05) });
      t.set(`d/params/${p.name}`, { shape: p.shape, data: new Float32Array(n) });
    }
    fs.writeFileSync(path.join(dir, 'r.dgw'), encodeTensors(t, { step: 77, meta: { batch: 8, patch: 24, lr: 2e-4, command: 'train-refiner --scale 2' } }));
    const m = exportRefiner({ scale: 2, checkpoint: path.join(dir, 'r.dgw'), out: dir });
    expect(m.name).toBe('sr_refiner_x2');
    expect(m.training.steps).toBe(77);
    const { weights } = loadWeights(path.join(dir, 'sr_refiner_x2.manifest.json'));
    for (const p of spec.params) expect(Array.from(weights.get(p.name)!.data)).toEqual(Array.from(t.get(`g/ema/${p.name}`)!.data));
    // the exported refiner runs: an odd-sized tile comes back the same size, in [0, 1]
    const { refiner, runner } = await loadRefiner(path.join(dir, 'sr_refiner_x2.manifest.json'), { threads: 1 });
    const sr = { data: new Float32Array(9 * 7 * 3).fill(0.5), shape: [1, 9, 7, 3] };
    const out = await refiner(sr, { data: new Float32Array(5 * 4 * 3), shape: [1, 5, 4, 3] }, 2, new Rng(1));
    expect(out.length).toBe(9 * 7 * 3);
    expect(Math.min(...out) >= 0 && Math.max(...out) <= 1).toBe(true);
    await runner.dispose();
    expect(m.config.temperature).toBe(1);
    // the sampling temperature goes into the manifest and the loaded refiner samples at it: at 0 every draw
    // is 0, so two seeds give the same image, which the same weights at temperature 1 do not
    exportRefiner({ scale: 2, checkpoint: path.join(dir, 'r.dgw'), out: path.join(dir, 't0'), temperature: 0 });
    const cold = await loadRefiner(path.join(dir, 't0', 'sr_refiner_x2.manifest.json'), { threads: 1 });
    const lr = { data: new Float32Array(5 * 4 * 3), shape: [1, 5, 4, 3] };
    const [a1, a2] = [await cold.refiner(sr, lr, 2, new Rng(1)), await cold.refiner(sr, lr, 2, new Rng(2))];
    expect(Array.from(a1)).toEqual(Array.from(a2));
    const warm = await loadRefiner(path.join(dir, 'sr_refiner_x2.manifest.json'), { threads: 1 });
    expect(Array.from(await warm.refiner(sr, lr, 2, new Rng(2)))).not.toEqual(Array.from(await warm.refiner(sr, lr, 2, new Rng(1))));
    await Promise.all([cold.runner.dispose(), warm.runner.dispose()]);
    expect(() => refinerTemperature({ name: 'r', config: { temperature: -1 } })).toThrow('r: config.temperature -1 is not a number in [0, 2]');
    expect(refinerTemperature({ config: {} })).toBe(1);
    t.delete(`g/ema/${spec.params[0].name}`);
    fs.writeFileSync(path.join(dir, 'bad.dgw'), encodeTensors(t, {}));
    expect(() => exportRefiner({ scale: 2, checkpoint: path.join(dir, 'bad.dgw'), out: dir })).toThrow(/no EMA refiner parameter/);
  });
});
