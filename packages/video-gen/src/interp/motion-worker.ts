/** The worker thread of motion-thread.ts: the block matcher's midpoint motion of each pair it is sent. */
import { parentPort } from 'worker_threads';
import { midpointMotion } from './motion';

export interface MotionRequest {
  id: number;
  f0: Float32Array;
  f1: Float32Array;
  width: number;
  height: number;
}

export type MotionReply = { id: number; fx: Float32Array; fy: Float32Array } | { id: number; error: string };

parentPort?.on('message', ({ id, f0, f1, width, height }: MotionRequest) => {
  let reply: MotionReply;
  try {
    reply = { id, ...midpointMotion(f0, f1, width, height) };
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply, 'fx' in reply ? [reply.fx.buffer as ArrayBuffer, reply.fy.buffer as ArrayBuffer] : []);
});
