/**
 * A data-parallel training worker: a replica of each model and one task. On tfjs it has its
 * own tfjs-wasm; on onnxruntime it keeps the parameters as host arrays and runs the
 * engine's compiled training graph (one single-threaded session per phase by default).
 */
import { parentPort, workerData } from 'worker_threads';
import { tf } from '../tf';
import { initBackend } from '../backend';
import { Rng } from '../rng';
import { Model, forward } from '../model';
import { GraphSpec } from '../graph';
import { lossAndGrads } from './adam';
import { stepSeed } from './parallel';
import type { HostBatch, ParallelTask, TaskFactory, TrainRuntime } from './parallel';
import { makeEnv } from '../engine/objective';
import { tfOps } from '../ops/tfjs-ops';
import { OrtEngine } from '../engine/ort-step';
import type { OrtModule } from '../onnx/ort-session';
import { loadOrt } from '../onnx/runner';

interface GroupInfo {
  spec: GraphSpec;
  names: string[];
  shapes: number[][];
  offsets: number[];
  total: number;
}
const data = workerData as {
  index: number;
  taskModule: string;
  taskConfig: unknown;
  groups: Record<string, GroupInfo>;
  paramSab: Record<string, SharedArrayBuffer>;
  gradSab: Record<string, SharedArrayBuffer>;
  runtime: TrainRuntime;
  threads: number;
  executionProvider: string;
};
const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
type Gradients = (task: ParallelTask, shard: HostBatch, phase: string, rng: Rng) => Promise<{ loss: number; grads: Map<string, Float32Array> }>;

/** tfjs: tf.Variables per group, loaded from the shared buffer when the main thread publishes. */
async function tfjsRuntime(): Promise<{ load(name: string): void; gradients: Gradients }> {
  await initBackend();
  const models: Record<string, Model> = {};
  for (const [name, g] of Object.entries(data.groups)) {
    models[name] = { spec: g.spec, params: new Map(g.names.map((n, k) => [n, tf.variable(tf.zeros(g.shapes[k]), true, `w${data.index}/${name}/${n}`)])) };
  }
  const specs = Object.fromEntries(Object.entries(data.groups).map(([k, g]) => [k, g.spec]));
  return {
    load(name) {
      const g = data.groups[name],
        view = new Float32Array(data.paramSab[name]);
      g.names.forEach((n, k) =>
        tf.tidy(() => models[name].params.get(n)!.assign(tf.tensor(view.slice(g.offsets[k], g.offsets[k] + size(g.shapes[k])), g.shapes[k]))),
      );
    },
    async gradients(task, shard, phase, rng) {
      const lossFn = task.objective
        ? () => task.objective!(makeEnv(tfOps, specs, phase, shard, rng, (grp, ins) => forward(models[grp].spec, models[grp].params, ins))) as tf.Scalar
        : () => task.loss!(models, shard, phase, rng);
      const { loss, grads } = lossAndGrads(lossFn, models[phase].params);
      const out = new Map<string, Float32Array>();
      for (const [k, t] of grads) {
        out.set(k, t.dataSync() as Float32Array);
        t.dispose();
      }
      return { loss, grads: out };
    },
  };
}

/** onnxruntime: host copies of the parameters, fed to the compiled graph. */
function ortRuntime(): { load(name: string): void; gradients: Gradients } {
  const ort = loadOrt();
  if (!ort) throw new Error('onnxruntime-node is not installed');
  const specs = Object.fromEntries(Object.entries(data.groups).map(([k, g]) => [k, g.spec]));
  const engine = new OrtEngine(ort as unknown as OrtModule, specs, {
    threads: data.threads,
    executionProvider: data.executionProvider,
    warn: (l) => parentPort!.postMessage({ type: 'warn', message: l }),
  });
  const host = new Map<string, Float32Array>();
  return {
    load(name) {
      const g = data.groups[name],
        copy = new Float32Array(data.paramSab[name]).slice();
      g.names.forEach((n, k) => host.set(`${name}/${n}`, copy.subarray(g.offsets[k], g.offsets[k] + size(g.shapes[k]))));
    },
    gradients: (task, shard, phase, rng) => engine.gradients(task.objective!, phase, shard, rng, (key) => host.get(key)!),
  };
}

async function main(): Promise<void> {
  const task = await (require(data.taskModule) as { createTask: TaskFactory }).createTask(data.taskConfig, 'worker');
  if (!task.objective && !task.loss) throw new Error('task has no objective');
  const rt = data.runtime === 'onnxruntime' ? ortRuntime() : await tfjsRuntime();
  const loaded: Record<string, number> = {};
  let queue = Promise.resolve();
  parentPort!.on(
    'message',
    (m: { type: string; id: number; phase: string; step: number; shardIndex: number; versions: Record<string, number>; shard: HostBatch }) => {
      if (m.type !== 'step') return;
      queue = queue.then(async () => {
        try {
          const t0 = performance.now();
          for (const [name, v] of Object.entries(m.versions))
            if (loaded[name] !== v) {
              rt.load(name);
              loaded[name] = v;
            }
          const { loss, grads } = await rt.gradients(task, m.shard, m.phase, new Rng(stepSeed(m.step, m.shardIndex, m.phase)));
          const g = data.groups[m.phase],
            out = new Float32Array(data.gradSab[m.phase]);
          g.names.forEach((n, k) => {
            const t = grads.get(n);
            if (t) out.set(t, g.offsets[k]);
            else out.fill(0, g.offsets[k], g.offsets[k] + size(g.shapes[k]));
          });
          parentPort!.postMessage({ type: 'done', id: m.id, loss, ms: performance.now() - t0 });
        } catch (e) {
          parentPort!.postMessage({ type: 'fail', id: m.id, message: (e as Error).message.split('\n')[0] });
        }
      });
    },
  );
  parentPort!.postMessage({ type: 'ready' });
}

main().catch((e) => parentPort!.postMessage({ type: 'error', message: (e as Error).message.split('\n')[0] }));
