/**
 * The block matcher's midpoint motion (motion.ts midpointMotion) off the main thread (#25): the ifnet
 * interpolator's block candidate needs it for every pair, it depends on the pair alone, and on the
 * main thread it was the largest piece of the frame's JavaScript (~70 of ~230 ms at 640x360). Asked as
 * soon as a pair arrives, it runs on its own thread while ONNX Runtime runs the net, and with the
 * interpolator's lookahead a pair ahead. Without the built worker script (TypeScript sources run
 * without a build), it runs inline: the same function, the same numbers.
 */
import * as fs from 'fs';
import { Worker } from 'worker_threads';
import { builtModulePath } from '@diffgan/core-models';
import { midpointMotion } from './motion';
import type { MotionReply, MotionRequest } from './motion-worker';

export interface Motion {
  fx: Float32Array;
  fy: Float32Array;
}

export interface MotionThread {
  /** false when the built worker script is missing and the motion is computed inline */
  readonly onThread: boolean;
  /** The midpoint motion of the RGB float pair (width×height); the arrays are copied, not moved. */
  motion(f0: Float32Array, f1: Float32Array, width: number, height: number): Promise<Motion>;
  /** Ends the thread; pending requests reject. */
  close(): Promise<void>;
}

export function createMotionThread(): MotionThread {
  const script = builtModulePath(__dirname, 'motion-worker.js');
  if (!fs.existsSync(script))
    return { onThread: false, motion: async (f0, f1, width, height) => midpointMotion(f0, f1, width, height), close: async () => undefined };
  let worker: Worker | undefined;
  let failure: Error | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (m: Motion) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error) => {
    // the first cause stays (terminating after close() also exits the thread)
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const start = (): Worker => {
    const w = new Worker(script);
    w.on('message', (r: MotionReply) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      if ('error' in r) p.reject(new Error(`block matching: ${r.error}`));
      else p.resolve({ fx: r.fx, fy: r.fy });
      // idle: let the process end without dispose()
      if (pending.size === 0) w.unref();
    });
    w.on('error', (e) => failAll(e));
    w.on('exit', (code) => failAll(new Error(`block matching thread exited (${code})`)));
    return w;
  };
  return {
    onThread: true,
    motion(f0, f1, width, height) {
      if (failure) return Promise.reject(failure);
      worker ??= start();
      const id = nextId++;
      const request: MotionRequest = { id, f0, f1, width, height };
      worker.ref();
      return new Promise<Motion>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker?.postMessage(request);
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      if (!w) return;
      failAll(new Error('block matching thread closed'));
      await w.terminate();
    },
  };
}
