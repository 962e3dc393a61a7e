/**
 * Inference on onnxruntime-node (optional dependency, loaded lazily). `createRunner`
 * returns an ORT runner when the package loads, else a tfjs runner over the same
 * description, so callers never branch on the runtime.
 */
import * as tf from '../tf';
import { GraphSpec } from '../graph';
import { forward } from '../model';
import { exportOnnx } from './export';
import { initBackend } from '../backend';

/** A runtime-neutral tensor: data + shape (NHWC for images). */
export interface HostTensor { data: Float32Array; shape: number[] }

export interface Runner {
  readonly runtime: 'onnxruntime-node' | 'tfjs';
  run(inputs: Record<string, HostTensor>): Promise<Record<string, HostTensor>>;
  dispose(): Promise<void>;
}

export interface RunnerOptions { threads?: number; runtime?: 'auto' | 'onnxruntime-node' | 'tfjs' }

type Ort = typeof import('onnxruntime-node');
let ortCache: Ort | null | undefined;

export function loadOrt(): Ort | null {
  if (ortCache !== undefined) return ortCache;
  try {
    const load: (m: string) => unknown = require;
    ortCache = load('onnxruntime-node') as Ort;
  } catch {
    ortCache = null;
  }
  return ortCache;
}

export async function createOrtRunner(onnxModel: Uint8Array, threads = 0): Promise<Runner> {
  const ort = loadOrt();
  if (!ort) throw new Error('onnxruntime-node is not installed');
  const session = await ort.InferenceSession.create(onnxModel, {
    intraOpNumThreads: threads, // 0 = ORT's default (one per core)
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  return {
    runtime: 'onnxruntime-node',
    async run(inputs) {
      const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
      for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor('float32', v.data, v.shape);
      const res = await session.run(feeds);
      const out: Record<string, HostTensor> = {};
      for (const [k, v] of Object.entries(res)) out[k] = { data: v.data as Float32Array, shape: v.dims.slice() as number[] };
      return out;
    },
    async dispose() { await session.release(); },
  };
}

export async function createTfjsRunner(spec: GraphSpec, weights: Map<string, { shape: number[]; data: Float32Array }>): Promise<Runner> {
  await initBackend();
  const params = new Map<string, tf.Tensor>();
  for (const [k, w] of weights) params.set(k, tf.tensor(w.data, w.shape));
  return {
    runtime: 'tfjs',
    async run(inputs) {
      const outs = tf.tidy(() => {
        const ins: Record<string, tf.Tensor> = {};
        for (const [k, v] of Object.entries(inputs)) ins[k] = tf.tensor(v.data, v.shape);
        return forward(spec, params, ins);
      });
      const res: Record<string, HostTensor> = {};
      for (const [k, t] of Object.entries(outs)) { res[k] = { data: (await t.data()) as Float32Array, shape: t.shape }; t.dispose(); }
      return res;
    },
    async dispose() { for (const t of params.values()) t.dispose(); },
  };
}

export async function createRunner(spec: GraphSpec, weights: Map<string, { shape: number[]; data: Float32Array }>, opts: RunnerOptions = {}): Promise<Runner> {
  const want = opts.runtime ?? (process.env.DIFFGAN_RUNTIME as RunnerOptions['runtime']) ?? 'auto';
  if (want !== 'tfjs' && loadOrt()) return createOrtRunner(exportOnnx(spec, weights), opts.threads ?? 0);
  if (want === 'onnxruntime-node') throw new Error('onnxruntime-node was requested but is not installed');
  return createTfjsRunner(spec, weights);
}
