/** The seed-table families as recipes: the old commands' defaults, the same groups and checkpoints. */
import { getRecipe, initBackend, parseTrainArgs, recipeNames } from '@diffgan/core-models/train';
import { FAMILIES, ABLATIONS, familyByName } from './families';
import { SEED_TABLE_RECIPES } from './recipes';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

test('every family is a recipe under its id, with the old `diffgan train <model>` defaults and run layout', () => {
  expect(SEED_TABLE_RECIPES.map((r) => r.name)).toEqual([...FAMILIES, ...ABLATIONS].map((f) => f.id));
  for (const n of ['gan', 'ddpm', 'diffgan2', 'diffgan4', 'pipeline']) expect(recipeNames()).toContain(n);
  const p = parseTrainArgs(['diffgan4', '--steps', '10', '--batch', '4', '--runtime', 'tfjs'])!;
  expect(p.config).toEqual({ steps: 10, batch: 4, seed: 0, minutes: 0, dataset: 'mnist' });
  expect(p.run.run).toMatch(/runs\/seed-table$/);
  expect(() => parseTrainArgs(['gan', '--batch', '1'])).toThrow('gan: batch 1 < 2');
  expect(() => parseTrainArgs(['gan', '--dataset', 'cifar'])).toThrow("gan: dataset 'cifar' is not mnist or fashion-mnist");
  const fam = familyByName('pipeline')!,
    r = getRecipe('pipeline');
  expect(r.phases(r.defaults)).toEqual(fam.phases);
  expect(r.exports).toBe(fam.exports);
  const a = r.groups({ ...r.defaults, seed: 2 }),
    b = fam.groups(2);
  for (const g of Object.keys(b)) {
    expect(a[g].adam).toEqual(b[g].adam);
    expect(a[g].model.spec).toEqual(b[g].model.spec);
    // same initialisation seed (seed * 10 + k)
    for (const [k, t] of b[g].model.params) expect(Array.from(a[g].model.params.get(k)!.dataSync())).toEqual(Array.from(t.dataSync()));
  }
});
