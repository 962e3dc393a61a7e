/**
 * The training options are the recipes' configs (src/recipes.ts): their defaults are the old
 * train / train-refiner commands' defaults, and the trainer each builds is the one those built.
 * export declares its flags (a mistyped one was ignored).
 */
import * as fs from 'fs';
import * as path from 'path';
import { getRecipe, initBackend, parseTrainArgs } from '@diffgan/core-models/train';
import { loadWeights } from '@diffgan/core-models';
import { SR_CONFIGS } from './models';
import { DEFAULT_WEIGHTS_DIR } from './names';
import { exportCommand } from './export';
import './recipes';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

test("sr-x2/x4 and sr-refiner-x2/x4: the old commands' defaults; typed values; a mistyped or unknown key is an error naming it", () => {
  // the old `train` defaults (--scale picked the recipe)
  for (const name of ['sr-x2', 'sr-x4'])
    expect(getRecipe(name).defaults).toEqual({
      steps: 20000,
      batch: 16,
      seed: 0,
      patch: 32,
      lr: 5e-4,
      scheduleSteps: 0,
      data: '',
      checkpointEvery: 250,
      logEvery: 25,
      // added with #24: random init and every training folder (the shipped configs say T91,BSD200)
      init: '',
      dirs: 'T91,BSD200,BSDS500test,photos',
    });
  // the old `train-refiner` defaults; its patch default was 12 at x4, 24 at x2
  const refinerTraining = { steps: 3000, batch: 8, seed: 0, patch: 12, lr: 2e-4, l1: 1, r1: 0.1 };
  // temperature (new): not a training value, recorded in the exported manifest; 1 samples as before it existed
  expect(getRecipe('sr-refiner-x4').defaults).toEqual({ ...refinerTraining, data: '', generator: '', temperature: 1, checkpointEvery: 100, logEvery: 10 });
  expect(getRecipe('sr-refiner-x2').defaults.patch).toBe(24);
  expect(parseTrainArgs(['sr-x2', '--steps', '3500', '--runtime', 'tfjs'])!.config).toMatchObject({ steps: 3500, batch: 16 });
  expect(() => parseTrainArgs(['sr-x4', '--stpes', '100'])).toThrow('unknown option --stpes (see diffgan train sr-x4 --help; did you mean --steps?)');
  expect(() => parseTrainArgs(['sr-x4', '--patch', '4'])).toThrow('sr-x4: patch 4 < 8');
  expect(() => parseTrainArgs(['sr-refiner-x4', '--r1-gamma', '1'])).toThrow(/^unknown option --r1-gamma/);
  expect(exportCommand.parse(['--refiner', '--scale', '2'])).toMatchObject({ refiner: true, scale: 2, 'no-floor': false });
  expect(() => exportCommand.parse(['--no-flor'])).toThrow(/did you mean --no-floor\?/);
});

test('the groups, optimisers, EMA and phases the old scripts built', () => {
  const c = getRecipe('sr-x4').defaults;
  const g = getRecipe('sr-x4').groups(c);
  expect(Object.keys(g)).toEqual(['g']);
  expect(g.g.adam).toEqual({ lr: 5e-4, beta1: 0.9, beta2: 0.99 });
  expect(g.g.ema).toBe(0.999);
  expect(g.g.model.spec.name).toBe('sr_generator_x4');
  expect(getRecipe('sr-x4').meta!(c)).toMatchObject({ config: SR_CONFIGS[4], batch: 16, patch: 32, lr: 5e-4 });
  const r = getRecipe('sr-refiner-x2');
  const rg = r.groups(r.defaults);
  expect(Object.fromEntries(Object.entries(rg).map(([k, v]) => [k, [v.model.spec.name, v.adam, v.ema]]))).toEqual({
    g: ['sr_refiner_x2', { lr: 2e-4, beta1: 0.5, beta2: 0.9 }, 0.999],
    d: [expect.any(String), { lr: 2e-4, beta1: 0.5, beta2: 0.9 }, undefined],
  });
  expect(r.phases(r.defaults)).toEqual(['d', 'g']);
  // old schedules: cosine(500, 0.02) for the generator, cosine(100, 0.1) for the refiner
  expect(getRecipe('sr-x2').lrSchedule!(c)(0, 100)).toBeCloseTo(1 / 500, 12);
  expect(getRecipe('sr-x2').lrSchedule!(c)(20000, 20000)).toBeCloseTo(0.02, 12);
  expect(r.lrSchedule!(r.defaults)(3000, 3000)).toBeCloseTo(0.1, 12);
});

test('sr-real-x2/x4 start from the shipped fidelity generator; sr-real-gan adds a patch discriminator; both export sr_real_x{s}', () => {
  const real = getRecipe('sr-real-x4');
  expect(real.defaults).toMatchObject({ init: 'fidelity', dirs: 'T91,BSD200,BSDS500test,photos', patch: 32, batch: 16, lr: 2e-4 });
  expect(Object.keys(real.exports)).toEqual(['sr_real_x4']);
  const g = real.groups(real.defaults).g;
  expect(g.model.spec.name).toBe('sr_real_x4');
  // init: every parameter is the shipped fidelity generator's
  const { weights } = loadWeights(path.join(DEFAULT_WEIGHTS_DIR, 'sr_generator_x4.manifest.json'));
  for (const [name, v] of g.model.params) expect([name, Array.from(v.dataSync()).slice(0, 5)]).toEqual([name, Array.from(weights.get(name)!.data.slice(0, 5))]);
  expect(g.model.params.size).toBe(weights.size);
  // empty init: random (differs from the shipped weights)
  const fresh = real.groups({ ...real.defaults, init: '' }).g.model.params.get('head.w')!;
  expect(Array.from(fresh.dataSync()).slice(0, 5)).not.toEqual(Array.from(weights.get('head.w')!.data.slice(0, 5)));
  expect(() => real.groups({ ...real.defaults, init: '/nonexistent/x.manifest.json' })).toThrow(
    'init: weights manifest not found: /nonexistent/x.manifest.json',
  );
  expect(() => parseTrainArgs(['sr-real-x2', '--dirs', ' , '])).toThrow('sr-real-x2: dirs is empty');
  expect(real.meta!(real.defaults)).toMatchObject({
    loss: 'L1',
    degradation: 'levels',
    data: ['sr/train/T91', 'sr/train/BSD200', 'sr/train/BSDS500test', 'sr/train/photos'],
  });
  // degradation: the levels by default, Real-ESRGAN's second-order model alone on request; fidelity takes no such key
  expect(real.task(real.defaults).config).toMatchObject({ degradation: 'levels' });
  const second = parseTrainArgs(['sr-real-x4', '--degradation', 'second-order'])!;
  expect(real.task(second.config as typeof real.defaults).config).toMatchObject({ degradation: 'second-order' });
  expect(() => parseTrainArgs(['sr-real-x4', '--degradation', 'heavy'])).toThrow("sr-real-x4: degradation must be 'levels' or 'second-order', not 'heavy'");
  expect(() => parseTrainArgs(['sr-x4', '--degradation', 'levels'])).toThrow(/^unknown option --degradation/);
  expect(getRecipe('sr-real-gan-x4').task({ ...getRecipe('sr-real-gan-x4').defaults, degradation: 'second-order' }).config).toMatchObject({
    degradation: 'second-order',
  });
  // which file 'fidelity' meant: the shipped x4 generator's sha256, read from its manifest
  const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'weights', 'sr_generator_x4.manifest.json'), 'utf8'));
  expect(real.meta!(real.defaults)).toMatchObject({ initSha256: shipped.weights.sha256 });
  expect(shipped.weights.sha256).toMatch(/^[0-9a-f]{64}$/);

  const gan = getRecipe('sr-real-gan-x2');
  expect(gan.defaults).toMatchObject({ init: 'real', l1: 1, adv: 0.1, r1: 0.1, patch: 48, batch: 8, lr: 1e-4 });
  expect(gan.phases(gan.defaults)).toEqual(['d', 'g']);
  expect(Object.keys(gan.exports)).toEqual(['sr_real_x2']);
  const gg = gan.groups({ ...gan.defaults, init: '' });
  expect([gg.g.model.spec.name, gg.d.model.spec.name, gg.d.adam]).toEqual(['sr_real_x2', 'sr_real_disc_x2', { lr: 1e-4, beta1: 0.9, beta2: 0.99 }]);
});

test('sr-real-refiner-x4 (and -x2): the refiner recipe against the shipped real generator, on degraded LR from every folder; exports sr_real_refiner_x{s}', () => {
  const r = getRecipe('sr-real-refiner-x4');
  const fidelity = getRecipe('sr-refiner-x4');
  // the fidelity refiner's training values, plus the real generator's data keys
  expect(r.defaults).toEqual({ ...fidelity.defaults, dirs: 'T91,BSD200,BSDS500test,photos', degradation: 'levels' });
  expect(Object.keys(r.exports)).toEqual(['sr_real_refiner_x4']);
  expect(r.phases(r.defaults)).toEqual(['d', 'g']);
  const cfg = r.task(r.defaults).config as Record<string, unknown>;
  expect(cfg).toMatchObject({ scale: 4, patch: 12, degradation: 'levels', generatorManifest: path.join(DEFAULT_WEIGHTS_DIR, 'sr_real_x4.manifest.json') });
  expect((cfg.trainDirs as string[]).map((d) => path.basename(d))).toEqual(['T91', 'BSD200', 'BSDS500test', 'photos']);
  // the fidelity refiner's task is unchanged: clean LR from T91 + BSD200, the fidelity generator
  const f = fidelity.task(fidelity.defaults).config as Record<string, unknown>;
  expect(f.degradation).toBeUndefined();
  expect((f.trainDirs as string[]).map((d) => path.basename(d))).toEqual(['T91', 'BSD200']);
  expect(f.generatorManifest).toBe(path.join(DEFAULT_WEIGHTS_DIR, 'sr_generator_x4.manifest.json'));
  expect(r.meta!(r.defaults)).toMatchObject({ degradation: 'levels', data: ['sr/train/T91', 'sr/train/BSD200', 'sr/train/BSDS500test', 'sr/train/photos'] });
  expect(() => parseTrainArgs(['sr-real-refiner-x4', '--degradation', 'heavy'])).toThrow(
    "sr-real-refiner-x4: degradation must be 'levels' or 'second-order', not 'heavy'",
  );
  expect(() => parseTrainArgs(['sr-refiner-x4', '--degradation', 'levels'])).toThrow(/^unknown option --degradation/);
  expect(exportCommand.parse(['--refiner', '--model', 'real'])).toMatchObject({ refiner: true, model: 'real', scale: 4 });
  // x2: the fidelity x2 refiner's values (patch 24), the real x2 generator
  const r2 = getRecipe('sr-real-refiner-x2');
  expect(r2.defaults).toEqual({ ...getRecipe('sr-refiner-x2').defaults, dirs: 'T91,BSD200,BSDS500test,photos', degradation: 'levels' });
  expect(Object.keys(r2.exports)).toEqual(['sr_real_refiner_x2']);
  expect(r2.task(r2.defaults).config).toMatchObject({ scale: 2, patch: 24, generatorManifest: path.join(DEFAULT_WEIGHTS_DIR, 'sr_real_x2.manifest.json') });
});
