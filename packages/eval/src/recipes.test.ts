/** The seed-table families and the feature classifiers as recipes: the old commands' defaults, the same groups and checkpoints. */
import { cosineLrSchedule, getRecipe, initBackend, parseTrainArgs, recipeNames } from '@diffgan/core-models';
import { FAMILIES, ABLATIONS, familyByName } from './seed-table/families';
import { SEED_TABLE_RECIPES } from './recipes';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

test('every family is a recipe under its id, with the old `diffgan train <model>` defaults and run layout', () => {
  expect(SEED_TABLE_RECIPES.map((r) => r.name)).toEqual([...FAMILIES, ...ABLATIONS].map((f) => f.id));
  for (const n of ['gan', 'ddpm', 'diffgan2', 'diffgan4', 'pipeline', 'mnist-classifier', 'fashion-mnist-classifier']) expect(recipeNames()).toContain(n);
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

test('the classifiers keep the old train-classifier trainer: group c, Adam 2e-3, cosine(100, 0.02), checkpoints every 200, log every 50', () => {
  for (const [name, dataset] of [
    ['mnist-classifier', 'mnist'],
    ['fashion-mnist-classifier', 'fashion-mnist'],
  ] as const) {
    const r = getRecipe(name);
    expect(r.defaults).toEqual({ steps: 3000, batch: 64, seed: 0, lr: 2e-3, checkpointEvery: 200, logEvery: 50 });
    const g = r.groups(r.defaults);
    expect(Object.keys(g)).toEqual(['c']);
    expect([g.c.model.spec.name, g.c.adam, g.c.ema]).toEqual([name, { lr: 2e-3 }, undefined]);
    expect(r.task(r.defaults).config).toEqual({ dataset });
    for (const step of [0, 50, 1000, 2200]) expect(r.lrSchedule!(r.defaults)(step, 2200)).toBe(cosineLrSchedule(100, 0.02)(step, 2200));
    expect(r.exports).toEqual({ [name]: { group: 'c', ema: false } });
  }
});
