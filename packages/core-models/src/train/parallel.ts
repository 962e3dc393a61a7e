/**
 * Data-parallel training on every core: N worker_threads, each with its own tfjs-wasm
 * instance and a replica of every model. Per step and phase, the main thread splits the
 * global batch, each worker computes gradients on its share, the main thread averages them
 * and applies one Adam (+EMA) update, and the new parameters reach the workers through a
 * SharedArrayBuffer. Replicas never drift: there is one optimizer, in one place.
 *
 * All randomness that decides the data (crops, noise levels, latents) is drawn by the task's
 * sampleBatch on the main thread from the trainer's seeded RNG, so results do not depend on
 * the worker count; the next batch is sampled while the workers compute the current one.
 */
import * as path from 'path';
import * as fs from 'fs';
import { Worker } from 'worker_threads';
import { builtModulePath } from '../built-module-path';

export { builtModulePath };
import { tf } from '../tf';
import { Rng } from '../rng';
import { Model } from '../model';
import { GraphSpec } from '../graph';
import { DiffganError, warnLine } from '../errors';
import type { Trainer } from './trainer';
import type { HostBatch, Objective } from '../engine/objective';
import { defaultWorkerCount, resolveTrainRuntime, type TrainRuntime } from './runtime';

export { defaultWorkerCount, resolveTrainRuntime, type TrainRuntime } from './runtime';

export type { HostBatch } from '../engine/objective';

export interface ParallelTask {
  /** Trainer groups updated each step, in order (e.g. ['d', 'g'] for a GAN). */
  phases: string[];
  /** Main thread: the global batch for a step; all data randomness must come from `rng`, which is seeded by (trainer seed, step). */
  sampleBatch?(rng: Rng, batchSize: number, step: number): HostBatch | Promise<HostBatch>;
  /** Worker: the loss of `env.phase` on a shard, written once for both runtimes; `env.rng` is seeded per (step, shard, phase). */
  objective?: Objective;
  /** Worker, tfjs only: the loss as tfjs code. A task with only this trains on tfjs (with a warning when onnxruntime was asked for). */
  loss?(models: Record<string, Model>, shard: HostBatch, phase: string, rng: Rng): tf.Scalar;
}

/** A task module exports `createTask(config, role)`; workers load it by path. */
export type TaskFactory = (config: unknown, role: 'main' | 'worker') => ParallelTask | Promise<ParallelTask>;

export interface ParallelOptions {
  /** Absolute path of a JS module exporting createTask. */
  taskModule: string;
  taskConfig?: unknown;
  batchSize: number;
  /** Default: one per core; 1 when a native tfjs-node backend threads by itself. */
  workers?: number;
  /** 'auto' (default, or DIFFGAN_TRAIN_RUNTIME): onnxruntime when it loads and the task has an objective, else tfjs. */
  runtime?: TrainRuntime | 'auto';
  /** onnxruntime: intra-op threads per worker (default 1) */
  threads?: number;
  /** onnxruntime: execution provider to ask for (default 'cpu'; falls back to cpu with a warning) */
  executionProvider?: string;
  /** where one-line notices go (default stderr) */
  warn?: (line: string) => void;
  /** stop at this step (default: the trainer's total), e.g. to train in chunks */
  until?: number;
  /** the phases the caller expects (a recipe's), checked against the task's before any worker starts */
  phases?: readonly string[];
}

/** A seed for one (step, stream, label): batches depend on the step, not on prefetch order. */
export function stepSeed(step: number, stream: number, label = ''): number {
  let h = (Math.imul(step + 1, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

interface GroupLayout {
  spec: GraphSpec;
  names: string[];
  shapes: number[][];
  offsets: number[];
  total: number;
}

function layoutOf(model: Model): GroupLayout {
  const names = [...model.params.keys()];
  const shapes = names.map((n) => model.params.get(n)!.shape);
  const offsets: number[] = [];
  let total = 0;
  for (const s of shapes) {
    offsets.push(total);
    total += s.reduce((a, b) => a * b, 1);
  }
  return { spec: model.spec, names, shapes, offsets, total };
}

/** Splits every array of the batch along dim 0 into `parts` nearly equal shards. */
export function splitBatch(batch: HostBatch, parts: number): { shard: HostBatch; weight: number }[] {
  const n = Object.values(batch)[0].shape[0];
  const out: { shard: HostBatch; weight: number }[] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const size = Math.floor(n / parts) + (p < n % parts ? 1 : 0);
    if (!size) continue;
    const shard: HostBatch = {};
    for (const [k, v] of Object.entries(batch)) {
      if (v.shape[0] !== n) throw new DiffganError(`batch entry '${k}' has ${v.shape[0]} rows, expected ${n}`);
      const row = v.data.length / n;
      shard[k] = { data: v.data.slice(start * row, (start + size) * row), shape: [size, ...v.shape.slice(1)] };
    }
    out.push({ shard, weight: size / n });
    start += size;
  }
  return out;
}

function workerScript(): string {
  const js = builtModulePath(__dirname, 'parallel-worker.js');
  if (!fs.existsSync(js)) throw new DiffganError('parallel-worker.js not found: build @diffgan/core-models first (npm run build)');
  return js;
}

export class WorkerPool {
  private workers: Worker[] = [];
  private layouts: Record<string, GroupLayout> = {};
  private paramViews: Record<string, Float32Array> = {};
  private gradViews: Record<string, Float32Array>[] = [];
  private versions: Record<string, number> = {};
  private failure: Error | null = null;
  private pending = new Map<number, { resolve: (v: { loss: number; ms: number }) => void; reject: (e: Error) => void }>();

  private constructor(readonly size: number) {}

  static async start(trainer: Trainer, opts: ParallelOptions, size: number, runtime: TrainRuntime = 'tfjs'): Promise<WorkerPool> {
    const pool = new WorkerPool(size);
    const groups: Record<string, unknown> = {};
    const paramSab: Record<string, SharedArrayBuffer> = {};
    for (const [name, g] of Object.entries(trainer.groups)) {
      const lay = layoutOf(g.model);
      pool.layouts[name] = lay;
      paramSab[name] = new SharedArrayBuffer(lay.total * 4);
      pool.paramViews[name] = new Float32Array(paramSab[name]);
      pool.publish(name, trainer);
      groups[name] = { spec: lay.spec, names: lay.names, shapes: lay.shapes, offsets: lay.offsets, total: lay.total };
    }
    const script = workerScript();
    const ready: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const gradSab: Record<string, SharedArrayBuffer> = {};
      const views: Record<string, Float32Array> = {};
      for (const [name, lay] of Object.entries(pool.layouts)) {
        gradSab[name] = new SharedArrayBuffer(lay.total * 4);
        views[name] = new Float32Array(gradSab[name]);
      }
      pool.gradViews.push(views);
      const w = new Worker(script, {
        workerData: {
          index: i,
          taskModule: opts.taskModule,
          taskConfig: opts.taskConfig ?? null,
          groups,
          paramSab,
          gradSab,
          runtime,
          threads: opts.threads ?? 1,
          executionProvider: opts.executionProvider ?? 'cpu',
        },
      });
      pool.workers.push(w);
      ready.push(
        new Promise((resolve, reject) => {
          const onMsg = (m: { type: string; message?: string }) => {
            if (m.type === 'ready') {
              w.off('message', onMsg);
              resolve();
            } else if (m.type === 'error') reject(new DiffganError(`training worker ${i}: ${m.message}`));
          };
          w.on('message', onMsg);
          w.once('error', reject);
        }),
      );
      w.on('message', (m: { type: string; id?: number; loss?: number; ms?: number; message?: string }) => {
        if (m.type === 'warn') (opts.warn ?? warnLine)(m.message!);
        if (m.type !== 'done' && m.type !== 'fail') return;
        const p = pool.pending.get(m.id!);
        if (!p) return;
        pool.pending.delete(m.id!);
        if (m.type === 'done') p.resolve({ loss: m.loss!, ms: m.ms! });
        else p.reject(new DiffganError(`training worker ${i}: ${m.message}`));
      });
      const die = (why: string) => {
        pool.failure = pool.failure ?? new DiffganError(`training worker ${i} ${why}; the last checkpoint is intact, rerun to resume`);
        for (const [, p] of pool.pending) p.reject(pool.failure);
        pool.pending.clear();
      };
      w.on('error', (e) => die(`crashed (${e.message.split('\n')[0]})`));
      w.on('exit', (code) => {
        if (!pool.stopping) die(`exited (code ${code})`);
      });
    }
    await Promise.all(ready);
    return pool;
  }

  private stopping = false;
  private nextId = 0;

  /** Copies a group's current parameters into the shared buffer the workers read. */
  publish(name: string, trainer: Trainer): void {
    const lay = this.layouts[name],
      view = this.paramViews[name];
    const params = trainer.groups[name].model.params;
    lay.names.forEach((n, k) => view.set(params.get(n)!.dataSync() as Float32Array, lay.offsets[k]));
    this.versions[name] = (this.versions[name] ?? 0) + 1;
  }

  /** Runs one phase on all shards; returns the weighted mean loss and averaged gradients. */
  async gradients(
    phase: string,
    shards: { shard: HostBatch; weight: number }[],
    step: number,
  ): Promise<{ loss: number; grads: Map<string, Float32Array>; workerMs: number }> {
    if (this.failure) throw this.failure;
    const runs = shards.map(
      ({ shard }, i) =>
        new Promise<{ loss: number; ms: number }>((resolve, reject) => {
          const id = this.nextId++;
          this.pending.set(id, { resolve, reject });
          const transfer = Object.values(shard).map((v) => v.data.buffer as ArrayBuffer);
          this.workers[i].postMessage({ type: 'step', id, phase, step, shardIndex: i, versions: this.versions, shard }, transfer);
        }),
    );
    return this.collect(phase, shards, runs);
  }

  /** Starts a phase and returns a promise, so the caller can prepare the next batch meanwhile. */
  private async collect(phase: string, shards: { weight: number }[], runs: Promise<{ loss: number; ms: number }>[]) {
    const res = await Promise.all(runs);
    const lay = this.layouts[phase];
    const sum = new Float32Array(lay.total);
    let loss = 0;
    res.forEach((r, i) => {
      const w = shards[i].weight,
        g = this.gradViews[i][phase];
      for (let j = 0; j < lay.total; j++) sum[j] += w * g[j];
      loss += w * r.loss;
    });
    const grads = new Map<string, Float32Array>();
    lay.names.forEach((n, k) => grads.set(n, sum.subarray(lay.offsets[k], lay.offsets[k] + lay.shapes[k].reduce((a, b) => a * b, 1))));
    return { loss, grads, workerMs: Math.max(...res.map((r) => r.ms)) };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Runs the trainer's remaining steps data-parallel. Checkpoints, EMA, RNG and the log are
 * the trainer's own, in the same format as single-process training.
 */
export async function runParallel(trainer: Trainer, opts: ParallelOptions): Promise<void> {
  const factory = (require(opts.taskModule) as { createTask: TaskFactory }).createTask;
  const task = await factory(opts.taskConfig ?? null, 'main');
  if (!task.sampleBatch) throw new DiffganError('task has no sampleBatch');
  if (opts.phases && opts.phases.join() !== task.phases.join())
    throw new DiffganError(`${path.basename(opts.taskModule)}: the task updates ${task.phases.join(', ')} per step, not ${opts.phases.join(', ')}`);
  const warn = opts.warn ?? warnLine;
  const runtime = resolveTrainRuntime(opts.runtime, task, path.basename(opts.taskModule, '.js'), warn);
  const size = opts.workers ?? defaultWorkerCount(runtime);
  const pool = await WorkerPool.start(trainer, opts, size, runtime);
  trainer.runtime = runtime;
  let dataMs = 0,
    waitMs = 0,
    stepMs = 0,
    workerMs = 0,
    n = 0;
  const seed = trainer.opts.seed ?? 0;
  const sample = async (step: number): Promise<HostBatch> => {
    const t0 = performance.now();
    const b = await task.sampleBatch!(new Rng(stepSeed(step, seed, 'data')), opts.batchSize, step);
    dataMs += performance.now() - t0;
    return b;
  };
  try {
    let next: Promise<HostBatch> = sample(trainer.step);
    await trainer.run(async (tr) => {
      const t0 = performance.now();
      const batch = await next;
      waitMs += performance.now() - t0;
      const losses: Record<string, number> = {};
      let prefetched = false;
      for (const phase of task.phases) {
        const shards = splitBatch(batch, size);
        const pending = pool.gradients(phase, shards, tr.step);
        if (!prefetched) {
          next = sample(tr.step + 1);
          prefetched = true;
        } // overlaps the workers' compute
        const { loss, grads, workerMs: ms } = await pending;
        workerMs += ms;
        tr.applyGrads(phase, loss, grads);
        pool.publish(phase, tr);
        losses[phase] = loss;
      }
      stepMs += performance.now() - t0;
      n++;
      return { ...losses, data_wait_ms: waitMs / n, data_ms: dataMs / n, step_ms: stepMs / n, worker_ms: workerMs / n };
    }, opts.until);
  } finally {
    await pool.stop();
  }
}
