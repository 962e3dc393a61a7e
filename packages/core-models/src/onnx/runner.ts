/**
 * Inference on onnxruntime-node (optional dependency, loaded lazily). `createRunner`
 * returns an ORT runner when the package loads, else a tfjs runner over the same
 * description, so callers never branch on the runtime.
 */
import * as os from 'os';
import { hasTf, loadTf, tf, TFJS_INSTALL } from '../tf';
import { GraphSpec } from '../graph';
import { forward } from '../model';
import { exportOnnx } from './export';
import { initBackend } from '../backend';

import { createOrtSessionRunner, OrtModule, HostTensor, Runner } from './ort-session';
export type { HostTensor, Runner } from './ort-session';

export interface RunnerOptions {
  threads?: number;
  runtime?: 'auto' | 'onnxruntime-node' | 'tfjs';
}

type Ort = typeof import('onnxruntime-node');
let ortCache: Ort | null | undefined;
let ortLoadError: unknown;

export function loadOrt(): Ort | null {
  if (ortCache !== undefined) return ortCache;
  try {
    const load: (m: string) => unknown = require;
    ortCache = load('onnxruntime-node') as Ort;
  } catch (e) {
    ortCache = null;
    ortLoadError = e;
  }
  return ortCache;
}

/**
 * The one line for a run that falls back to tfjs because onnxruntime-node did not load. npm
 * drops a failed optional dependency silently (its postinstall downloads from NuGet, which
 * firewalls block), so without this line the user only sees a slow run.
 */
export function ortFallbackNotice(err: unknown, tfInstalled = hasTf()): string {
  const code = (err as { code?: string } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  const missing = code === 'MODULE_NOT_FOUND' && /['"]onnxruntime-node['"]/.test(message.split('\n')[0]);
  const what = missing
    ? 'onnxruntime-node is not installed (its install step downloads a binary)'
    : `onnxruntime-node failed to load (${message.split('\n')[0].slice(0, 160)})`;
  const fix = 'ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node (the CPU build ships in the package';
  if (!tfInstalled) return `${what}, and the tfjs fallback is not installed either; fix: ${fix}), or ${TFJS_INSTALL}`;
  return `${what}: running on tfjs, 2-7x slower; fix: ${fix}; DIFFGAN_RUNTIME=tfjs hides this line)`;
}

let ortNoticeShown = false;
/** Prints ortFallbackNotice once per process (stderr). Called where 'auto' falls back to tfjs. */
export function noteOrtFallback(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  if (ortNoticeShown || ortCache !== null) return;
  ortNoticeShown = true;
  write(ortFallbackNotice(ortLoadError));
}

/**
 * The intra-op threads of `threads` (0 = one per core). Not ORT's own default for 0: that counts
 * physical cores, and on a VM whose vCPUs present as one core's hyperthreads it runs one thread
 * (measured: a 256x256 x2 generator call 241 ms at 0, 138 ms at 2 on this 2-vCPU machine).
 */
export const ortIntraOpThreads = (threads: number): number => (threads > 0 ? threads : (os.availableParallelism?.() ?? os.cpus().length) || 1);

export async function createOrtRunner(onnxModel: Uint8Array, threads = 0): Promise<Runner> {
  const ort = loadOrt();
  if (!ort) throw new Error('onnxruntime-node is not installed');
  return createOrtSessionRunner(
    ort as unknown as OrtModule,
    onnxModel,
    {
      intraOpNumThreads: ortIntraOpThreads(threads),
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    },
    'onnxruntime-node',
  );
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
      for (const [k, t] of Object.entries(outs)) {
        res[k] = { data: (await t.data()) as Float32Array, shape: t.shape };
        t.dispose();
      }
      return res;
    },
    async dispose() {
      for (const t of params.values()) t.dispose();
    },
  };
}

export async function createRunner(spec: GraphSpec, weights: Map<string, { shape: number[]; data: Float32Array }>, opts: RunnerOptions = {}): Promise<Runner> {
  const want = opts.runtime ?? (process.env.DIFFGAN_RUNTIME as RunnerOptions['runtime']) ?? 'auto';
  if (want !== 'tfjs' && loadOrt()) return createOrtRunner(exportOnnx(spec, weights), opts.threads ?? 0);
  if (want === 'onnxruntime-node') throw new Error('onnxruntime-node was requested but is not installed');
  if (want !== 'tfjs') noteOrtFallback();
  loadTf(want === 'tfjs' ? 'the tfjs runtime' : 'running without onnxruntime-node (the tfjs fallback)');
  return createTfjsRunner(spec, weights);
}
