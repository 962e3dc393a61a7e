/**
 * npm run bench -w @diffgan/core-models
 * One run, one table: training steps/s and GFLOP/s of the x4 upscaler (batch 16, 48x48 LR),
 * the seed table's diffusion UNet (batch 64) and a DiffGAN-4 d+g step (batch 64), on tfjs-wasm
 * (1 and 2 workers) and onnxruntime (1 core; 2 cores as 2 single-threaded workers or as one
 * worker with 2 intra-op threads), each as a share of onnxruntime's inference GFLOP/s measured
 * in the same run. Then the engine's design measurements: one training graph vs separate
 * forward/backward sessions, the two conv weight-gradient forms, and where the time goes (per
 * ONNX op type). Every configuration runs in its own child process.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import type { BenchKind } from './bench-tasks';
import { median } from './stats';
import { defineCommand } from './cli/command';
import { writeBenchReport } from './cli/bench-report';
import type { BenchReport, ColumnSpec } from './cli/bench-report';

/** The package's both entries, loaded lazily so `--help` starts without tfjs. */
const loadCore = async () => ({ ...(await import('./index')), ...(await import('./train')) });

type Row = Record<string, number | string | Record<string, number>>;
const KINDS: BenchKind[] = ['upscaler', 'unet', 'diffgan'];
const BATCH: Record<BenchKind, number> = { upscaler: 16, unet: 64, diffgan: 64 };
const LABEL: Record<BenchKind, string> = {
  upscaler: 'x4 upscaler (8 conv, 48 ch), batch 16 of 48x48',
  unet: 'seed-table UNet [16, 32, 64], batch 64 of 28x28',
  diffgan: 'DiffGAN-4 d+g step (UNet G + 3-level D, R1), batch 64',
};

function child(mode: string): Row {
  const r = spawnSync(process.execPath, [__filename, '--child', mode], { env: process.env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function specsOf(kind: BenchKind): Promise<Record<string, import('./graph').GraphSpec>> {
  const core = await loadCore();
  const t = await import('./bench-tasks');
  if (kind === 'upscaler') return { g: core.benchUpscaler() };
  if (kind === 'unet') return { g: core.unet(t.MNIST_UNET) };
  return { g: core.unet(t.DIFFGAN_G, 'diffgan_g'), d: core.patchDiscriminator(t.DIFFGAN_D, 'diffgan_d') };
}

/** One step's batch (all phases) and the traced training graph of each phase: the work a step does. */
async function stepGraphs(kind: BenchKind, batch = BATCH[kind]) {
  const core = await loadCore();
  const { createTask } = await import('./bench-tasks');
  const task = createTask({ kind }),
    specs = await specsOf(kind);
  const shard = await task.sampleBatch!(new core.Rng(1), batch, 0);
  return { task, specs, shard, phases: task.phases };
}

async function runChild(mode: string): Promise<Row> {
  const core = await loadCore();
  const [what, kindStr, a, b, c] = mode.split(':');
  const kind = kindStr as BenchKind;
  if (what === 'train') {
    // runParallel end to end: sampling, workers, gradient averaging, Adam + EMA, publishing
    const [runtime, workers, threads] = [a as 'tfjs' | 'onnxruntime', Number(b), Number(c)];
    await core.initBackend({ backend: 'wasm' });
    const specs = await specsOf(kind);
    const steps = runtime === 'tfjs' ? (kind === 'upscaler' ? 12 : 10) : 30,
      window = 2;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'train-bench-'));
    const groups = Object.fromEntries(Object.entries(specs).map(([k, s], i) => [k, { model: core.createModel(s, i + 1), adam: { lr: 1e-4 } }]));
    const trainer = new core.Trainer({ dir, steps, groups, progress: false, logEvery: window, checkpointEvery: 1e9 });
    await core.runParallel(trainer, {
      taskModule: path.join(__dirname, 'bench-tasks.js'),
      taskConfig: { kind },
      batchSize: BATCH[kind],
      workers,
      runtime,
      threads,
    });
    const rows = fs
      .readFileSync(trainer.logPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const timed = rows.slice(runtime === 'tfjs' ? 1 : 3); // drop warm-up windows (worker start, graph compiles)
    fs.rmSync(dir, { recursive: true, force: true });
    return { mode, stepsPerSecond: timed.length / timed.reduce((s, r) => s + 1 / r.it_s, 0), runtime: trainer.runtime };
  }
  if (what === 'graph') {
    // one process, one thread: the step's phases as compiled graphs, without the trainer around them
    const variant = a as 'im2col' | 'taps' | 'conv' | 'split' | 'profile';
    const { task, specs, shard, phases } = await stepGraphs(kind);
    const ort = core.loadOrt()!;
    core.setWeightGradForm(variant === 'conv' || variant === 'im2col' ? variant : 'taps');
    const params = new Map<string, Float32Array>();
    Object.entries(specs).forEach(([g, s], i) => {
      const m = core.createModel(s, i + 1);
      for (const [k, v] of m.params) params.set(`${g}/${k}`, v.dataSync() as Float32Array);
      core.disposeModel(m);
    });
    const opts = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' } as const;
    const tensor = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);
    type Feeds = Record<string, InstanceType<typeof ort.Tensor>>;
    const runs: (() => Promise<void>)[] = [];
    const sessions: { endProfiling(): void; release(): Promise<void> }[] = [];
    const prefix = path.join(os.tmpdir(), `ort-profile-${process.pid}`);
    for (const phase of phases) {
      const t = core.traceObjective(task.objective!, specs, phase, shard, new core.Rng(2));
      const feedsOf = (names: string[]): Feeds =>
        Object.fromEntries(
          names
            .filter((n) => !n.startsWith('v'))
            .map((n) => {
              if (n.startsWith('p:')) return [n, tensor(params.get(n.slice(2))!, t.params.get(n.slice(2))!.shape)];
              const f = t.ops.feeds.get(n)!;
              return [n, tensor(f.data, f.shape)];
            }),
        );
      if (variant === 'split') {
        const sp = core.compileTraceSplit(t, phase);
        const fwd = await ort.InferenceSession.create(sp.forward, opts),
          bwd = await ort.InferenceSession.create(sp.backward, opts);
        sessions.push(fwd, bwd);
        const ff = feedsOf(sp.forwardInputs),
          bf = feedsOf(sp.backwardInputs);
        runs.push(async () => {
          const out = await fwd.run(ff);
          const feeds: Feeds = { ...bf };
          sp.saved.forEach((n) => {
            feeds[n] = out[`s${n.slice(1)}`] as InstanceType<typeof ort.Tensor>;
          });
          await bwd.run(feeds);
        });
      } else {
        const cc = core.compileTrace(t, phase);
        const s = await ort.InferenceSession.create(cc.model, {
          ...opts,
          ...(variant === 'profile' ? { enableProfiling: true, profileFilePrefix: `${prefix}-${phase}` } : {}),
        });
        sessions.push(s);
        const feeds = feedsOf(cc.inputNames);
        runs.push(async () => {
          await s.run(feeds);
        });
      }
    }
    const step = async () => {
      for (const r of runs) await r();
    };
    await step();
    const times: number[] = [];
    for (let i = 0; i < (kind === 'upscaler' ? 7 : 5); i++) {
      const t0 = performance.now();
      await step();
      times.push(performance.now() - t0);
    }
    const row: Row = { mode, ms: median(times) };
    if (variant === 'profile') {
      const byOp: Record<string, number> = {};
      for (const s of sessions) s.endProfiling();
      for (const f of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(path.basename(prefix)))) {
        const events = JSON.parse(fs.readFileSync(path.join(os.tmpdir(), f), 'utf8')) as {
          cat: string;
          name: string;
          dur: number;
          args?: { op_name?: string };
        }[];
        for (const e of events)
          if (e.cat === 'Node' && e.name.endsWith('_kernel_time') && e.args?.op_name) byOp[e.args.op_name] = (byOp[e.args.op_name] ?? 0) + e.dur;
        fs.rmSync(path.join(os.tmpdir(), f));
      }
      row.byOp = byOp;
    }
    for (const s of sessions) await s.release();
    return row;
  }
  // inference on onnxruntime: the x4 upscaler at 256→1024 ('x4-1024'), or a kind's nets forward at its training shapes
  const threads = Number(a);
  await core.initBackend({ backend: 'wasm' });
  const specs = kind === ('x4-1024' as BenchKind) ? { g: core.benchUpscaler() } : await specsOf(kind);
  const n = kind === ('x4-1024' as BenchKind) ? 1 : BATCH[kind];
  const hw: [number, number] = kind === ('x4-1024' as BenchKind) ? [256, 256] : kind === 'upscaler' ? [48, 48] : [28, 28];
  const rng = new core.Rng(2);
  const nets = await Promise.all(
    Object.values(specs).map(async (spec, i) => {
      const m = core.createModel(spec, i + 1);
      const weights = new Map([...m.params].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync() as Float32Array }]));
      const inputs = Object.fromEntries(
        spec.inputs.map((inp) => {
          const v = spec.values[inp.value];
          const shape = v.kind === 'image' ? [n, hw[0], hw[1], v.channels] : v.kind === 'vector' ? [n, v.channels] : [n];
          return [inp.name, { data: Float32Array.from(rng.normalArray(shape.reduce((x, y) => x * y, 1)), (x) => (v.kind === 'scalar' ? 500 : x)), shape }];
        }),
      );
      return { runner: await core.createOrtRunner(core.exportOnnx(spec, weights), threads), inputs, flops: core.countFlops(spec, hw, n) };
    }),
  );
  const pass = async () => {
    for (const x of nets) await x.runner.run(x.inputs);
  };
  await pass();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await pass();
    times.push(performance.now() - t0);
  }
  const s = median(times) / 1000;
  return { mode, seconds: s, gflops: nets.reduce((t, x) => t + x.flops, 0) / s / 1e9 };
}

/** What one run measured (bench/results.json): enough to render its report again. */
export interface CoreBenchResults {
  flops: Record<string, number>;
  inference: Row[];
  forward: Record<string, Row>;
  train: Record<string, Row>;
  graph: Record<string, Row>;
  date: string;
  /** the machine line; runs before this field was written give it to renderCoreBench by hand */
  env?: { cpu: string; cores: number; node: string; minutes: number };
}

const CONFIGS: [string, string][] = [
  ['tfjs', '1:1'],
  ['tfjs', '2:1'],
  ['onnxruntime', '1:1'],
  ['onnxruntime', '2:1'],
  ['onnxruntime', '1:2'],
];
const OP_GROUPS: [string, string[]][] = [
  ['Conv', ['Conv', 'FusedConv', 'NchwcConv']],
  ['ConvTranspose', ['ConvTranspose']],
  ['Gemm', ['Gemm', 'MatMul', 'FusedGemm', 'FusedMatMul']],
  ['windows (Slice, Concat, Pad)', ['Slice', 'Concat', 'Pad']],
  ['Transpose', ['Transpose']],
  [
    'elementwise and reductions',
    [
      'Add',
      'Sub',
      'Mul',
      'Div',
      'Where',
      'Greater',
      'GreaterOrEqual',
      'LessOrEqual',
      'Abs',
      'Neg',
      'Sigmoid',
      'Softplus',
      'Tanh',
      'Relu',
      'LeakyRelu',
      'Sqrt',
      'Exp',
      'Log',
      'Sin',
      'Cos',
      'ReduceSum',
      'ReduceMean',
      'Expand',
      'Max',
      'Min',
    ],
  ],
];

/** The engine designs the graph rows compare, with their column titles; taps is the engine's default. */
const DESIGNS: [variant: 'taps' | 'im2col' | 'conv' | 'split', title: string][] = [
  ['taps', 'one graph, weight grads as a Gemm per tap (default)'],
  ['im2col', 'one im2col matrix + one Gemm'],
  ['conv', 'Conv, batch and channels swapped'],
  ['split', 'forward + backward sessions (activations cross)'],
];

type Cells = Record<string, string>;
/** Columns of preformatted cells: `right` for the numbers. */
const cols = (spec: [key: string, title: string, right?: boolean][]): ColumnSpec<Cells>[] =>
  spec.map(([key, title, right]) => ({ key, title, align: right ? 'right' : 'left' }));

/** The report of a run: the training table, the engine design table and the per-op profile, with the machine line. */
export function renderCoreBench(r: CoreBenchResults): BenchReport {
  const env = r.env ?? { cpu: '?', cores: 0, node: '?', minutes: 0 };
  const f = (n: number, d = 2) => Number(n).toFixed(d);
  const sps = (k: string) => Number(r.train[k].stepsPerSecond);
  const gf = (kind: BenchKind, k: string) => (r.flops[kind] * sps(k)) / 1e9;
  const [inf1, inf2] = r.inference,
    infGf = Number(inf2.gflops);
  const train: Cells[] = [];
  for (const kind of KINDS)
    for (const [rt, wt] of CONFIGS) {
      const key = `${kind}:${rt}:${wt}`,
        [w, t] = wt.split(':').map(Number),
        cores = w * t;
      // inference on c cores: the better of one session with c threads and c single-threaded sessions side by side (c x one thread)
      const onCores = (one: number, two: number) => (cores === 1 ? one : Math.max(two, 2 * one));
      const base = `${kind}:tfjs:${cores}:1`,
        inf = onCores(Number(inf1.gflops), infGf),
        own = onCores(Number(r.forward[`${kind}:1`].gflops), Number(r.forward[`${kind}:2`].gflops));
      const ratio = rt === 'tfjs' ? (cores === 1 ? '1x' : `1x (${f(sps(key) / sps(`${kind}:tfjs:1:1`))}x one worker)`) : `**${f(sps(key) / sps(base), 1)}x**`;
      train.push({
        model: LABEL[kind],
        gflop: f(r.flops[kind] / 1e9, 1),
        runtime: rt === 'tfjs' ? 'tfjs-wasm' : 'onnxruntime',
        cores: String(cores),
        wt: `${w} x ${t}`,
        sps: f(sps(key), 3),
        gfs: f(gf(kind, key), 1),
        ratio,
        own: `${f((100 * gf(kind, key)) / own, 0)}% (of ${f(own, 0)})`,
        x4: `${f((100 * gf(kind, key)) / inf, 0)}%`,
      });
    }
  const design = KINDS.map((kind): Cells => {
    const ms = (v: string) => Number(r.graph[`${kind}:${v}`].ms),
      rel = (v: string) => `${f(ms(v), 0)} ms (${f(ms(v) / ms('taps'))}x)`;
    return { model: LABEL[kind], ...Object.fromEntries(DESIGNS.map(([v]) => [v, v === 'taps' ? `**${f(ms(v), 0)} ms**` : rel(v)])) };
  });
  const known = new Set(OP_GROUPS.flatMap(([, ops]) => ops));
  const profile = KINDS.map((kind): Cells => {
    const byOp = r.graph[`${kind}:profile`].byOp as Record<string, number>;
    const total = Object.values(byOp).reduce((a, b) => a + b, 0);
    const share = (ops: string[]) => (100 * ops.reduce((s, o) => s + (byOp[o] ?? 0), 0)) / total;
    const other = Object.keys(byOp).filter((o) => !known.has(o));
    return {
      model: LABEL[kind],
      ...Object.fromEntries(OP_GROUPS.map(([g, ops]) => [g, `${f(share(ops), 0)}%`])),
      other: `${f(share(other), 0)}%${other.length ? ` (${other.join(', ')})` : ''}`,
    };
  });
  return {
    intro: [
      `Machine: ${env.cpu}, ${env.cores} cores, Node ${env.node}; ${r.date.slice(0, 10)}; ${env.minutes} min.`,
      `onnxruntime inference of the x4 upscaler at 256→1024: ${f(Number(inf1.gflops), 0)} GFLOP/s on 1 thread, ${f(infGf, 0)} on 2. The last two columns compare each training row with onnxruntime inference (forward only, exported nets) on the same cores: of the same nets at the training shapes, and of the upscaler at 256→1024. Inference on 2 cores is the better of one session with 2 threads and 2x one thread (two sessions side by side, as training's workers run).`,
    ],
    tables: [
      {
        rows: train,
        columns: cols([
          ['model', 'model'],
          ['gflop', 'step GFLOP', true],
          ['runtime', 'runtime'],
          ['cores', 'cores', true],
          ['wt', 'workers x threads'],
          ['sps', 'steps/s', true],
          ['gfs', 'GFLOP/s', true],
          ['ratio', 'vs tfjs-wasm, same cores', true],
          ['own', "share of its nets' inference GFLOP/s", true],
          ['x4', 'share of x4 256→1024 inference', true],
        ]),
      },
      {
        before: ['Engine design measurements (one process, one thread, all phases of a step, medians):'],
        rows: design,
        columns: cols([['model', 'model'], ...DESIGNS.map(([v, title]): [string, string, boolean] => [v, title, true])]),
      },
      {
        before: ['Where the time goes (onnxruntime profile of one-thread steps, share of kernel time by ONNX op):'],
        rows: profile,
        columns: cols([['model', 'model'], ...OP_GROUPS.map(([g]): [string, string, boolean] => [g, g, true]), ['other', 'other', true]]),
      },
    ],
  };
}

/** The bench takes no options; --help says what it runs (`--child MODE` is how it runs each configuration). */
export const benchCommand = defineCommand({
  name: 'npm run bench -w @diffgan/core-models --',
  summary: "Training throughput (tfjs-wasm vs onnxruntime), the engine's graph forms, a per-op profile and inference GFLOP/s.",
  description:
    'About 8 minutes; every configuration runs in its own child process. Writes bench/results.{md,json}\nand the README block between its bench markers.',
  options: {},
});

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    process.stdout.write(JSON.stringify(await runChild(argv[1])) + '\n');
    return;
  }
  if (benchCommand.parse(argv).help) {
    process.stdout.write(benchCommand.help());
    return;
  }
  const core = await loadCore();
  if (!core.loadOrt()) throw new Error('onnxruntime-node is not installed: the benchmark compares it with tfjs');
  const log = (s: string) => process.stderr.write(s + '\n');
  const started = Date.now();
  log('core-models bench: training throughput (tfjs-wasm vs onnxruntime), graph forms, per-op profile, inference...');
  // FLOPs of a step: the convolutions and matrix products of every phase's training graph
  const flops: Record<string, number> = {};
  for (const kind of KINDS) {
    const { task, specs, shard, phases } = await stepGraphs(kind);
    flops[kind] = phases.reduce((s, p) => s + core.compileTrace(core.traceObjective(task.objective!, specs, p, shard, new core.Rng(2)), p).flops, 0);
  }
  const inf1 = child('infer:x4-1024:1'),
    inf2 = child('infer:x4-1024:2');
  log(`  inference ${Number(inf1.gflops).toFixed(0)} / ${Number(inf2.gflops).toFixed(0)} GFLOP/s (1 / 2 threads)`);
  const infer: Record<string, Row> = {};
  for (const kind of KINDS)
    for (const t of [1, 2]) {
      infer[`${kind}:${t}`] = child(`infer:${kind}:${t}`);
      log(`  ${kind} forward ${Number(infer[`${kind}:${t}`].gflops).toFixed(0)} GFLOP/s (${t} thread${t > 1 ? 's' : ''})`);
    }
  const train: Record<string, Row> = {};
  for (const kind of KINDS)
    for (const [rt, wt] of CONFIGS) {
      const key = `${kind}:${rt}:${wt}`;
      train[key] = child(`train:${kind}:${rt}:${wt}`);
      log(`  ${key}: ${Number(train[key].stepsPerSecond).toFixed(3)} steps/s`);
    }
  const graph: Record<string, Row> = {};
  for (const kind of KINDS)
    for (const v of [...DESIGNS.map(([v]) => v), 'profile']) {
      graph[`${kind}:${v}`] = child(`graph:${kind}:${v}`);
      log(`  graph ${kind} ${v}: ${Number(graph[`${kind}:${v}`].ms).toFixed(1)} ms`);
    }
  const results: CoreBenchResults = {
    flops,
    inference: [inf1, inf2],
    forward: infer,
    train,
    graph,
    date: new Date().toISOString(),
    env: { cpu: os.cpus()[0].model, cores: os.cpus().length, node: process.version, minutes: Math.round((Date.now() - started) / 60000) },
  };
  // the README's results block is this run's report, between its markers
  const pkg = path.resolve(__dirname, '..');
  const md = writeBenchReport(renderCoreBench(results), { base: path.join(pkg, 'bench', 'results'), json: results, readme: path.join(pkg, 'README.md') });
  process.stdout.write(md);
}

if (require.main === module)
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(1);
  });
