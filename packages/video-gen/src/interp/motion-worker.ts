/** The worker thread of motion-thread.ts: the block searches of the pairs it is sent (motion-requests.ts). */
import { parentPort } from 'worker_threads';
import type { PairMotion } from './motion';
import { answer, MotionReply, MotionRequest } from './motion-requests';

const pairs = new Map<number, PairMotion>();

const transferables = (r: MotionReply): ArrayBuffer[] =>
  'fx' in r ? [r.fx.buffer as ArrayBuffer, r.fy.buffer as ArrayBuffer] : 'vx' in r ? [r.vx.buffer as ArrayBuffer, r.vy.buffer as ArrayBuffer] : [];

parentPort?.on('message', (r: MotionRequest) => {
  const reply = answer(r, pairs);
  parentPort?.postMessage(reply, transferables(reply));
});
