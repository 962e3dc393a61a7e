/** The feature classifiers as recipes: the old train-classifier command's defaults, the same group and checkpoints. */
import { cosineLrSchedule, getRecipe, initBackend, recipeNames } from '@diffgan/core-models/train';
import { CLASSIFIER_RECIPES } from './recipes';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

test('the classifiers are registered and keep the old train-classifier trainer: group c, Adam 2e-3, cosine(100, 0.02), checkpoints every 200, log every 50', () => {
  for (const [name, dataset] of [
    ['mnist-classifier', 'mnist'],
    ['fashion-mnist-classifier', 'fashion-mnist'],
  ] as const) {
    expect(recipeNames()).toContain(name);
    const r = getRecipe(name);
    expect(r.defaults).toEqual({ steps: 3000, batch: 64, seed: 0, lr: 2e-3, checkpointEvery: 200, logEvery: 50 });
    const g = r.groups(r.defaults);
    expect(Object.keys(g)).toEqual(['c']);
    expect([g.c.model.spec.name, g.c.adam, g.c.ema]).toEqual([name, { lr: 2e-3 }, undefined]);
    expect(r.task(r.defaults).config).toEqual({ dataset });
    for (const step of [0, 50, 1000, 2200]) expect(r.lrSchedule!(r.defaults)(step, 2200)).toBe(cosineLrSchedule(100, 0.02)(step, 2200));
    expect(r.exports).toEqual({ [name]: { group: 'c', ema: false } });
  }
  expect(CLASSIFIER_RECIPES.map((r) => r.name)).toEqual(['mnist-classifier', 'fashion-mnist-classifier']);
});
