/**
 * The IFNet-like interpolator at inference (#25): interp_ifnet's weights on ONNX Runtime
 * (core-models' createRunner, tfjs fallback), one network run per in-between frame at its
 * own time position t (any t in (0, 1): factor 4's ¼ and ¾, variable-frame-rate fractions).
 * Frames are padded to multiples of IFNET_ALIGN by repeating the edge and cropped back.
 */
import * as path from 'path';
import { createRunner, loadWeights, RunnerOptions } from '@diffgan/core-models';
import type { Frame } from '../frame';
import type { Interpolator } from '../interpolate';
import { IFNET_ALIGN, IFNET_NAME } from './ifnet';
import { padEdge, cropHwc, vgenWeightsDir } from './net';
import { toFloat, toFrame } from './interpolator';
import { composeFrame, DEFAULT_FLOW_REFINE, lumaOf, refineFlow } from './flow-refine';

export interface IfnetInterpolatorOptions {
  /** Folder with interp_ifnet(.dgw/.manifest.json) (default: the package's weights/, or $DIFFGAN_VGEN_WEIGHTS). */
  weightsDir?: string;
  /** ONNX Runtime intra-op threads (0 = one per core). */
  threads?: number;
  runtime?: RunnerOptions['runtime'];
  /** test-time symmetric Lucas-Kanade steps on the net's flows (flow-refine.ts; 0: the net's own frame). Default 2. */
  refineSteps?: number;
}

export interface IfnetInterpolator extends Interpolator {
  /** The frame at t between two RGB float frames in [0, 1] (width×height), RGB float clamped to [0, 1]; `refineSteps` overrides the interpolator's. */
  frameAt(f0: Float32Array, f1: Float32Array, width: number, height: number, t: number, refineSteps?: number): Promise<Float32Array>;
  readonly manifest: string;
  dispose(): Promise<void>;
}

export function ifnetManifestPath(dir?: string): string {
  return path.join(vgenWeightsDir(dir), `${IFNET_NAME}.manifest.json`);
}

export async function createIfnetInterpolator(opts: IfnetInterpolatorOptions = {}): Promise<IfnetInterpolator> {
  const manifest = ifnetManifestPath(opts.weightsDir);
  const { manifest: m, weights } = loadWeights(manifest);
  const runner = await createRunner(m.architecture, weights, { threads: opts.threads ?? 0, runtime: opts.runtime });
  const refineSteps = opts.refineSteps ?? DEFAULT_FLOW_REFINE.steps;
  if (!Number.isInteger(refineSteps) || refineSteps < 0) throw new RangeError(`ifnet: refineSteps must be a whole number >= 0, got ${refineSteps}`);

  async function frameAt(f0: Float32Array, f1: Float32Array, width: number, height: number, t: number, steps = refineSteps): Promise<Float32Array> {
    const W = Math.ceil(width / IFNET_ALIGN) * IFNET_ALIGN,
      H = Math.ceil(height / IFNET_ALIGN) * IFNET_ALIGN;
    const shape = [1, H, W, 3];
    const p0 = padEdge(f0, width, height, 3, W, H),
      p1 = padEdge(f1, width, height, 3, W, H);
    const out = await runner.run({ i0: { data: p0, shape }, i1: { data: p1, shape }, t: { data: Float32Array.from([t]), shape: [1, 1] } });
    if (steps > 0) {
      const flow = refineFlow(lumaOf(p0, W * H), lumaOf(p1, W * H), out.flow.data, W, H, t, { ...DEFAULT_FLOW_REFINE, steps });
      return cropHwc(composeFrame(p0, p1, flow, out.mask.data, W, H), W, 3, width, height);
    }
    const y = cropHwc(out.y.data, W, 3, width, height);
    for (let k = 0; k < y.length; k++) y[k] = y[k] < 0 ? 0 : y[k] > 1 ? 1 : y[k];
    return y;
  }

  // the float copies of the current pair: factor 4 asks three times for the same pair
  let pair: { a: Frame; b: Frame; fa: Float32Array; fb: Float32Array } | undefined;
  const interpolate = (async (a: Frame, b: Frame, t: number): Promise<Frame> => {
    if (!pair || pair.a !== a || pair.b !== b) pair = { a, b, fa: toFloat(a), fb: toFloat(b) };
    return toFrame(await frameAt(pair.fa, pair.fb, a.width, a.height, t), a.width, a.height);
  }) as IfnetInterpolator;
  Object.assign(interpolate, { frameAt, manifest, dispose: () => runner.dispose() });
  return interpolate;
}
