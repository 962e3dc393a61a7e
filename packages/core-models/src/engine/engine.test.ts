/**
 * The onnxruntime training engine against tfjs autodiff: every Ops primitive and every graph
 * op, every core architecture (1e-4 relative, issue #22), the weight-gradient forms, training
 * runs on both runtimes from one seed, checkpoints crossing runtimes, flat memory, and the
 * execution-provider fallback.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../backend';
import { GraphBuilder, GraphSpec } from '../graph';
import { createModel, Model } from '../model';
import { Rng } from '../rng';
import { srNet, benchUpscaler, unet, patchDiscriminator, dcganGenerator } from '../architectures';
import { residualBlock, downsample, upsample, timeEmbeddingMlp, pixelShuffleUpsampler } from '../blocks';
import { gradientParity } from './parity';
import { l1Loss, mseLoss, Ops } from '../ops/ops';
import type { LossEnv, HostBatch } from './objective';
import { setWeightGradForm } from './prims';
import { createSession, traceObjective, trainingOutputs } from './ort-step';
import type { OrtModule } from '../onnx/ort-session';
import { loadOrt } from '../onnx/runner';
import { Trainer } from '../train/trainer';
import { runParallel } from '../train/parallel';
import { decodeTensors } from '../weights';
import { discriminatorLoss, generatorLoss, r1Penalty } from '../gan';
import { diffusionLoss } from '../diffusion/objective';
import { linearSchedule } from '../diffusion/schedule';

const haveOrt = loadOrt() !== null;
const d = haveOrt ? describe : describe.skip;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** Random host inputs for every input of a spec: images n x h x w. */
function randomShard(spec: GraphSpec, n: number, h: number, w: number, seed: number): HostBatch {
  const rng = new Rng(seed),
    out: HostBatch = {};
  for (const i of spec.inputs) {
    const v = spec.values[i.value];
    const shape = v.kind === 'image' ? [n, h, w, v.channels] : v.kind === 'vector' ? [n, v.channels] : [n];
    const size = shape.reduce((a, b) => a * b, 1);
    out[i.name] = { data: v.kind === 'scalar' ? Float32Array.from({ length: n }, (_, k) => 37 + 411 * k) : rng.normalArray(size), shape };
  }
  return out;
}

/** An objective that feeds every input of the shard to the net and scores all its outputs against fixed targets. */
function netObjective(spec: GraphSpec, targetSeed = 99) {
  return <T>(e: LossEnv<T>): T => {
    const o = e.ops,
      outs = e.net('g', Object.fromEntries(spec.inputs.map((i) => [i.name, e.input(i.name)])));
    let total: T | null = null;
    for (const name of Object.keys(outs)) {
      const y = outs[name],
        shape = o.shape(y),
        size = shape.reduce((a, b) => a * b, 1);
      const term = mseLoss(o, y, o.constant(new Rng(targetSeed).normalArray(size), shape));
      total = total === null ? term : o.add(total, term);
    }
    return total!;
  };
}

async function expectParity(models: Record<string, Model>, objective: <T>(e: LossEnv<T>) => T, phase: string, shard: HostBatch, tol = 1e-4) {
  const r = await gradientParity(models, objective, phase, shard, 5);
  expect(r.params).toBe(models[phase].params.size);
  expect(Math.abs(r.ortLoss - r.tfjsLoss) / Math.max(1e-6, Math.abs(r.tfjsLoss))).toBeLessThan(1e-5);
  if (r.worstRelative >= tol) throw new Error(`${r.worstParam}: relative gradient error ${r.worstRelative}`);
}

function single(name: string, build: (g: GraphBuilder) => void): GraphSpec {
  const g = new GraphBuilder(name);
  build(g);
  return g.build();
}

d('graph ops and architectures: onnxruntime gradients equal tfjs autodiff (1e-4 relative)', () => {
  const cases: [GraphSpec, number, number][] = [
    [single('conv3x3', (g) => g.output('y', g.conv(g.input('x', 'image', 3), 5))), 6, 7],
    [single('conv5x5_stride2', (g) => g.output('y', g.conv(g.input('x', 'image', 3), 4, { k: 5, stride: 2 }))), 9, 6],
    [single('conv3x1_conv5x1', (g) => g.output('y', g.conv(g.conv(g.input('x', 'image', 3), 4, { kw: 1 }), 2, { k: 5, kw: 1 }))), 10, 1],
    [single('conv1x1_nobias', (g) => g.output('y', g.conv(g.input('x', 'image', 3), 4, { k: 1, bias: false }))), 4, 4],
    [
      single('acts', (g) => {
        const x = g.conv(g.input('x', 'image', 2), 4);
        g.output('y', g.concat([g.act(x, 'relu'), g.act(x, 'leakyRelu', 0.1), g.act(x, 'silu'), g.act(x, 'sigmoid'), g.act(x, 'tanh')]));
      }),
      5,
      5,
    ],
    [
      single('residual_norm_emb', (g) => {
        const x = g.input('x', 'image', 8);
        const e = g.input('e', 'vector', 6);
        g.output('y', residualBlock(g, x, { emb: e, norm: 4, act: 'silu', gain: 1 }));
      }),
      6,
      6,
    ],
    [single('pixelShuffleUp_x4', (g) => g.output('y', pixelShuffleUpsampler(g, g.input('x', 'image', 4), 4))), 4, 3],
    [single('down_up', (g) => g.output('y', upsample(g, downsample(g, g.input('x', 'image', 4), 6), 3))), 8, 6],
    [single('timeEmbedding', (g) => g.output('y', timeEmbeddingMlp(g, g.input('t', 'scalar'), 16))), 1, 1],
    [
      single('dense_mul_scale', (g) => {
        const v = g.input('v', 'vector', 5);
        const x = g.conv(g.input('x', 'image', 2), 5);
        g.output('y', g.scale(g.mul(x, g.dense(v, 5)), 0.5));
      }),
      4,
      4,
    ],
    [single('vectorAsImage', (g) => g.output('y', g.pixelShuffle(g.vectorAsImage(g.dense(g.input('v', 'vector', 3), 12)), 2))), 1, 1],
    [srNet({ scale: 4, channels: 16, blocks: 2 }), 6, 6],
    [srNet({ scale: 2, channels: 8, blocks: 1, inChannels: 5 }), 5, 7],
    [benchUpscaler(), 6, 6],
    [unet({ inChannels: 1, outChannels: 1, channels: [16, 32, 64], blocksPerLevel: 1, embDim: 32, groups: 8, latentDim: 8, condChannels: 2 }), 8, 8],
    [patchDiscriminator({ inChannels: 2, channels: [8, 16, 32], embDim: 8 }), 16, 16],
    [dcganGenerator({ latentDim: 8, channels: 16, outChannels: 1 }), 1, 1],
  ];
  test.each(cases.map(([s, h, w]) => [s.name, s, h, w] as const))('%s', async (_n, spec, h, w) => {
    await expectParity({ g: createModel(spec, 3) }, netObjective(spec), 'g', randomShard(spec, 3, h, w, 11));
  });
});

/** A conv stem whose output every loss-side op below works on, so each op's gradient reaches a parameter. */
const stem = single('stem', (g) => g.output('y', g.conv(g.input('x', 'image', 3), 4)));
const stemShard = randomShard(stem, 2, 6, 8, 21);
const opCases: [string, <T>(o: Ops<T>, y: T) => T][] = [
  ['abs', (o, y) => o.mean(o.abs(y))],
  ['square sqrt', (o, y) => o.mean(o.sqrt(o.add(o.square(y), 1)))],
  ['exp log', (o, y) => o.mean(o.log(o.add(o.exp(y), 0.5)))],
  ['sigmoid tanh', (o, y) => o.mean(o.mul(o.sigmoid(y), o.tanh(y)))],
  // the engine's closed-form SiLU gradient against tfjs autodiff of x·sigmoid(x)
  ['silu', (o, y) => o.mean(o.mul(o.silu(o.mul(y, 3)), o.constant(new Rng(10).normalArray(2 * 6 * 8 * 4), [2, 6, 8, 4])))],
  ['relu leakyRelu', (o, y) => o.mean(o.add(o.relu(y), o.leakyRelu(o.neg(y), 0.3)))],
  ['softplus', (o, y) => o.mean(o.softplus(y))],
  ['sin cos', (o, y) => o.mean(o.mul(o.sin(y), o.cos(o.mul(y, 2))))],
  ['minimum maximum', (o, y) => o.mean(o.add(o.minimum(y, 0.3), o.maximum(y, -0.2)))],
  ['div sub (number first)', (o, y) => o.mean(o.div(o.sub(1, y), o.add(o.square(y), 2)))],
  ['sum over axes', (o, y) => o.mean(o.square(o.sum(y, [1, 2])))],
  ['mean keepDims', (o, y) => o.mean(o.square(o.sub(y, o.mean(y, [1, 2], true))))],
  ['reshape', (o, y) => o.mean(o.square(o.sum(o.reshape(y, [2, -1]), [1])))],
  ['transpose', (o, y) => o.mean(o.mul(o.transpose(y, [0, 2, 1, 3]), o.constant(new Rng(4).normalArray(2 * 8 * 6 * 4), [2, 8, 6, 4])))],
  ['slice (channels)', (o, y) => o.mean(o.mul(o.sigmoid(o.slice(y, [0, 1, 2, 0], [-1, 3, -1, 1])), o.slice(y, [0, 1, 2, 1], [-1, 3, -1, 3])))],
  ['concat batch and channels', (o, y) => o.mean(o.square(o.concat([o.concat([y, o.mul(y, 2)], 0), o.concat([o.neg(y), y], 0)], -1)))],
  ['matMul', (o, y) => o.mean(o.square(o.matMul(o.reshape(y, [2 * 6 * 8, 4]), o.constant(new Rng(5).normalArray(12), [4, 3]))))],
  ['matMul transposed', (o, y) => o.mean(o.square(o.matMul(o.transpose(o.reshape(y, [96, 4]), [1, 0]), o.reshape(y, [96, 4]))))],
  ['depthToSpace avgPool upNearest', (o, y) => o.mean(o.square(o.upNearest(o.avgPool(o.depthToSpace(y, 2), 2), 2)))],
  ['groupNormalize', (o, y) => o.mean(o.mul(o.groupNormalize(y, 2, 1e-5), o.constant(new Rng(6).normalArray(2 * 6 * 8 * 4), [2, 6, 8, 4])))],
  ['conv2d stride 2 on a feature map', (o, y) => o.mean(o.square(o.conv2d(y, o.constant(new Rng(7).normalArray(3 * 3 * 4 * 2), [3, 3, 4, 2]), 2)))],
  ['per-sample coefficients (broadcast [n,1,1,1])', (o, y) => o.mean(o.square(o.mul(y, o.constant([0.5, 2], [2, 1, 1, 1]))))],
  ['vector broadcast over channels', (o, y) => o.mean(o.square(o.add(y, o.constant([1, -1, 2, 0], [4]))))],
  [
    'GAN losses and R1',
    (o, y) =>
      o.add(
        o.add(discriminatorLoss('nonsaturating', y, o.neg(y), o), generatorLoss('lsgan', y, o)),
        r1Penalty((x) => o.tanh(o.mul(x, 3)), y, new Rng(8), { perPatch: true }, o),
      ),
  ],
  ['hinge', (o, y) => discriminatorLoss('hinge', y, o.mul(y, 0.5), o)],
  [
    'logSumExp (softmax cross-entropy)',
    (o, y) => {
      const l = o.mul(o.reshape(y, [96, 4]), 20);
      return o.mean(
        o.sub(
          o.logSumExp(l, [1]),
          o.sum(
            o.mul(
              l,
              o.constant(
                Float32Array.from({ length: 384 }, (_, i) => (i % 4 === (i >> 2) % 3 ? 1 : 0)),
                [96, 4],
              ),
            ),
            [1],
          ),
        ),
      );
    },
  ],
  ['L1', (o, y) => l1Loss(o, y, o.constant(new Rng(9).normalArray(2 * 6 * 8 * 4), [2, 6, 8, 4]))],
];

d('loss-side primitives: onnxruntime gradients equal tfjs autodiff (1e-4 relative)', () => {
  test.each(opCases)('%s', async (_n, f) => {
    await expectParity({ g: createModel(stem, 2) }, (e) => f(e.ops, e.run('g', { x: e.input('x') })), 'g', stemShard);
  });

  test('two groups: only the phase group gets gradients; the other is a constant', async () => {
    const G = createModel(dcganGenerator({ latentDim: 4, channels: 8, outChannels: 1 }), 1);
    const D = createModel(patchDiscriminator({ inChannels: 1, channels: [8, 16] }), 2);
    const shard: HostBatch = { z: { data: new Rng(3).normalArray(3 * 4), shape: [3, 4] } };
    const obj = <T>(e: LossEnv<T>): T => generatorLoss('nonsaturating', e.run('d', { x: e.run('g', { z: e.input('z') }) }), e.ops);
    await expectParity({ g: G, d: D }, obj, 'g', shard);
    await expectParity({ g: G, d: D }, obj, 'd', shard);
  });

  test('diffusion objective with per-sample coefficients', async () => {
    const spec = unet({ inChannels: 1, outChannels: 1, channels: [8, 16], blocksPerLevel: 1, embDim: 8, groups: 4 });
    const s = linearSchedule(1000),
      rng = new Rng(2);
    const shard: HostBatch = {
      x0: { data: rng.normalArray(3 * 64), shape: [3, 8, 8, 1] },
      eps: { data: rng.normalArray(3 * 64), shape: [3, 8, 8, 1] },
      t: { data: Float32Array.from([0, 500, 999]), shape: [3] },
    };
    await expectParity(
      { g: createModel(spec, 4) },
      (e) =>
        diffusionLoss(
          'v',
          s,
          (xt, t) => e.run('g', { x: xt, t: e.ops.constant(t, [t.length]) }),
          e.input('x0'),
          Array.from(e.shard.t.data),
          e.input('eps'),
          e.ops,
        ),
      'g',
      shard,
    );
  });

  test.each(['im2col', 'conv'] as const)('the %s weight-gradient form equals tfjs too', async (form) => {
    setWeightGradForm(form);
    try {
      const spec = srNet({ scale: 2, channels: 8, blocks: 1 });
      await expectParity({ g: createModel(spec, 3) }, netObjective(spec), 'g', randomShard(spec, 2, 6, 6, 3));
      const strided = single('strided', (g) => g.output('y', g.conv(g.conv(g.input('x', 'image', 3), 4, { k: 5, stride: 2 }), 2, { kw: 1 })));
      await expectParity({ g: createModel(strided, 3) }, netObjective(strided), 'g', randomShard(strided, 2, 9, 7, 3));
    } finally {
      setWeightGradForm('taps');
    }
  });
});

test("conv weight gradients come out in the parameters' HWIO order: no transpose back, also for a net run three times", () => {
  const spec = patchDiscriminator({ inChannels: 1, channels: [4, 8] });
  const shard: HostBatch = { x: { data: new Rng(1).normalArray(2 * 8 * 8), shape: [2, 8, 8, 1] } };
  const obj = <T>(e: LossEnv<T>): T => {
    const x = e.input('x'),
      score = (v: T) => e.ops.mean(e.run('d', { x: v }));
    return e.ops.add(e.ops.add(score(x), score(e.ops.mul(x, 2))), score(e.ops.neg(x)));
  };
  const t = traceObjective(obj, { d: spec }, 'd', shard, new Rng(2));
  const { outputs } = trainingOutputs(t, 'd');
  const live = t.graph.liveValues(outputs.map((o) => o.id));
  const filters = spec.params.filter((p) => p.shape.length === 4).map((p) => p.shape.join());
  expect(filters.length).toBeGreaterThan(1);
  const back = t.graph.nodes.filter((n) => live[n.out] && n.prim === 'Transpose' && filters.includes(t.graph.shape(n.out).join()));
  expect(back).toEqual([]);
});

d('a net run twice on one input is traced once', () => {
  // time-conditioned: its embedding's frequencies are a fixed constant, one value for both runs
  const spec = patchDiscriminator({ inChannels: 1, channels: [4, 8], embDim: 8 });
  const shard: HostBatch = {
    x: { data: new Rng(3).normalArray(2 * 8 * 8), shape: [2, 8, 8, 1] },
    t: { data: Float32Array.from([0.25, 0.75]), shape: [2] },
  };
  const once = <T>(e: LossEnv<T>): T => e.ops.mean(e.run('d', { x: e.input('x'), t: e.input('t') }));
  // a second use of the same output, through a second call (as R1's unmoved score is)
  const twice = <T>(e: LossEnv<T>): T => e.ops.add(once(e), e.ops.mean(e.ops.square(e.run('d', { x: e.input('x'), t: e.input('t') }))));
  const convs = (objective: typeof once) => traceObjective(objective, { d: spec }, 'd', shard, new Rng(2)).graph.nodes.filter((n) => n.prim === 'Conv').length;

  test('one Conv node per conv of the net', () => {
    expect(convs(once)).toBe(spec.nodes.filter((n) => n.op === 'conv').length);
    expect(convs(twice)).toBe(convs(once));
  });
  test('its gradient is the sum over both uses, as tfjs autodiff has it', async () => {
    await expectParity({ d: createModel(spec, 2) }, twice, 'd', shard);
  });
});

// -- training runs ------------------------------------------------------------------------

const taskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-task-'));
const taskModule = path.join(taskDir, 'task.js');
fs.writeFileSync(
  taskModule,
  `
const core = { ...require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'dist', 'index.js'))}), ...require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'dist', 'train.js'))}) };
exports.createTask = () => ({
  phases: ['d', 'g'],
  sampleBatch(rng, n) { return { x: { data: rng.normalArray(n * 8 * 8 * 2), shape: [n, 8, 8, 2] }, z: { data: rng.normalArray(n * 8 * 8 * 2), shape: [n, 8, 8, 2] } }; },
  objective(e) {
    const o = e.ops, x = e.input('x'), fake = e.run('g', { x: e.input('z') });
    if (e.phase === 'd') return core.discriminatorLoss('lsgan', e.run('d', { x }), e.run('d', { x: fake }), o);
    return o.add(core.generatorLoss('lsgan', e.run('d', { x: fake }), o), core.l1Loss(o, fake, o.tanh(x)));
  },
});
`,
);

function nets(): { g: Model; d: Model } {
  const g = single('tiny_g', (b) => b.output('y', b.conv(b.act(b.conv(b.input('x', 'image', 2), 8), 'leakyRelu'), 2)));
  const dd = single('tiny_d', (b) => b.output('s', b.conv(b.act(b.conv(b.avgPool(b.input('x', 'image', 2)), 8), 'leakyRelu'), 1)));
  return { g: createModel(g, 1), d: createModel(dd, 2) };
}
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'engine-run-'));
const trainerFor = (dir: string, steps: number) => {
  const m = nets();
  return new Trainer({
    dir,
    steps,
    seed: 3,
    groups: { g: { model: m.g, adam: { lr: 2e-3 }, ema: 0.9 }, d: { model: m.d, adam: { lr: 2e-3, beta1: 0.5 } } },
    progress: false,
    logEvery: 1,
    checkpointEvery: 10,
  });
};
const losses = (dir: string) =>
  fs
    .readFileSync(path.join(dir, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .map((r) => [r.d, r.g] as number[]);
const params = (dir: string) => decodeTensors(fs.readFileSync(path.join(dir, 'checkpoint.dgw'))).tensors;

function expectClose(a: Map<string, { data: Float32Array }>, b: Map<string, { data: Float32Array }>, tol: number): void {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, v] of a) {
    const w = b.get(k)!.data;
    let scale = 0,
      diff = 0;
    for (let i = 0; i < v.data.length; i++) {
      scale = Math.max(scale, Math.abs(v.data[i]));
      diff = Math.max(diff, Math.abs(v.data[i] - w[i]));
    }
    if (diff > tol * Math.max(scale, 1e-3)) throw new Error(`${k}: max diff ${diff} vs scale ${scale}`);
  }
}

d('training on onnxruntime', () => {
  test('50 GAN steps (d and g phases, Adam, EMA) give the losses and parameters of tfjs within 1e-3 relative', async () => {
    const runs: Record<string, string> = {};
    for (const runtime of ['tfjs', 'onnxruntime'] as const) {
      const dir = tmp(),
        tr = trainerFor(dir, 50);
      await runParallel(tr, { taskModule, batchSize: 6, workers: 1, runtime });
      expect(tr.runtime).toBe(runtime);
      runs[runtime] = dir;
    }
    const a = losses(runs.tfjs),
      b = losses(runs.onnxruntime);
    expect(b).toHaveLength(50);
    a.forEach((l, i) => l.forEach((v, j) => expect(Math.abs(b[i][j] - v)).toBeLessThan(1e-3 * Math.abs(v) + 1e-6)));
    expectClose(params(runs.tfjs), params(runs.onnxruntime), 1e-3);
  });

  test('a checkpoint written on tfjs resumes on onnxruntime and back, matching an uninterrupted run', async () => {
    const whole = tmp();
    await runParallel(trainerFor(whole, 30), { taskModule, batchSize: 4, workers: 1, runtime: 'tfjs' });
    const split = tmp();
    await runParallel(trainerFor(split, 10), { taskModule, batchSize: 4, workers: 1, runtime: 'tfjs' });
    const resumed = trainerFor(split, 20);
    expect(resumed.resumed && resumed.step).toBe(10);
    await runParallel(resumed, { taskModule, batchSize: 4, workers: 2, runtime: 'onnxruntime' });
    const back = trainerFor(split, 30);
    expect(back.step).toBe(20);
    await runParallel(back, { taskModule, batchSize: 4, workers: 1, runtime: 'tfjs' });
    expectClose(params(whole), params(split), 1e-3);
  });

  test('memory stays flat over 2,000 steps (RSS growth under 50 MB)', async () => {
    const dir = tmp(),
      tr = trainerFor(dir, 2000);
    let rssAt200 = 0;
    const orig = tr.saveCheckpoint.bind(tr);
    tr.saveCheckpoint = () => {
      if (tr.step === 200) {
        global.gc?.();
        rssAt200 = process.memoryUsage().rss;
      }
      orig();
    };
    await runParallel(tr, { taskModule, batchSize: 4, workers: 2, runtime: 'onnxruntime' });
    global.gc?.();
    const growth = (process.memoryUsage().rss - rssAt200) / 2 ** 20;
    expect(rssAt200).toBeGreaterThan(0);
    expect(growth).toBeLessThan(50);
  }, 300000);

  test('asking for an execution provider that is not there falls back to cpu with a one-line warning', async () => {
    const spec = stem;
    const { compileTrace, traceObjective } = await import('./ort-step');
    const t = traceObjective((e) => e.ops.mean(e.run('g', { x: e.input('x') })), { g: spec }, 'g', stemShard, new Rng(1));
    const warnings: string[] = [];
    const { session, provider } = await createSession(loadOrt() as unknown as OrtModule, compileTrace(t, 'g').model, {
      executionProvider: 'cuda',
      warn: (l) => warnings.push(l),
    });
    expect(provider).toBe('cpu');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/execution provider 'cuda' is not available.*using cpu/);
    expect(warnings[0]).not.toContain('\n');
    await session.release();
  });
});
