/**
 * Hard scene-cut detection between consecutive frames.
 *
 * Each pair of frames gets a change score: the mean of the luma histogram
 * distance (what changed in tone) and the luma mean absolute difference (what
 * changed in place), both on a 0..1 scale. Fast motion and occlusion also give
 * high scores, but they build up and decay over several frames, whereas a hard
 * cut is a lone spike. So a pair is a cut only if its score is
 *   - at least `minScore`,
 *   - `spikeRatio` times both neighbouring scores (needs one frame of
 *     look-ahead, hence the one-frame delay of the streaming detector), and
 *   - `medianRatio` times the median of the recent scores in the same shot
 *     (the adaptive part: busy shots need bigger jumps).
 * Thresholds were set on training frames only (tears_of_steel 0-191,
 * carphone 0-95, foreman 0-239, cockatoo 0-223), never on eval frames.
 * Gradual transitions (dissolves, morphs) are not cuts and are not detected.
 */
// the module itself, not the package index: video I/O does not load tfjs
import { median } from '@diffgan/core-models/stats';
import { Frame } from './frame';
import { LumaThumbnail, histogramDistance, lumaHistogram, lumaThumbnail, meanAbsoluteDifference } from './luma';

export interface SceneCutOptions {
  minScore?: number;
  spikeRatio?: number;
  medianRatio?: number;
  /** How many previous scores of the current shot form the adaptive baseline. */
  window?: number;
  /** Frames are reduced to a luma thumbnail at most this wide before scoring. */
  thumbnailWidth?: number;
}

export const DEFAULT_SCENE_CUT_OPTIONS: Required<SceneCutOptions> = {
  minScore: 0.12,
  spikeRatio: 2.5,
  medianRatio: 4,
  window: 12,
  thumbnailWidth: 160,
};

/** The verdict on the pair (index - 1, index): `cut` means frame `index` starts a new shot. */
export interface SceneCutDecision {
  index: number;
  cut: boolean;
  score: number;
}

interface FrameSignature {
  thumb: LumaThumbnail;
  hist: Float64Array;
}

function signature(frame: Frame, thumbnailWidth: number): FrameSignature {
  const thumb = lumaThumbnail(frame, thumbnailWidth);
  return { thumb, hist: lumaHistogram(thumb) };
}

function changeScore(a: FrameSignature, b: FrameSignature): number {
  return 0.5 * histogramDistance(a.hist, b.hist) + 0.5 * meanAbsoluteDifference(a.thumb, b.thumb);
}

/** Change score of two frames, 0 (identical) to 1; exported for diagnostics. */
export function frameChangeScore(a: Frame, b: Frame, thumbnailWidth = DEFAULT_SCENE_CUT_OPTIONS.thumbnailWidth): number {
  return changeScore(signature(a, thumbnailWidth), signature(b, thumbnailWidth));
}

/**
 * Streaming detector. push() frames in decode order; each call returns the
 * decision for the pair that ended one frame earlier, flush() the last one.
 * Holds one small luma thumbnail and a few scores, never whole frames.
 */
export class SceneCutDetector {
  private readonly options: Required<SceneCutOptions>;
  private previous: FrameSignature | undefined;
  private frameIndex = -1;
  /** The newest pair, waiting for the next score before it can be judged a spike. */
  private pending: { index: number; score: number; before: number } | undefined;
  private shotScores: number[] = [];

  constructor(options: SceneCutOptions = {}) {
    this.options = { ...DEFAULT_SCENE_CUT_OPTIONS, ...options };
  }

  push(frame: Frame): SceneCutDecision | undefined {
    const current = signature(frame, this.options.thumbnailWidth);
    const previous = this.previous;
    this.previous = current;
    this.frameIndex++;
    if (!previous) return undefined;
    if (previous.thumb.width !== current.thumb.width || previous.thumb.height !== current.thumb.height) {
      throw new RangeError('scene-cut detector: frame size changed mid-stream');
    }
    const score = changeScore(previous, current);
    const decision = this.pending ? this.decide(this.pending, score) : undefined;
    this.pending = { index: this.frameIndex, score, before: this.pending?.score ?? 0 };
    return decision;
  }

  flush(): SceneCutDecision | undefined {
    const decision = this.pending ? this.decide(this.pending, 0) : undefined;
    this.pending = undefined;
    return decision;
  }

  private decide(pair: { index: number; score: number; before: number }, after: number): SceneCutDecision {
    const { minScore, spikeRatio, medianRatio, window } = this.options;
    const { score } = pair;
    const isSpike = score >= spikeRatio * Math.max(pair.before, after);
    const baseline = this.shotScores.length >= 3 ? median(this.shotScores) : 0;
    const cut = score >= minScore && isSpike && score >= medianRatio * baseline;
    if (cut) {
      this.shotScores = [];
    } else {
      this.shotScores.push(score);
      if (this.shotScores.length > window) this.shotScores.shift();
    }
    return { index: pair.index, cut, score };
  }
}

/** Indices of the first frame of every new shot, as in manifest.json's scene_cut_first_frames. */
export async function detectSceneCuts(frames: AsyncIterable<Frame> | Iterable<Frame>, options: SceneCutOptions = {}): Promise<number[]> {
  const detector = new SceneCutDetector(options);
  const cuts: number[] = [];
  for await (const frame of frames) {
    const decision = detector.push(frame);
    if (decision?.cut) cuts.push(decision.index);
  }
  const last = detector.flush();
  if (last?.cut) cuts.push(last.index);
  return cuts;
}
