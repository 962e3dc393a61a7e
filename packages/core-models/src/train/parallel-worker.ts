/** A data-parallel training worker: its own tfjs-wasm, a replica of each model, one task. */
import { parentPort, workerData } from 'worker_threads';
import * as tf from '../tf';
import { initBackend } from '../backend';
import { Rng } from '../rng';
import { Model } from '../model';
import { GraphSpec } from '../graph';
import { lossAndGrads } from './adam';
import { stepSeed } from './parallel';
import type { HostBatch, TaskFactory } from './parallel';

interface GroupInfo { spec: GraphSpec; names: string[]; shapes: number[][]; offsets: number[]; total: number }
const data = workerData as { index: number; taskModule: string; taskConfig: unknown; groups: Record<string, GroupInfo>; paramSab: Record<string, SharedArrayBuffer>; gradSab: Record<string, SharedArrayBuffer> };

async function main(): Promise<void> {
  await initBackend();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const task = await (require(data.taskModule) as { createTask: TaskFactory }).createTask(data.taskConfig, 'worker');
  if (!task.loss) throw new Error('task has no loss function');
  const models: Record<string, Model> = {};
  const loaded: Record<string, number> = {};
  for (const [name, g] of Object.entries(data.groups)) {
    models[name] = { spec: g.spec, params: new Map(g.names.map((n, k) => [n, tf.variable(tf.zeros(g.shapes[k]), true, `w${data.index}/${name}/${n}`)])) };
    loaded[name] = -1;
  }
  const load = (name: string): void => {
    const g = data.groups[name], view = new Float32Array(data.paramSab[name]);
    g.names.forEach((n, k) => {
      const size = g.shapes[k].reduce((a, b) => a * b, 1);
      tf.tidy(() => models[name].params.get(n)!.assign(tf.tensor(view.slice(g.offsets[k], g.offsets[k] + size), g.shapes[k])));
    });
  };
  parentPort!.on('message', (m: { type: string; id: number; phase: string; step: number; shardIndex: number; versions: Record<string, number>; shard: HostBatch }) => {
    if (m.type !== 'step') return;
    try {
      const t0 = performance.now();
      for (const [name, v] of Object.entries(m.versions)) if (loaded[name] !== v) { load(name); loaded[name] = v; }
      const rng = new Rng(stepSeed(m.step, m.shardIndex, m.phase));
      const { loss, grads } = lossAndGrads(() => task.loss!(models, m.shard, m.phase, rng), models[m.phase].params);
      const g = data.groups[m.phase], out = new Float32Array(data.gradSab[m.phase]);
      g.names.forEach((n, k) => {
        const t = grads.get(n);
        const size = g.shapes[k].reduce((a, b) => a * b, 1);
        if (t) out.set(t.dataSync() as Float32Array, g.offsets[k]); else out.fill(0, g.offsets[k], g.offsets[k] + size);
      });
      tf.dispose([...grads.values()]);
      parentPort!.postMessage({ type: 'done', id: m.id, loss, ms: performance.now() - t0 });
    } catch (e) {
      parentPort!.postMessage({ type: 'fail', id: m.id, message: (e as Error).message.split('\n')[0] });
    }
  });
  parentPort!.postMessage({ type: 'ready' });
}

main().catch((e) => parentPort!.postMessage({ type: 'error', message: (e as Error).message.split('\n')[0] }));
