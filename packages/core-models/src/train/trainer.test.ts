import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../tf';
import { initBackend } from '../backend';
import { GraphBuilder } from '../graph';
import { createModel, apply, Model } from '../model';
import { Trainer } from './trainer';
import { patchDiscriminator } from '../architectures';
import { discriminatorLoss, generatorLoss, r1Penalty } from '../gan';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function tinyNet(): Model {
  const g = new GraphBuilder('tiny');
  g.output('y', g.conv(g.act(g.conv(g.input('x', 'image', 2), 4), 'leakyRelu'), 2));
  return createModel(g.build(), 1);
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'diffgan-train-'));

function regressionStep(m: Model) {
  return (tr: Trainer) => {
    const x = tf.tensor4d(tr.rng.normalArray(2 * 6 * 6 * 2), [2, 6, 6, 2]);
    const loss = tr.update('g', () => apply(m, { x }).sub(x.mul(0.5)).square().mean() as tf.Scalar);
    x.dispose();
    return { mse: loss };
  };
}

test('memory stays flat: numTensors constant over 10,000 steps (regression with Adam + EMA)', async () => {
  const m = tinyNet();
  const tr = new Trainer({
    dir: tmp(),
    steps: 10000,
    groups: { g: { model: m, adam: { lr: 1e-3 }, ema: 0.99 } },
    progress: false,
    checkpointEvery: 2500,
    logEvery: 1000,
  });
  const counts: number[] = [];
  const step = regressionStep(m);
  await tr.run((t) => {
    const r = step(t);
    if (t.step % 1000 === 999) counts.push(tf.memory().numTensors);
    return r;
  });
  expect(counts.length).toBe(10);
  expect(new Set(counts).size).toBe(1);
  const log = fs
    .readFileSync(tr.logPath, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(log.length).toBe(10);
  expect(log[9].mse).toBeLessThan(log[0].mse); // it learns
}, 180000);

test('GAN step keeps memory flat too', async () => {
  const g = tinyNet(),
    d = createModel(patchDiscriminator({ inChannels: 2, channels: [4] }), 2);
  const tr = new Trainer({
    dir: tmp(),
    steps: 60,
    groups: { g: { model: g, adam: { lr: 1e-3 } }, d: { model: d, adam: { lr: 1e-3 } } },
    progress: false,
    checkpointEvery: 1000,
  });
  const counts: number[] = [];
  await tr.run((t) => {
    const real = tf.tensor4d(t.rng.normalArray(2 * 8 * 8 * 2), [2, 8, 8, 2]);
    const noise = tf.tensor4d(t.rng.normalArray(2 * 8 * 8 * 2), [2, 8, 8, 2]);
    // one D update (real vs detached fake, R1) and one G update, LSGAN
    const D = (x: tf.Tensor4D) => apply(d, { x }),
      G = () => apply(g, { x: noise }) as tf.Tensor4D;
    const fake = tf.tidy(G);
    const r = {
      d: t.update('d', () => discriminatorLoss('lsgan', D(real), D(fake)).add(r1Penalty(D, real, t.rng).mul(0.5)) as tf.Scalar),
      g: t.update('g', () => generatorLoss('lsgan', D(G()))),
    };
    tf.dispose([real, noise, fake]);
    if (t.step >= 10) counts.push(tf.memory().numTensors);
    return r;
  });
  expect(new Set(counts).size).toBe(1);
});

test('checkpoint + resume reproduces an uninterrupted run exactly', async () => {
  const full = tinyNet();
  const a = new Trainer({ dir: tmp(), steps: 40, seed: 5, groups: { g: { model: full, adam: { lr: 1e-2 }, ema: 0.9 } }, progress: false });
  await a.run(regressionStep(full));

  const dir = tmp();
  const first = tinyNet();
  const b1 = new Trainer({ dir, steps: 25, seed: 5, groups: { g: { model: first, adam: { lr: 1e-2 }, ema: 0.9 } }, progress: false, checkpointEvery: 25 });
  await b1.run(regressionStep(first));
  const second = tinyNet(); // fresh weights: everything must come from the checkpoint
  const b2 = new Trainer({ dir, steps: 40, seed: 999, groups: { g: { model: second, adam: { lr: 1e-2 }, ema: 0.9 } }, progress: false });
  expect(b2.resumed).toBe(true);
  expect(b2.step).toBe(25);
  await b2.run(regressionStep(second));
  for (const [k, p] of full.params) expect(Array.from(second.params.get(k)!.dataSync())).toEqual(Array.from(p.dataSync()));
  const ea = a.exportWeights('g'),
    eb = b2.exportWeights('g');
  for (const [k, v] of ea) expect(Array.from(eb.get(k)!.data)).toEqual(Array.from(v.data));
});

test('a group the checkpoint has no parameters for starts fresh; a partial match is still an error', async () => {
  const dir = tmp();
  const g1 = tinyNet();
  const a = new Trainer({ dir, steps: 5, seed: 1, groups: { g: { model: g1, adam: { lr: 1e-2 } } }, progress: false, checkpointEvery: 5 });
  await a.run(regressionStep(g1));
  const g2 = tinyNet(),
    d = tinyNet();
  const dInit = Array.from(d.params.values())[0].dataSync().slice();
  const b = new Trainer({ dir, steps: 10, seed: 1, groups: { g: { model: g2, adam: { lr: 1e-2 } }, d: { model: d, adam: { lr: 1e-2 } } }, progress: false });
  expect(b.resumed).toBe(true);
  expect(b.freshGroups).toEqual(['d']);
  expect(Array.from(Array.from(d.params.values())[0].dataSync())).toEqual(Array.from(dInit));
  for (const [k, p] of g1.params) expect(Array.from(g2.params.get(k)!.dataSync())).toEqual(Array.from(p.dataSync()));
  // same group name, different architecture: refused rather than silently re-initialised
  const gb = new GraphBuilder('tiny');
  gb.output('y', gb.conv(gb.act(gb.conv(gb.input('x', 'image', 2), 8), 'leakyRelu'), 2));
  const wider = createModel(gb.build(), 0);
  expect(() => new Trainer({ dir, steps: 10, groups: { g: { model: wider, adam: { lr: 1e-2 } } }, progress: false })).toThrow(/no matching 'g\//);
});

test("another model's checkpoint is refused, not taken as a fresh start at its step count (issue #29)", async () => {
  const dir = tmp();
  const g1 = tinyNet();
  const a = new Trainer({ dir, steps: 5, seed: 1, task: 'sr-x4', groups: { g: { model: g1, adam: { lr: 1e-2 } } }, progress: false, checkpointEvery: 5 });
  await a.run(regressionStep(g1));
  // none of this run's groups in the checkpoint: it belongs to another model
  expect(
    () =>
      new Trainer({
        dir,
        steps: 10,
        groups: { gen: { model: tinyNet(), adam: { lr: 1e-2 } }, disc: { model: tinyNet(), adam: { lr: 1e-2 } } },
        progress: false,
      }),
  ).toThrow(/checkpoint\.dgw: holds none of this run's model groups \(gen, disc; it has g\): another model's checkpoint\?/);
  // the same group names, but the checkpoint says another task wrote it
  expect(() => new Trainer({ dir, steps: 10, task: 'gan', groups: { g: { model: tinyNet(), adam: { lr: 1e-2 } } }, progress: false })).toThrow(
    /a checkpoint of 'sr-x4', not of 'gan'/,
  );
  // the same task resumes
  const b = new Trainer({ dir, steps: 10, task: 'sr-x4', groups: { g: { model: tinyNet(), adam: { lr: 1e-2 } } }, progress: false });
  expect(b.step).toBe(5);
});

test('run(stepFn, until) trains in chunks: the schedule counts to the total, the chunks end where asked', async () => {
  const m = tinyNet(),
    seen: number[] = [];
  const tr = new Trainer({ dir: tmp(), steps: 10, groups: { g: { model: m, adam: { lr: 1e-2 } } }, progress: false, lrSchedule: (s, total) => 1 - s / total });
  const step = regressionStep(m);
  const record = (t: Trainer) => {
    seen.push(t.lrScale());
    return step(t);
  };
  await tr.run(record, 4);
  expect(tr.step).toBe(4);
  await tr.run(record, 99); // never past the total
  expect(tr.step).toBe(10);
  expect(seen.map((v) => +v.toFixed(2))).toEqual([1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]);
});
