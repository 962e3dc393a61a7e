/**
 * The ifnet interpolator's block searches (motion.ts PairMotion) off the main thread (#25): the global
 * search depends on the pair alone and was the largest piece of the frame's JavaScript (~70 of ~230 ms at
 * 640x360); asked as soon as a pair arrives, it runs while ONNX Runtime runs the net (with the lookahead, a
 * pair ahead). The search around the net's flow needs the net's output, and runs while the main thread
 * refines the net's flow. Without the built worker script (TypeScript sources run without a build), the
 * same code runs inline: the same numbers.
 */
import * as fs from 'fs';
import { Worker } from 'worker_threads';
import { builtModulePath } from '@diffgan/core-models';
import type { PairMotion } from './motion';
import { answer, MotionReply, MotionRequest } from './motion-requests';

export interface Motion {
  fx: Float32Array;
  fy: Float32Array;
}

/** A pair registered with the thread. */
export interface MotionPair {
  /** The global search's dense midpoint motion (= midpointMotion of the pair). */
  readonly midpoint: Promise<Motion>;
  /** The search around one guess of midpoint motion per LOCAL_MOTION block (row-major): the block vectors. */
  around(gx: Float32Array, gy: Float32Array): Promise<{ vx: Float32Array; vy: Float32Array }>;
}

export interface MotionThread {
  /** false when the built worker script is missing and the searches run inline */
  readonly onThread: boolean;
  /** Registers the RGB float pair (width×height; copied, not moved; the last KEPT_PAIRS are kept) and starts its global search. */
  pair(f0: Float32Array, f1: Float32Array, width: number, height: number): MotionPair;
  /** Ends the thread; pending requests reject. */
  close(): Promise<void>;
}

type Answer = Exclude<MotionReply, { error: string }>;

export function createMotionThread(): MotionThread {
  const script = builtModulePath(__dirname, 'motion-worker.js');
  const onThread = fs.existsSync(script);
  const inlinePairs = new Map<number, PairMotion>();
  let worker: Worker | undefined;
  let failure: Error | undefined;
  let nextId = 0,
    nextPair = 0;
  const pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error) => {
    // the first cause stays (terminating after close() also exits the thread)
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const settle = (r: MotionReply, p: { resolve: (a: Answer) => void; reject: (e: Error) => void }) =>
    'error' in r ? p.reject(new Error(`block matching: ${r.error}`)) : p.resolve(r);
  const start = (): Worker => {
    const w = new Worker(script);
    w.on('message', (r: MotionReply) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      settle(r, p);
      // idle: let the process end without dispose()
      if (pending.size === 0) w.unref();
    });
    w.on('error', (e) => failAll(e));
    w.on('exit', (code) => failAll(new Error(`block matching thread exited (${code})`)));
    return w;
  };
  const request = (r: MotionRequest): Promise<Answer> => {
    if (failure) return Promise.reject(failure);
    return new Promise<Answer>((resolve, reject) => {
      if (!onThread) {
        // a later turn, as a worker's reply would be
        setImmediate(() => settle(answer(r, inlinePairs), { resolve, reject }));
        return;
      }
      worker ??= start();
      worker.ref();
      pending.set(r.id, { resolve, reject });
      worker.postMessage(r);
    });
  };
  return {
    onThread,
    pair(f0, f1, width, height) {
      const pair = nextPair++;
      const midpoint = request({ kind: 'pair', id: nextId++, pair, f0, f1, width, height }).then((a) => a as Motion);
      // a rejection is the frame's to report (when it awaits), not an unhandled one here
      midpoint.catch(() => undefined);
      return {
        midpoint,
        around: (gx, gy) => request({ kind: 'around', id: nextId++, pair, gx, gy }).then((a) => a as { vx: Float32Array; vy: Float32Array }),
      };
    },
    async close() {
      failAll(new Error('block matching thread closed'));
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}
