/**
 * Runs @diffgan/image-sr's browser entry off the main thread (see upscaler.ts): the
 * upscale, the bicubic baseline, and the weights look-ups.
 */
import { createUpscaler, bicubicUpscale, refinerAvailable, generatorAvailable, BrowserUpscaler, SrModel } from '@diffgan/image-sr/browser';
import type { WorkerRequest, WorkerReply } from './upscaler';

// typed as the small part of DedicatedWorkerGlobalScope used here (the page's tsconfig has the DOM lib)
const scope = self as unknown as {
  postMessage(reply: WorkerReply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<WorkerRequest>) => void): void;
};

/** Runs in progress, by request id, so a 'cancel' can abort them. */
const runs = new Map<number, AbortController>();

/** Upscalers by scale, model and weights, loaded on first use and kept for the worker's life (the page switches between them). */
const upscalers = new Map<string, Promise<BrowserUpscaler>>();
function upscalerFor(scale: 2 | 4, model: SrModel, weightsUrl: string, wasmPaths: string): Promise<BrowserUpscaler> {
  const key = `${scale}|${model}|${weightsUrl}|${wasmPaths}`;
  let sr = upscalers.get(key);
  if (!sr) {
    sr = createUpscaler({ scale, model, weightsUrl, wasmPaths });
    upscalers.set(key, sr);
    sr.catch(() => upscalers.delete(key));
  }
  return sr;
}

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.type) {
    case 'cancel':
      runs.get(req.id)?.abort();
      return;
    case 'refinerAvailable':
      scope.postMessage({ type: 'refinerAvailable', id: req.id, available: await refinerAvailable(req.scale, req.weightsUrl, req.model) });
      return;
    case 'generatorAvailable':
      scope.postMessage({ type: 'generatorAvailable', id: req.id, available: await generatorAvailable(req.model, req.scale, req.weightsUrl) });
      return;
    case 'upscale': {
      const controller = new AbortController();
      runs.set(req.id, controller);
      try {
        const sr = await upscalerFor(req.scale, req.model, req.weightsUrl, req.wasmPaths);
        const ours = await sr.upscale(req.image, {
          refine: req.refine,
          maxPixels: req.maxPixels,
          signal: controller.signal,
          onProgress: (done, total) => scope.postMessage({ type: 'progress', id: req.id, done, total }),
        });
        // a cancel that arrives during the last tile still means "not wanted"
        controller.signal.throwIfAborted();
        const bicubic = bicubicUpscale(req.image, req.scale);
        scope.postMessage({ type: 'upscaled', id: req.id, ours, bicubic, runtime: sr.runtimeInfo }, [ours.data.buffer, bicubic.data.buffer]);
      } finally {
        runs.delete(req.id);
      }
    }
  }
}

scope.addEventListener('message', (e) => {
  handle(e.data).catch((err: Error) => {
    scope.postMessage({ type: 'failed', id: e.data.id, name: err?.name ?? 'Error', message: String(err?.message ?? err).split('\n')[0] });
  });
});
