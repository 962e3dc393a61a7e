/**
 * The IFNet-like interpolator at inference (#25): interp_ifnet's weights on ONNX Runtime
 * (core-models' createRunner, tfjs fallback), one network run per in-between frame at its
 * own time position t (any t in (0, 1): factor 4's ¼ and ¾, variable-frame-rate fractions).
 * Frames are padded to multiples of IFNET_ALIGN by repeating the edge and cropped back; per pixel the
 * net's flow (refined: refineFlow) or one of two block searches' is chosen (blockCandidate), and the frame
 * is composed with the net's mask in JavaScript.
 */
import * as path from 'path';
import { createRunner, loadWeights, RunnerOptions } from '@diffgan/core-models';
import type { Frame } from '../frame';
import type { Interpolator } from '../interpolate';
import { IFNET_ALIGN, IFNET_NAME } from './ifnet';
import { padEdge, cropHwc, vgenWeightsDir } from './net';
import { createMotionThread, MotionPair } from './motion-thread';
import { denseFlow, LOCAL_MOTION } from './motion';
import { toFloat, toFrame } from './interpolator';
import { composeFrame, DEFAULT_FLOW_REFINE, flowsAt, lumaOf, refineFlow, selectFlow } from './flow-refine';
import type { LumaWarps } from './flow-refine';

export interface IfnetInterpolatorOptions {
  /** Folder with interp_ifnet(.dgw/.manifest.json) (default: the package's weights/, or $DIFFGAN_VGEN_WEIGHTS). */
  weightsDir?: string;
  /** ONNX Runtime intra-op threads (0 = one per core). */
  threads?: number;
  runtime?: RunnerOptions['runtime'];
  /**
   * Test-time symmetric Lucas-Kanade steps on the net's flows (flow-refine.ts). Default 1 with the
   * block candidate, 2 without it (measured on training snippets; with the candidate, 2 steps cost
   * more than they give: docs/experiments/video-gen-ifnet.md).
   */
  refineSteps?: number;
  /**
   * Average the frame with the mirror image's (both inputs flipped left-right, interpolated,
   * flipped back): +0.1 to +0.6 dB on training snippets at twice the cost
   * (docs/experiments/video-gen-ifnet.md). Default off.
   */
  flipAverage?: boolean;
  /**
   * Per pixel, use the flow of the net (refined, where it is chosen) or a block matcher's: the global search
   * (motion.ts's midpoint motion, kept linear through t) or a ±2 px search around the net's own flow (it
   * cannot jump a period of a repetitive texture), whichever makes the two warped frames agree better
   * (flow-refine.ts selectFlow, judged on the net's unrefined flow); both searches run on a worker thread.
   * On training snippets +0.09 to +0.65 dB over the refinement alone at t = ½, and on a synthetic camera
   * tilt over training photos +0.03 to +2.27 (docs/experiments/video-gen-ifnet.md). Default on; off gives
   * the net's flows refined.
   */
  blockCandidate?: boolean;
}

/** The refinement steps with the block candidate: 1 measured as good as 2 on training snippets, at 5.9 instead of 5.3 output frames/s at 640x360. */
const BLOCK_REFINE_STEPS = 1;

/**
 * The flows at t of block matching around the net's own (motion.ts matchAround): per LOCAL_MOTION block,
 * the net's midpoint motion (F_t1 − F_t0)/2 at the block centre is the guess.
 */
async function localBlockFlow(motion: MotionPair, net: Float32Array, W: number, H: number, t: number): Promise<Float32Array> {
  const { block } = LOCAL_MOTION;
  const cols = Math.max(1, Math.ceil(W / block)),
    rows = Math.max(1, Math.ceil(H / block));
  const gx = new Float32Array(cols * rows),
    gy = new Float32Array(cols * rows);
  for (let by = 0; by < rows; by++)
    for (let bx = 0; bx < cols; bx++) {
      // the pixel at the block centre ((b + ½)·block − ½, rounded up)
      const p = 4 * (Math.min(H - 1, by * block + block / 2) * W + Math.min(W - 1, bx * block + block / 2));
      gx[by * cols + bx] = (net[p + 2] - net[p]) / 2;
      gy[by * cols + bx] = (net[p + 3] - net[p + 1]) / 2;
    }
  const { vx, vy } = await motion.around(gx, gy);
  const { fx, fy } = denseFlow({ width: W, height: H, block, cols, rows, vx, vy });
  return flowsAt(fx, fy, t);
}

/** The window radius of the choice between the net's and the block matcher's flows (17x17: measured best of 2, 4, 8 on training snippets). */
const SELECT_RADIUS = 8;

/** Per-call overrides of the interpolator's settings. */
export type IfnetFrameOptions = Pick<IfnetInterpolatorOptions, 'refineSteps' | 'flipAverage' | 'blockCandidate'>;

export interface IfnetInterpolator extends Interpolator {
  /** The frame at t between two RGB float frames in [0, 1] (width×height), RGB float clamped to [0, 1]; `o` overrides the interpolator's settings. */
  frameAt(f0: Float32Array, f1: Float32Array, width: number, height: number, t: number, o?: IfnetFrameOptions): Promise<Float32Array>;
  readonly manifest: string;
  dispose(): Promise<void>;
}

/** An RGB HWC image flipped left-right. */
export function mirror(rgb: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const to = 3 * (y * width + x),
        from = 3 * (y * width + width - 1 - x);
      out[to] = rgb[from];
      out[to + 1] = rgb[from + 1];
      out[to + 2] = rgb[from + 2];
    }
  return out;
}

export function ifnetManifestPath(dir?: string): string {
  return path.join(vgenWeightsDir(dir), `${IFNET_NAME}.manifest.json`);
}

export async function createIfnetInterpolator(opts: IfnetInterpolatorOptions = {}): Promise<IfnetInterpolator> {
  const manifest = ifnetManifestPath(opts.weightsDir);
  const { manifest: m, weights } = loadWeights(manifest);
  const runner = await createRunner(m.architecture, weights, { threads: opts.threads ?? 0, runtime: opts.runtime });
  const blockCandidate = opts.blockCandidate ?? true;
  const { refineSteps } = opts;
  if (refineSteps !== undefined && !(Number.isInteger(refineSteps) && refineSteps >= 0))
    throw new RangeError(`ifnet: refineSteps must be a whole number >= 0, got ${refineSteps}`);

  const flipAverage = opts.flipAverage ?? false;

  async function frameAt(f0: Float32Array, f1: Float32Array, width: number, height: number, t: number, o: IfnetFrameOptions = {}): Promise<Float32Array> {
    // refineSteps given (here or at creation) wins; else it follows the block candidate, per call too
    const block = o.blockCandidate ?? blockCandidate;
    const how = { steps: o.refineSteps ?? refineSteps ?? (block ? BLOCK_REFINE_STEPS : DEFAULT_FLOW_REFINE.steps), block };
    const y = await oneFrame(f0, f1, width, height, t, how);
    if (!(o.flipAverage ?? flipAverage)) return y;
    const m = await oneFrame(mirror(f0, width, height), mirror(f1, width, height), width, height, t, how);
    const back = mirror(m, width, height);
    for (let k = 0; k < y.length; k++) y[k] = 0.5 * (y[k] + back[k]);
    return y;
  }

  // the last pairs, padded, with their luma and the block matcher's motion (all independent of t: factor 4
  // asks three times; with the lookahead the next pair's motion is asked while this one's frame is finished)
  const motionThread = createMotionThread();
  interface PairState {
    f0: Float32Array;
    f1: Float32Array;
    p0: Float32Array;
    p1: Float32Array;
    luma?: [Float32Array, Float32Array];
    /** its block searches (on the motion thread) */
    motion?: MotionPair;
  }
  let recent: PairState[] = [];
  const stateOf = (f0: Float32Array, f1: Float32Array, width: number, height: number, W: number, H: number): PairState => {
    const known = recent.find((r) => r.f0 === f0 && r.f1 === f1 && r.p0.length === W * H * 3);
    if (known) return known;
    const state = { f0, f1, p0: padEdge(f0, width, height, 3, W, H), p1: padEdge(f1, width, height, 3, W, H) };
    recent = [...recent.slice(-2), state];
    return state;
  };

  async function oneFrame(
    f0: Float32Array,
    f1: Float32Array,
    width: number,
    height: number,
    t: number,
    how: { steps: number; block: boolean },
  ): Promise<Float32Array> {
    const W = Math.ceil(width / IFNET_ALIGN) * IFNET_ALIGN,
      H = Math.ceil(height / IFNET_ALIGN) * IFNET_ALIGN;
    const shape = [1, H, W, 3];
    const pair = stateOf(f0, f1, width, height, W, H),
      { p0, p1 } = pair;
    // asked first: the block matching runs while the net does
    if (how.block) pair.motion ??= motionThread.pair(p0, p1, W, H);
    const motion = how.block ? pair.motion : undefined;
    const out = await runner.run({ i0: { data: p0, shape }, i1: { data: p1, shape }, t: { data: Float32Array.from([t]), shape: [1, 1] } });
    if (how.steps === 0 && !how.block) {
      const y = cropHwc(out.y.data, W, 3, width, height);
      for (let k = 0; k < y.length; k++) y[k] = y[k] < 0 ? 0 : y[k] > 1 ? 1 : y[k];
      return y;
    }
    pair.luma ??= [lumaOf(p0, W * H), lumaOf(p1, W * H)];
    const [l0, l1] = pair.luma;
    const net = out.flow.data;
    // the search around the net's flow runs on the motion thread while this one refines
    const local = motion ? localBlockFlow(motion, net, W, H, t) : undefined;
    // the refinement's first step warps the luma by the net's flow, as the choice below does: made once
    const netWarps: Partial<LumaWarps> = {};
    let flow = how.steps > 0 ? refineFlow(l0, l1, net, W, H, t, { ...DEFAULT_FLOW_REFINE, steps: how.steps }, netWarps) : net;
    if (motion && local) {
      const [{ fx, fy }, near] = await Promise.all([motion.midpoint, local]);
      const global = flowsAt(fx, fy, t);
      // judged on the net's raw flow: the refinement minimises the very residual the choice compares
      // (as a candidate of its own it won without being closer to the truth); where the net wins, its refined
      // flow is used. The local search before the global one: ties go to the earlier candidate.
      const made = netWarps.w0 && netWarps.w1 ? { w0: netWarps.w0, w1: netWarps.w1 } : undefined;
      flow = selectFlow(l0, l1, [net, near, global], W, H, SELECT_RADIUS, [flow, near, global], [made]);
    }
    return cropHwc(composeFrame(p0, p1, flow, out.mask.data, W, H), W, 3, width, height);
  }

  // the float copies of the current pair: factor 4 asks three times for the same pair
  let pair: { a: Frame; b: Frame; fa: Float32Array; fb: Float32Array } | undefined;
  const interpolate = (async (a: Frame, b: Frame, t: number): Promise<Frame> => {
    if (!pair || pair.a !== a || pair.b !== b) pair = { a, b, fa: toFloat(a), fb: toFloat(b) };
    return toFrame(await frameAt(pair.fa, pair.fb, a.width, a.height, t), a.width, a.height);
  }) as IfnetInterpolator;
  // the net runs on ONNX Runtime's threads, the refinement and composition in JavaScript: with two
  // frames in flight the next frame's net overlaps this frame's refinement
  const dispose = async () => {
    await motionThread.close();
    await runner.dispose();
  };
  Object.assign(interpolate, { frameAt, manifest, lookahead: 2, dispose });
  return interpolate;
}
