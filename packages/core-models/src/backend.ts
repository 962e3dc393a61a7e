/**
 * The one place a tfjs backend is chosen. Preference: tfjs-node-gpu, tfjs-node (both
 * optional, loaded only if installed), then wasm (with our gradient kernels), then cpu. tfjs
 * itself is an optional peer dependency (./tf): inference on onnxruntime-node never gets here.
 * Override with the env var DIFFGAN_BACKEND or `initBackend({ backend })`.
 */
import { loadTf, tf } from './tf';
import { DiffganError } from './errors';
import { registerConvGradKernels } from './kernels/wasm-conv-grads';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCE: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface BackendInfo {
  name: BackendName;
  tfjsBackend: string;
  reason: string;
}

let current: BackendInfo | null = null;

function tryRequire(id: string): boolean {
  try {
    // A variable id keeps tsc and bundlers from resolving these optional packages.
    const load: (m: string) => unknown = require;
    load(id);
    return true;
  } catch {
    return false;
  }
}

async function activate(name: BackendName): Promise<string | null> {
  switch (name) {
    case 'tensorflow-gpu':
      return tryRequire('@tensorflow/tfjs-node-gpu') && (await tf.setBackend('tensorflow')) ? 'tensorflow' : null;
    case 'tensorflow':
      return tryRequire('@tensorflow/tfjs-node') && (await tf.setBackend('tensorflow')) ? 'tensorflow' : null;
    case 'wasm': {
      await import('@tensorflow/tfjs-backend-wasm');
      registerConvGradKernels('wasm');
      return (await tf.setBackend('wasm')) ? 'wasm' : null;
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      // DIFFGAN_STOCK_CPU_GRADS=1 keeps tfjs' own kernels (for the benchmark's baseline row)
      if (process.env.DIFFGAN_STOCK_CPU_GRADS !== '1') registerConvGradKernels('cpu');
      return (await tf.setBackend('cpu')) ? 'cpu' : null;
  }
}

function requested(): BackendName | undefined {
  const env = process.env.DIFFGAN_BACKEND;
  if (!env) return undefined;
  if (!(BACKEND_PREFERENCE as string[]).includes(env)) {
    throw new DiffganError(`DIFFGAN_BACKEND=${env} is not one of ${BACKEND_PREFERENCE.join(', ')}`);
  }
  return env as BackendName;
}

/**
 * Chooses and activates a backend once; later calls return the same choice unless a
 * different backend is asked for explicitly.
 */
export async function initBackend(opts: { backend?: BackendName; verbose?: boolean } = {}): Promise<BackendInfo> {
  const want = opts.backend ?? requested();
  if (current && (!want || want === current.name)) return current;
  loadTf('a tfjs backend (training, or inference without onnxruntime-node)'); // tfjs is optional: one clear error
  const candidates = want ? [want] : BACKEND_PREFERENCE;
  for (const name of candidates) {
    const tfjsBackend = await activate(name).catch(() => null);
    if (tfjsBackend) {
      await tf.ready();
      current = { name, tfjsBackend, reason: want ? 'requested' : 'first available in preference order' };
      if (opts.verbose) process.stderr.write(`diffgan: tfjs backend ${name} (${current.reason})\n`);
      return current;
    }
  }
  throw new DiffganError(want ? `tfjs backend '${want}' is not available` : 'no tfjs backend could be initialised');
}

export function currentBackend(): BackendInfo | null {
  return current;
}

export { tf };
