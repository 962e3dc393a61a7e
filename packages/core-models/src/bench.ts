/**
 * npm run bench -w @diffgan/core-models
 * One run, one table: training-step time of the 8-conv 48-channel x4 upscaler (batch 16,
 * 48x48 LR patches, L1, Adam) on wasm and cpu, and 256x256 → 1024x1024 inference on
 * tfjs-wasm and onnxruntime-node (1 and 2 threads), with GFLOP/s. Each backend runs in
 * its own child process (a backend is chosen once per process).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';

type Row = Record<string, string | number>;
/** The seed-table experiment's MNIST diffusion UNet (packages/eval/src/seed-table/common.ts unetSpec). */
const MNIST_UNET = { inChannels: 1, outChannels: 1, channels: [16, 32, 64], blocksPerLevel: 1, embDim: 32, groups: 8 };

function child(mode: string, env: Record<string, string> = {}): Row {
  const r = spawnSync(process.execPath, [__filename, '--child', mode], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function runChild(mode: string): Promise<Row> {
  const core = await import('./index');
  const { tf } = core;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const spec = core.benchUpscaler();
  if (mode.startsWith('train')) {
    const [, backend, batchStr, repStr] = mode.split(':');
    const batch = Number(batchStr), reps = Number(repStr);
    await core.initBackend({ backend: backend as 'wasm' | 'cpu' });
    const model = core.createModel(spec, 1);
    const opt = new core.Adam({ lr: 1e-4 });
    const rng = new core.Rng(1);
    const x = tf.tensor4d(rng.normalArray(batch * 48 * 48 * 3).map((v) => 0.5 + 0.2 * v), [batch, 48, 48, 3]);
    const y = tf.tensor4d(rng.normalArray(batch * 192 * 192 * 3).map((v) => 0.5 + 0.2 * v), [batch, 192, 192, 3]);
    const step = () => {
      const { grads } = core.lossAndGrads(() => tf.losses.absoluteDifference(y, core.apply(model, { lr: x })) as ReturnType<typeof tf.scalar>, model.params);
      opt.apply(model.params, grads);
      tf.dispose([...grads.values()]);
    };
    const times: number[] = [];
    for (let i = 0; i < reps + (reps > 1 ? 1 : 0); i++) { const t0 = performance.now(); step(); times.push(performance.now() - t0); }
    const flops = core.countFlops(spec, [48, 48], batch) * 3; // forward + two backward convs
    const s = median(reps > 1 ? times.slice(1) : times) / 1000;
    return { mode, seconds: s, gflops: flops / s / 1e9, batch };
  }
  if (mode.startsWith('dp')) {
    const [, kind, workersStr] = mode.split(':');
    const workers = Number(workersStr);
    await core.initBackend({ backend: 'wasm' });
    const spec = kind === 'upscaler' ? core.benchUpscaler() : core.unet(MNIST_UNET);
    const batch = kind === 'upscaler' ? 16 : 64;
    const fs = await import('fs');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-'));
    const steps = kind === 'upscaler' ? 14 : 24, window = 2;
    const trainer = new core.Trainer({ dir, steps, groups: { g: { model: core.createModel(spec, 1), adam: { lr: 1e-4 } } }, progress: false, logEvery: window, checkpointEvery: 1e9 });
    await core.runParallel(trainer, { taskModule: path.join(__dirname, 'bench-tasks.js'), taskConfig: { kind }, batchSize: batch, workers });
    const rows = fs.readFileSync(trainer.logPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const timed = rows.slice(2); // drop warm-up windows (worker start, first compiles)
    const itS = timed.length / timed.reduce((a, r) => a + 1 / r.it_s, 0);
    const last = rows[rows.length - 1];
    fs.rmSync(dir, { recursive: true, force: true });
    return { mode, stepsPerSecond: itS, batch, dataWaitMs: last.data_wait_ms, stepMs: last.step_ms, dataMs: last.data_ms };
  }
  // inference, 1x256x256x3 → 1x1024x1024x3
  const [, runtime, threadsStr] = mode.split(':');
  const threads = Number(threadsStr);
  const rng = new core.Rng(2);
  const input = { data: Float32Array.from(rng.normalArray(256 * 256 * 3), (v) => 0.5 + 0.2 * v), shape: [1, 256, 256, 3] };
  await core.initBackend({ backend: 'wasm' });
  const m = core.createModel(spec, 1);
  const weights = new Map([...m.params].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync() as Float32Array }]));
  const runner = runtime === 'ort' ? await core.createOrtRunner(core.exportOnnx(spec, weights), threads) : await core.createTfjsRunner(spec, weights);
  await runner.run({ lr: input });
  const times: number[] = [];
  for (let i = 0; i < 7; i++) { const t0 = performance.now(); await runner.run({ lr: input }); times.push(performance.now() - t0); }
  const s = median(times) / 1000;
  return { mode, seconds: s, gflops: core.countFlops(spec, [256, 256]) / s / 1e9 };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') { process.stdout.write(JSON.stringify(await runChild(process.argv[3])) + '\n'); return; }
  const log = (s: string) => process.stderr.write(s + '\n');
  log('core-models bench: training steps (wasm, cpu), then inference (tfjs-wasm, ORT 1/2 threads)...');
  const wasm = child('train:wasm:16:5'); log(`  wasm train step ${wasm.seconds}`);
  const cpu = child('train:cpu:16:1'); log(`  cpu train step ${cpu.seconds}`);
  const cpuStock = child('train:cpu:2:1', { DIFFGAN_STOCK_CPU_GRADS: '1' }); log(`  cpu stock (batch 2) ${cpuStock.seconds}`);
  const tfjsInf = child('infer:tfjs:1'); log(`  tfjs-wasm inference ${tfjsInf.seconds}`);
  const ort1 = child('infer:ort:1'); log(`  ORT 1 thread ${ort1.seconds}`);
  const ort2 = child('infer:ort:2'); log(`  ORT 2 threads ${ort2.seconds}`);
  const dp: Record<string, Row> = {};
  for (const kind of ['upscaler', 'unet']) for (const w of [1, 2]) { dp[`${kind}:${w}`] = child(`dp:${kind}:${w}`); log(`  data-parallel ${kind} workers ${w}: ${Number(dp[`${kind}:${w}`].stepsPerSecond).toFixed(3)} steps/s`); }
  const f = (n: number, d = 2) => Number(n).toFixed(d);
  const stockScaled = Number(cpuStock.seconds) * 8;
  const md = [
    `Machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| what | runtime | time | GFLOP/s | vs baseline |',
    '|---|---|---|---|---|',
    `| train step, batch 16 (48→192 px) | tfjs wasm + our conv-grad kernels | ${f(Number(wasm.seconds))} s | ${f(Number(wasm.gflops), 1)} | **${f(Number(cpu.seconds) / Number(wasm.seconds), 1)}x** cpu, ${f(stockScaled / Number(wasm.seconds), 0)}x stock cpu |`,
    `| train step, batch 16 | tfjs cpu + our conv-grad kernels | ${f(Number(cpu.seconds))} s | ${f(Number(cpu.gflops), 2)} | 1x (baseline) |`,
    `| train step, batch 2 (x8 = batch-16 estimate) | tfjs cpu, stock autodiff | ${f(Number(cpuStock.seconds))} s (x8 ≈ ${f(stockScaled, 0)} s) | ${f(Number(cpuStock.gflops), 3)} | |`,
    `| inference 256→1024 | tfjs wasm (1 thread) | ${f(Number(tfjsInf.seconds), 3)} s | ${f(Number(tfjsInf.gflops), 1)} | 1x (baseline) |`,
    `| inference 256→1024 | onnxruntime-node, 1 thread | ${f(Number(ort1.seconds), 3)} s | ${f(Number(ort1.gflops), 1)} | ${f(Number(tfjsInf.seconds) / Number(ort1.seconds), 1)}x |`,
    `| inference 256→1024 | onnxruntime-node, 2 threads | ${f(Number(ort2.seconds), 3)} s | **${f(Number(ort2.gflops), 1)}** | ${f(Number(tfjsInf.seconds) / Number(ort2.seconds), 1)}x |`,
    '',
    'Data-parallel training (`workers`; tfjs-wasm in each worker thread; global batch split across workers; one Adam update):',
    '',
    '| model | global batch | workers | steps/s | 2-vs-1 | data wait per step | share of step time |',
    '|---|---|---|---|---|---|---|',
    ...['upscaler', 'unet'].flatMap((kind) => [1, 2].map((w) => {
      const r = dp[`${kind}:${w}`], one = dp[`${kind}:1`];
      const name = kind === 'upscaler' ? 'x4 upscaler (8 conv, 48 ch, 48x48 LR)' : 'MNIST diffusion UNet [16, 32, 64] (seed table), 28x28';
      return `| ${name} | ${r.batch} | ${w} | ${f(Number(r.stepsPerSecond), 3)} | ${w === 2 ? `**${f(Number(r.stepsPerSecond) / Number(one.stepsPerSecond))}x**` : '1x'} | ${f(Number(r.dataWaitMs), 2)} ms | ${f((100 * Number(r.dataWaitMs)) / Number(r.stepMs), 2)}% |`;
    })),
  ].join('\n');
  const out = path.resolve(__dirname, '..', 'bench');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'results.md'), md + '\n');
  fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify({ wasm, cpu, cpuStock, tfjsInf, ort1, ort2, dataParallel: dp, date: new Date().toISOString() }, null, 2) + '\n');
  process.stdout.write(md + '\n');
}

main().catch((e) => { process.stderr.write(`bench: ${e.message}\n`); process.exit(1); });
