/**
 * The training options are the recipes' configs (src/recipes.ts): their defaults are the old
 * train / train-refiner commands' defaults, and the trainer each builds is the one those built.
 * export declares its flags (a mistyped one was ignored).
 */
import { getRecipe, initBackend, parseTrainArgs } from '@diffgan/core-models';
import { SR_CONFIGS } from './models';
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
    });
  // the old `train-refiner` defaults; its patch default was 12 at x4, 24 at x2
  const refinerTraining = { steps: 3000, batch: 8, seed: 0, patch: 12, lr: 2e-4, l1: 1, r1: 0.1 };
  expect(getRecipe('sr-refiner-x4').defaults).toEqual({ ...refinerTraining, data: '', generator: '', checkpointEvery: 100, logEvery: 10 });
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
