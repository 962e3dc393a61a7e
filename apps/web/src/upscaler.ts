/**
 * The page's side of the upscaling worker. onnxruntime-web's wasm backend computes on the
 * thread that calls it, ~2 s per x4 tile here, so on the main thread the page would freeze
 * (no progress, no Cancel) until each tile ends. In a worker the page stays live and a
 * Cancel is seen between tiles.
 */
import type { Scale, SrModel } from '@diffgan/image-sr/browser';

export type { Scale, SrModel };
export interface RuntimeInfo {
  backend: string;
  threads: number;
}

/** Messages to the worker. */
export type WorkerRequest =
  | { type: 'upscale'; id: number; image: ImageData; scale: Scale; model: SrModel; refine: number; maxPixels: number; weightsUrl: string; wasmPaths: string }
  | { type: 'cancel'; id: number }
  | { type: 'refinerAvailable'; id: number; scale: Scale; model: SrModel; weightsUrl: string }
  | { type: 'generatorAvailable'; id: number; model: SrModel; scale: Scale; weightsUrl: string };

/** Messages from the worker. */
export type WorkerReply =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'upscaled'; id: number; ours: ImageData; bicubic: ImageData; runtime: RuntimeInfo }
  | { type: 'refinerAvailable' | 'generatorAvailable'; id: number; available: boolean }
  | { type: 'failed'; id: number; name: string; message: string };

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(e: Error): void;
  onProgress?(done: number, total: number): void;
}

// weights and runtime files are served beside the page (see vite.config.ts)
const pageUrl = (rel: string) => new URL(rel, document.baseURI).href;

let worker: Worker | undefined;
let lastId = 0;
const pending = new Map<number, Pending>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./upscale-worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('message', (e: MessageEvent<WorkerReply>) => {
    const reply = e.data,
      call = pending.get(reply.id);
    if (!call) return;
    if (reply.type === 'progress') return call.onProgress?.(reply.done, reply.total);
    pending.delete(reply.id);
    if (reply.type !== 'failed') return call.resolve(reply);
    call.reject(reply.name === 'AbortError' ? new DOMException(reply.message, 'AbortError') : Object.assign(new Error(reply.message), { name: reply.name }));
  });
  worker.addEventListener('error', (e) => {
    // the worker script itself failed (e.g. could not load): fail every call, start afresh next time
    for (const call of pending.values()) call.reject(new Error(e.message || 'the upscaling worker stopped'));
    pending.clear();
    worker?.terminate();
    worker = undefined;
  });
  return worker;
}

function call(request: WorkerRequest, onProgress?: Pending['onProgress']): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    pending.set(request.id, { resolve, reject, onProgress });
    // the input is copied, not transferred: the page keeps it for the crops
    getWorker().postMessage(request);
  });
}

export interface UpscaleOptions {
  scale: Scale;
  model: SrModel;
  refine: number;
  maxPixels: number;
  signal: AbortSignal;
  onProgress(done: number, total: number): void;
}

/** Our upscale and the bicubic one of `image`; rejects with an AbortError when `signal` aborts. */
export async function upscaleInWorker(image: ImageData, opts: UpscaleOptions): Promise<{ ours: ImageData; bicubic: ImageData; runtime: RuntimeInfo }> {
  opts.signal.throwIfAborted();
  const id = ++lastId;
  const cancel = () => worker?.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
  opts.signal.addEventListener('abort', cancel, { once: true });
  try {
    const reply = await call(
      {
        type: 'upscale',
        id,
        image,
        scale: opts.scale,
        model: opts.model,
        refine: opts.refine,
        maxPixels: opts.maxPixels,
        weightsUrl: pageUrl('weights/'),
        wasmPaths: pageUrl('ort/'),
      },
      opts.onProgress,
    );
    if (reply.type !== 'upscaled') throw new Error(`unexpected reply ${reply.type}`);
    return reply;
  } finally {
    opts.signal.removeEventListener('abort', cancel);
  }
}

/** Whether the refinement weights of `model`'s generator for `scale` are served with the page. */
export async function refinerAvailable(scale: Scale, model: SrModel): Promise<boolean> {
  const reply = await call({ type: 'refinerAvailable', id: ++lastId, scale, model, weightsUrl: pageUrl('weights/') });
  return reply.type === 'refinerAvailable' && reply.available;
}

/** Whether the generator `model` for `scale` is served with the page. */
export async function generatorAvailable(model: SrModel, scale: Scale): Promise<boolean> {
  const reply = await call({ type: 'generatorAvailable', id: ++lastId, model, scale, weightsUrl: pageUrl('weights/') });
  return reply.type === 'generatorAvailable' && reply.available;
}
