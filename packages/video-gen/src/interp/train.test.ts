/** The interp recipe keeps the old train-interp command's defaults, groups, optimisers and schedule; its export keeps --export-only's options. */
import { getRecipe, initBackend, parseTrainArgs } from '@diffgan/core-models/train';
import { exportCommand, INTERP_RECIPE } from './train';
import { INTERP_CONFIG, REFINER_CONFIG } from './net';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

test('defaults, groups (d at half the lr), phases and schedule of the old command', () => {
  expect(getRecipe('interp')).toBe(INTERP_RECIPE);
  const c = INTERP_RECIPE.defaults;
  expect(c).toEqual({ steps: 20000, batch: 8, seed: 0, patch: 80, lr: 5e-4, tc: 0.5, adv: 0.005, data: '', checkpointEvery: 200, logEvery: 10 });
  const g = INTERP_RECIPE.groups(c);
  expect(Object.fromEntries(Object.entries(g).map(([k, v]) => [k, [v.model.spec.name, v.adam, v.ema]]))).toEqual({
    d: [expect.any(String), { lr: 2.5e-4, beta1: 0.5, beta2: 0.99 }, undefined],
    g: ['interp_g', { lr: 5e-4, beta1: 0.9, beta2: 0.99 }, 0.999],
    r: ['interp_refiner', { lr: 5e-4, beta1: 0.9, beta2: 0.99 }, 0.999],
  });
  expect(INTERP_RECIPE.phases(c)).toEqual(['d', 'g', 'r']);
  expect(INTERP_RECIPE.lrSchedule!(c)(0, 4600)).toBeCloseTo(1 / 200, 12);
  expect(INTERP_RECIPE.lrSchedule!(c)(4600, 4600)).toBeCloseTo(0.05, 12);
  expect(INTERP_RECIPE.meta!(c)).toMatchObject({
    config: INTERP_CONFIG,
    refiner: REFINER_CONFIG,
    batch: 8,
    patch: 80,
    lr: 5e-4,
    tcWeight: 0.5,
    advWeight: 0.005,
  });
});

test('the old checks: patch a multiple of 4 ≥ 32, weights ≥ 0; export takes the old --export-only options', () => {
  expect(parseTrainArgs(['interp', '--steps=4600', '--workers', '2'])!.config).toMatchObject({ steps: 4600 });
  expect(() => parseTrainArgs(['interp', '--patch=30'])).toThrow('interp: patch 30: a multiple of 4, at least 32');
  expect(() => parseTrainArgs(['interp', '--adv=-1'])).toThrow('interp: tc and adv are weights ≥ 0');
  expect(exportCommand.parse(['--run', 'r', '--reset-refiner-output', '--refine-default-steps', '1'])).toMatchObject({
    run: 'r',
    'reset-refiner-output': true,
    'refine-default-steps': 1,
  });
  expect(() => exportCommand.parse(['--refine-default-steps', '3'])).toThrow('invalid value for --refine-default-steps: 3');
});
