/**
 * The messages of motion-thread.ts and its worker, and how a request is answered: the same function on the
 * worker and inline (no worker script), so both give the same numbers.
 */
import { PairMotion } from './motion';

export type MotionRequest =
  /** a new pair (kept with the two before it) and its global search */
  | { kind: 'pair'; id: number; pair: number; f0: Float32Array; f1: Float32Array; width: number; height: number }
  /** the search around one guess per block on a kept pair */
  | { kind: 'around'; id: number; pair: number; gx: Float32Array; gy: Float32Array };

export type MotionReply =
  | { id: number; fx: Float32Array; fy: Float32Array }
  | { id: number; vx: Float32Array; vy: Float32Array }
  | { id: number; error: string };

/**
 * How many pairs stay for `around` requests: more than can be in flight (the interpolator's lookahead of 2
 * frames, each with its mirrored pair under flipAverage); ~1 MB of luma per 640x384 pair.
 */
export const KEPT_PAIRS = 8;

/** One request's reply (also the inline path of motion-thread.ts). */
export function answer(r: MotionRequest, kept: Map<number, PairMotion>): MotionReply {
  try {
    if (r.kind === 'pair') {
      const motion = new PairMotion(r.f0, r.f1, r.width, r.height);
      kept.set(r.pair, motion);
      for (const old of kept.keys()) if (kept.size > KEPT_PAIRS) kept.delete(old);
      return { id: r.id, ...motion.midpoint() };
    }
    const motion = kept.get(r.pair);
    if (!motion) throw new Error(`pair ${r.pair} is no longer kept`);
    return { id: r.id, ...motion.around(r.gx, r.gy) };
  } catch (e) {
    return { id: r.id, error: e instanceof Error ? e.message : String(e) };
  }
}
