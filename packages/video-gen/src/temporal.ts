/**
 * Temporal quality: how much a video changes from frame to frame compared
 * with a reference, and a training loss that asks generated frames to change
 * the way the ground truth does.
 *
 * Frames are flat arrays of samples (RGB24 bytes, or Float32 tensors' data);
 * all frames in a sequence must have the same length. Units are those of the
 * samples (0..255 for bytes, whatever range a model uses for floats).
 */

export type FrameSamples = ArrayLike<number>;

function meanAbsDiff(a: FrameSamples, b: FrameSamples): number {
  if (a.length !== b.length) throw new RangeError(`frame lengths differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** Streaming mean absolute temporal difference; holds only the previous frame. */
export class TemporalDifferenceMeter {
  private previous: FrameSamples | undefined;
  private total = 0;
  private pairs = 0;

  push(frame: FrameSamples): void {
    if (this.previous) {
      this.total += meanAbsDiff(this.previous, frame);
      this.pairs++;
    }
    // copied so callers may reuse their buffer
    this.previous = Float32Array.from(frame);
  }

  /** Mean over consecutive pairs of the per-sample mean |f[t+1] - f[t]|; 0 with fewer than 2 frames. */
  get value(): number {
    return this.pairs ? this.total / this.pairs : 0;
  }
}

export async function meanAbsTemporalDifference(frames: Iterable<FrameSamples> | AsyncIterable<FrameSamples>): Promise<number> {
  const meter = new TemporalDifferenceMeter();
  for await (const frame of frames) meter.push(frame);
  return meter.value;
}

/**
 * Flicker = MATD(output) − MATD(reference). Positive: the output changes
 * more between frames than the reference does (flicker, jitter); negative:
 * it changes less (frozen or over-smoothed); 0 for matching temporal activity.
 * Both sequences should have the same frame rate and content.
 */
export async function flicker(
  output: Iterable<FrameSamples> | AsyncIterable<FrameSamples>,
  reference: Iterable<FrameSamples> | AsyncIterable<FrameSamples>,
): Promise<number> {
  const [out, ref] = await Promise.all([meanAbsTemporalDifference(output), meanAbsTemporalDifference(reference)]);
  return out - ref;
}

function checkSequences(generated: readonly Float32Array[], target: readonly Float32Array[]): number {
  if (generated.length !== target.length) {
    throw new RangeError(`sequence lengths differ: ${generated.length} vs ${target.length}`);
  }
  if (generated.length < 2) throw new RangeError('temporal loss needs at least 2 frames');
  const size = generated[0].length;
  for (let t = 0; t < generated.length; t++) {
    if (generated[t].length !== size || target[t].length !== size) throw new RangeError(`frame ${t} has a different length`);
  }
  return size;
}

/**
 * Temporal-consistency loss, an L1 on frame differences:
 *   L = 1/((T−1)·P) · Σ_{t=1}^{T−1} Σ_p |(g_t − g_{t−1})_p − (y_t − y_{t−1})_p|
 * for T generated frames g and ground-truth frames y of P samples each.
 * It is 0 when the output moves exactly like the ground truth, even if both
 * are offset by a constant, so it complements (does not replace) a per-frame loss.
 */
export function temporalConsistencyLoss(generated: readonly Float32Array[], target: readonly Float32Array[]): number {
  return temporalConsistencyLossWithGradient(generated, target, false).loss;
}

export interface TemporalLossResult {
  loss: number;
  /** dL/dg_t for each generated frame (sub-gradient: sign(0) = 0); empty if not requested. */
  gradient: Float32Array[];
}

export function temporalConsistencyLossWithGradient(
  generated: readonly Float32Array[],
  target: readonly Float32Array[],
  withGradient = true,
): TemporalLossResult {
  const size = checkSequences(generated, target);
  const pairs = generated.length - 1;
  const norm = 1 / (pairs * size);
  const gradient = withGradient ? generated.map(() => new Float32Array(size)) : [];
  let sum = 0;
  for (let t = 1; t <= pairs; t++) {
    const g1 = generated[t];
    const g0 = generated[t - 1];
    const y1 = target[t];
    const y0 = target[t - 1];
    for (let p = 0; p < size; p++) {
      const residual = g1[p] - g0[p] - (y1[p] - y0[p]);
      sum += Math.abs(residual);
      if (withGradient && residual !== 0) {
        const s = (residual > 0 ? 1 : -1) * norm;
        gradient[t][p] += s;
        gradient[t - 1][p] -= s;
      }
    }
  }
  return { loss: sum * norm, gradient };
}
