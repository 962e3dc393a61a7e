/**
 * Frame interpolation pipeline. A pluggable Interpolator makes the frames in
 * between each pair of decoded frames; at scene cuts the earlier frame is
 * held instead, because blending two unrelated shots only makes a ghost.
 *
 * Frame count: N input frames become N·factor output frames at fps·factor:
 * each input frame is followed by factor-1 in-between frames, and the last
 * input frame (with nothing after it) is held for factor-1 extra frames.
 * The output therefore lasts exactly as long as the input (N/fps seconds), so
 * a copied audio track stays in sync to the end.
 */
import { VideoError } from './errors';
import { Frame, assertFrameShape } from './frame';
import { FrameWriter, WriteResult } from './frame-writer';
import { readFrames } from './frame-reader';
import { VideoInfo } from './ffmpeg';
import { prepareJob, JobProgress, writeFrames } from './job';
import { Rational, multiplyRational } from './rational';
import { SceneCutDecision, SceneCutDetector, SceneCutOptions } from './scenecut';

/**
 * Makes the frame at fraction t (0 < t < 1) of the way from a to b. Must
 * return a new width×height RGB24 frame (or a or b themselves); must not
 * modify a or b. May be async, e.g. for a model running on a worker.
 */
export type Interpolator = (a: Frame, b: Frame, t: number) => Frame | Promise<Frame>;

export type InterpolationFactor = 2 | 4;

export const INTERPOLATION_FACTORS: readonly InterpolationFactor[] = [2, 4];

export function assertInterpolationFactor(factor: number): asserts factor is InterpolationFactor {
  if (!INTERPOLATION_FACTORS.includes(factor as InterpolationFactor)) {
    throw new VideoError('USAGE', `factor must be 2 or 4, got ${factor}`);
  }
}

export interface InterpolateFramesOptions {
  factor: InterpolationFactor;
  interpolator: Interpolator;
  /** false turns scene-cut detection off (every pair is interpolated). */
  sceneCuts?: boolean | SceneCutOptions;
  /** Called with the index of the first frame of each new shot. */
  onSceneCut?: (index: number) => void;
}

/** Output frames for a stream of input frames; holds at most three input frames. */
export async function* interpolateFrames(
  frames: AsyncIterable<Frame> | Iterable<Frame>,
  options: InterpolateFramesOptions,
): AsyncGenerator<Frame> {
  const { factor, interpolator } = options;
  assertInterpolationFactor(factor);
  const detector =
    options.sceneCuts === false
      ? undefined
      : new SceneCutDetector(typeof options.sceneCuts === 'object' ? options.sceneCuts : {});
  const queue: Frame[] = [];

  async function* emitPair(a: Frame, b: Frame, isCut: boolean): AsyncGenerator<Frame> {
    yield a;
    for (let k = 1; k < factor; k++) {
      if (isCut) {
        yield a;
        continue;
      }
      const made = await interpolator(a, b, k / factor);
      assertFrameShape(made, a.width, a.height, 'interpolator');
      yield made;
    }
  }

  function* settle(decision: SceneCutDecision | undefined): Generator<[Frame, Frame, boolean]> {
    if (!decision) return;
    if (decision.cut) options.onSceneCut?.(decision.index);
    yield [queue[0], queue[1], decision.cut];
    queue.shift();
  }

  let index = 0;
  for await (const frame of frames) {
    if (queue.length && (frame.width !== queue[0].width || frame.height !== queue[0].height)) {
      throw new VideoError('FFMPEG_FAILED', `frame ${index} changes size mid-stream`);
    }
    queue.push(frame);
    const decision = detector ? detector.push(frame) : index > 0 ? { index, cut: false, score: 0 } : undefined;
    for (const [a, b, isCut] of settle(decision)) yield* emitPair(a, b, isCut);
    index++;
  }
  if (detector) for (const [a, b, isCut] of settle(detector.flush())) yield* emitPair(a, b, isCut);
  const last = queue[queue.length - 1];
  if (last) for (let k = 0; k < factor; k++) yield last;
}

export function interpolatedFrameCount(inputFrames: number, factor: InterpolationFactor): number {
  return inputFrames * factor;
}

export function interpolatedFrameRate(fps: Rational, factor: InterpolationFactor): Rational {
  return multiplyRational(fps, factor);
}

export interface InterpolateVideoOptions {
  input: string;
  output: string;
  factor: InterpolationFactor;
  interpolator: Interpolator;
  crf?: number;
  preset?: string;
  sceneCuts?: boolean | SceneCutOptions;
  signal?: AbortSignal;
  onStart?: (info: VideoInfo, totalOutputFrames: number) => void;
  onProgress?: (progress: JobProgress) => void;
}

export interface InterpolateVideoResult extends WriteResult {
  fps: Rational;
  sceneCuts: number[];
}

/** Decode → interpolate → encode, streaming; audio is carried over from the input. */
export async function interpolateVideo(options: InterpolateVideoOptions): Promise<InterpolateVideoResult> {
  assertInterpolationFactor(options.factor);
  const info = await prepareJob(options.input, options.output);
  const fps = interpolatedFrameRate(info.fps, options.factor);
  options.onStart?.(info, interpolatedFrameCount(info.frameCount, options.factor));
  const sceneCuts: number[] = [];
  const writer = await FrameWriter.open({
    output: options.output,
    width: info.width,
    height: info.height,
    fps,
    crf: options.crf,
    preset: options.preset,
    audioFrom: info.hasAudio ? options.input : undefined,
    audioCodec: info.audioCodec,
    sampleAspectRatio: info.sampleAspectRatio,
    signal: options.signal,
  });
  const frames = interpolateFrames(readFrames(options.input, { info, signal: options.signal }), {
    factor: options.factor,
    interpolator: options.interpolator,
    sceneCuts: options.sceneCuts,
    onSceneCut: (index) => sceneCuts.push(index),
  });
  const result = await writeFrames(writer, frames, options.onProgress);
  return { ...result, fps, sceneCuts };
}
