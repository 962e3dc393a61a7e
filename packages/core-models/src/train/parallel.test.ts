import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../backend';
import { GraphBuilder } from '../graph';
import { createModel, Model } from '../model';
import { Trainer } from './trainer';
import { runParallel, splitBatch, resolveTrainRuntime } from './parallel';
import { loadOrt } from '../onnx/runner';
import { decodeTensors } from '../weights';

// The task runs inside worker threads, which load the built package (dist), so it is plain JS.
const taskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-task-'));
const taskModule = path.join(taskDir, 'task.js');
fs.writeFileSync(
  taskModule,
  `
const core = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'dist', 'train.js'))});
const { tf } = core;
exports.createTask = (config) => ({
  phases: ['g'],
  sampleBatch(rng, n) { return { x: { data: rng.normalArray(n * 6 * 6 * 2), shape: [n, 6, 6, 2] } }; },
  loss(models, shard, phase, rng, ) {
    if (config && config.dieAtStep !== undefined && config.step() >= config.dieAtStep) process.exit(3);
    const x = tf.tensor(shard.x.data, shard.x.shape);
    // per-sample loss averaged over the shard; the pool weights shards by size
    return core.apply(models.g, { x }).sub(tf.tanh(x.mul(2))).square().mean();
  },
});
`,
);
// a variant that dies in a worker at a given step (the step is read from the shard count of calls)
const dyingModule = path.join(taskDir, 'dying.js');
fs.writeFileSync(
  dyingModule,
  `
const base = require(${JSON.stringify(taskModule)});
let calls = 0;
exports.createTask = (config, role) => {
  const t = base.createTask(null, role);
  const loss = t.loss;
  t.loss = (m, s, p, r) => { if (role === 'worker' && ++calls > config.dieAfterCalls) process.exit(3); return loss(m, s, p, r); };
  return t;
};
`,
);

function tinyNet(): Model {
  const g = new GraphBuilder('tiny');
  g.output('y', g.conv(g.act(g.conv(g.input('x', 'image', 2), 8), 'leakyRelu'), 2));
  return createModel(g.build(), 1);
}
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dp-run-'));
const trainer = (dir: string, steps: number, m: Model, checkpointEvery = 1000) =>
  new Trainer({ dir, steps, seed: 7, groups: { g: { model: m, adam: { lr: 3e-3 }, ema: 0.9 } }, progress: false, checkpointEvery, logEvery: 5 });

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

test('splitBatch shards along dim 0 with size weights', () => {
  const b = { x: { data: Float32Array.from({ length: 5 * 2 }, (_, i) => i), shape: [5, 2] } };
  const s = splitBatch(b, 2);
  expect(s.map((p) => p.weight)).toEqual([0.6, 0.4]);
  expect(Array.from(s[1].shard.x.data)).toEqual([6, 7, 8, 9]);
});

test('workers: 2 gives the same parameters as workers: 1 after 20 steps (1e-5 relative)', async () => {
  const m1 = tinyNet(),
    m2 = tinyNet();
  await runParallel(trainer(tmp(), 20, m1), { taskModule, batchSize: 8, workers: 1, runtime: 'tfjs' });
  await runParallel(trainer(tmp(), 20, m2), { taskModule, batchSize: 8, workers: 2, runtime: 'tfjs' });
  let maxRel = 0;
  for (const [k, p] of m1.params) {
    const a = p.dataSync(),
      b = m2.params.get(k)!.dataSync();
    let d = 0,
      s = 0;
    for (let i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
      s = Math.max(s, Math.abs(a[i]));
    }
    maxRel = Math.max(maxRel, d / s);
  }
  expect(maxRel).toBeLessThan(1e-5);
  // and training did something
  const init = tinyNet();
  expect(Math.abs(init.params.get('conv0.w')!.dataSync()[0] - m1.params.get('conv0.w')!.dataSync()[0])).toBeGreaterThan(1e-4);
}, 120000);

test('a worker dying mid-run is a one-line error; the checkpoint loads and resume continues the run exactly', async () => {
  const dir = tmp();
  const dying = tinyNet();
  const err = await runParallel(trainer(dir, 30, dying, 5), {
    taskModule: dyingModule,
    taskConfig: { dieAfterCalls: 12 },
    batchSize: 8,
    workers: 2,
    runtime: 'tfjs',
  }).then(
    () => null,
    (e) => e as Error,
  );
  expect(err).not.toBeNull();
  expect(err!.message).toMatch(/^training worker \d (exited|crashed).*checkpoint is intact/);
  expect(err!.message).not.toContain('\n');
  const { meta } = decodeTensors(fs.readFileSync(path.join(dir, 'checkpoint.dgw')));
  expect((meta as { step: number }).step).toBe(10); // 12 calls = 12 steps on this worker; last checkpoint every 5

  const resumed = tinyNet();
  const t = trainer(dir, 30, resumed, 5);
  expect(t.resumed).toBe(true);
  await runParallel(t, { taskModule, batchSize: 8, workers: 2, runtime: 'tfjs' });
  const straight = tinyNet();
  await runParallel(trainer(tmp(), 30, straight, 5), { taskModule, batchSize: 8, workers: 2, runtime: 'tfjs' });
  for (const [k, p] of straight.params) expect(Array.from(resumed.params.get(k)!.dataSync())).toEqual(Array.from(p.dataSync()));
  const log = fs
    .readFileSync(path.join(dir, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(log.map((r) => r.step)).toEqual([5, 10, 15, 20, 25, 30]);
}, 120000);

test('resolveTrainRuntime: tfjs when asked or when the task has only a tfjs loss (one warning), onnxruntime by default', () => {
  const warnings: string[] = [];
  const warn = (l: string) => warnings.push(l);
  const objective = () => {
    throw new Error('not called');
  };
  const loss = () => {
    throw new Error('not called');
  };
  expect(resolveTrainRuntime('tfjs', { objective, loss }, 't', warn)).toBe('tfjs');
  expect(warnings).toEqual([]);
  expect(resolveTrainRuntime('onnxruntime', { loss }, 'legacy', warn)).toBe('tfjs');
  expect(warnings).toEqual(['legacy: its loss is written for tfjs only; training on tfjs']);
  expect(() => resolveTrainRuntime('gpu' as never, { objective }, 't', warn)).toThrow(/unknown training runtime 'gpu'/);
  expect(() => resolveTrainRuntime('auto', {}, 'empty', warn)).toThrow(/neither an objective nor a loss/);
  if (loadOrt()) expect(resolveTrainRuntime(undefined, { objective }, 't', warn)).toBe(process.env.DIFFGAN_TRAIN_RUNTIME === 'tfjs' ? 'tfjs' : 'onnxruntime');
});
