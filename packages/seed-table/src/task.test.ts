import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadOrt, TrainRuntime } from '@diffgan/core-models';
import { tf, initBackend, createModel, runParallel, Trainer } from '@diffgan/core-models/train';
import { FAMILIES, familyByName } from './families';
import { Family, unetSpec } from './common';
import { taskModulePath } from './task';
import { findDataRoot } from '@diffgan/core-models';

// The task runs in worker threads from dist: build first (npx tsc -b packages/seed-table). It trains on the MNIST split.
const withData = findDataRoot() ? describe : describe.skip;
if (!findDataRoot()) console.warn('seed-table task tests skipped: no shared data (set DIFFGAN_DATA)');
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-table-task-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function trainer(fam: Family, dir: string, steps: number): Trainer {
  return new Trainer({ dir: path.join(tmp, dir), steps, seed: 3, groups: fam.groups(0), progress: false, logEvery: 1, checkpointEvery: 1000 });
}
const run = (tr: Trainer, fam: Family, workers: number, batchSize: number, runtime: TrainRuntime) =>
  runParallel(tr, { taskModule: taskModulePath, taskConfig: { family: fam.id }, batchSize, workers, runtime });
// both training runtimes (onnxruntime when onnxruntime-node loads)
const RUNTIMES: TrainRuntime[] = loadOrt() ? ['tfjs', 'onnxruntime'] : ['tfjs'];
const logOf = (tr: Trainer) =>
  fs
    .readFileSync(tr.logPath, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>);

withData('seed-table families through runParallel', () => {
  test.each(RUNTIMES)(
    'ddpm on %s: a step with 2 workers gives the parameters and loss of 1 worker (1e-5 relative)',
    async (runtime) => {
      const fam = familyByName('ddpm')!;
      const a = trainer(fam, `ddpm-${runtime}-w1`, 1),
        b = trainer(fam, `ddpm-${runtime}-w2`, 1);
      await run(a, fam, 1, 4, runtime);
      await run(b, fam, 2, 4, runtime);
      expect([a.runtime, b.runtime]).toEqual([runtime, runtime]);
      // max difference relative to the largest parameter
      let d = 0,
        s = 0;
      for (const [k, p] of a.groups.den.model.params) {
        const x = p.dataSync(),
          y = b.groups.den.model.params.get(k)!.dataSync();
        for (let i = 0; i < x.length; i++) {
          d = Math.max(d, Math.abs(x[i] - y[i]));
          s = Math.max(s, Math.abs(x[i]));
        }
      }
      expect(d / s).toBeLessThan(1e-5);
      const la = logOf(a),
        lb = logOf(b);
      la.forEach((r, i) => expect(Math.abs(r.den - lb[i].den) / Math.abs(r.den)).toBeLessThan(1e-5));
      // and the step changed the weights
      const init = createModel(unetSpec(), 3).params;
      const changed = [...init].some(([k, p]) => Math.abs(p.dataSync()[0] - a.groups.den.model.params.get(k)!.dataSync()[0]) > 1e-5);
      expect(changed).toBe(true);
      for (const tr of [a, b]) tr.dispose();
    },
    60000,
  );

  const adversarial = FAMILIES.filter((f) => f.id !== 'ddpm');
  test.each(RUNTIMES.flatMap((r) => adversarial.map((f) => [f.id, r, f] as const)))(
    '%s on %s: 3 steps on 2 workers, finite losses of every phase, flat main-thread memory',
    async (_id, runtime, fam) => {
      const tr = trainer(fam, `${fam.id}-${runtime}`, 3);
      // main-thread tensors when each step's first update starts (step 1 creates the Adam slots)
      const tensors: number[] = [];
      const apply = tr.applyGrads.bind(tr);
      tr.applyGrads = (name, loss, grads) => {
        if (name === fam.phases[0]) tensors.push(tf.memory().numTensors);
        apply(name, loss, grads);
      };
      await run(tr, fam, 2, 2, runtime);
      expect(tr.step).toBe(3);
      expect(tr.runtime).toBe(runtime);
      expect(tensors[2]).toBe(tensors[1]);
      const log = logOf(tr);
      expect(log.map((r) => r.step)).toEqual([1, 2, 3]);
      for (const r of log) for (const phase of fam.phases) expect(Number.isFinite(r[phase])).toBe(true);
      tr.dispose();
    },
    60000,
  );
});
