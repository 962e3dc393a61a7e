import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf, initBackend, createModel, runParallel, Trainer } from '@diffgan/core-models';
import { FAMILIES, familyByName } from './families';
import { Family, unetSpec } from './common';
import { taskModulePath } from './task';
import { findDataRoot } from '../data-root';

// The task runs in worker threads from dist: build first (npx tsc -b packages/eval). It trains on the MNIST split.
const withData = findDataRoot() ? describe : describe.skip;
if (!findDataRoot()) console.warn('seed-table task tests skipped: no shared data (set DIFFGAN_DATA)');
beforeAll(async () => { await initBackend({ backend: 'wasm' }); });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-table-task-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function trainer(fam: Family, dir: string, steps: number): Trainer {
  return new Trainer({ dir: path.join(tmp, dir), steps, seed: 3, groups: fam.groups(0), progress: false, logEvery: 1, checkpointEvery: 1000 });
}
const run = (tr: Trainer, fam: Family, workers: number, batchSize: number) => runParallel(tr, { taskModule: taskModulePath, taskConfig: { family: fam.id }, batchSize, workers });
const logOf = (tr: Trainer) => fs.readFileSync(tr.logPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);

withData('seed-table families through runParallel', () => {
  test('ddpm: a step with 2 workers gives the parameters and loss of 1 worker (1e-5 relative)', async () => {
    const fam = familyByName('ddpm')!;
    const a = trainer(fam, 'ddpm-w1', 1), b = trainer(fam, 'ddpm-w2', 1);
    await run(a, fam, 1, 4);
    await run(b, fam, 2, 4);
    // max difference relative to the largest parameter
    let d = 0, s = 0;
    for (const [k, p] of a.groups.den.model.params) {
      const x = p.dataSync(), y = b.groups.den.model.params.get(k)!.dataSync();
      for (let i = 0; i < x.length; i++) { d = Math.max(d, Math.abs(x[i] - y[i])); s = Math.max(s, Math.abs(x[i])); }
    }
    expect(d / s).toBeLessThan(1e-5);
    const la = logOf(a), lb = logOf(b);
    la.forEach((r, i) => expect(Math.abs(r.den - lb[i].den) / Math.abs(r.den)).toBeLessThan(1e-5));
    // and the step changed the weights
    const init = createModel(unetSpec(), 3).params;
    const changed = [...init].some(([k, p]) => Math.abs(p.dataSync()[0] - a.groups.den.model.params.get(k)!.dataSync()[0]) > 1e-5);
    expect(changed).toBe(true);
    for (const tr of [a, b]) tr.dispose();
  }, 60000);

  test.each(FAMILIES.filter((f) => f.id !== 'ddpm').map((f) => [f.id, f] as const))('%s: 3 steps on 2 workers, finite losses of every phase, flat main-thread memory', async (_id, fam) => {
    const tr = trainer(fam, fam.id, 3);
    // main-thread tensors when each step's first update starts (step 1 creates the Adam slots)
    const tensors: number[] = [];
    const apply = tr.applyGrads.bind(tr);
    tr.applyGrads = (name, loss, grads) => { if (name === fam.phases[0]) tensors.push(tf.memory().numTensors); apply(name, loss, grads); };
    await run(tr, fam, 2, 2);
    expect(tr.step).toBe(3);
    expect(tensors[2]).toBe(tensors[1]);
    const log = logOf(tr);
    expect(log.map((r) => r.step)).toEqual([1, 2, 3]);
    for (const r of log) for (const phase of fam.phases) expect(Number.isFinite(r[phase])).toBe(true);
    tr.dispose();
  }, 60000);
});
