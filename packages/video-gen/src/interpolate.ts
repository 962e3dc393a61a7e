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
 *
 * Variable frame rate: when the input's timestamps are not evenly spaced, the
 * output (still N·factor frames at factor × the average rate) shows at each
 * output time k/rate the picture of the input at that time: the in-between
 * frame at fraction (time − tᵢ)/(tᵢ₊₁ − tᵢ) of the pair around it.
 */
import { VideoError } from './errors';
import { Frame, assertFrameShape } from './frame';
import { FrameWriter, WriteResult } from './frame-writer';
import { readFrames } from './frame-reader';
import { readFrameTimes } from './ffmpeg';
import { prepareJob, VideoJobOptions, writeFrames } from './job';
import { Rational, multiplyRational, rationalToNumber } from './rational';
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

/** Output timing for input frames that are not evenly spaced in time. */
export interface FrameTiming {
  /** Presentation time of each input frame in seconds from the first, ascending. */
  inputTimes: readonly number[];
  /** Output frame k is the picture at k / outputFps seconds. */
  outputFps: Rational;
  outputFrames: number;
}

/** Are these frame times evenly spaced, to within a quarter of a frame interval? */
export function evenlySpaced(times: readonly number[]): boolean {
  const n = times.length;
  if (n < 3) return true;
  const step = (times[n - 1] - times[0]) / (n - 1);
  return times.every((t, i) => Math.abs(t - times[0] - i * step) <= step / 4);
}

export interface InterpolateFramesOptions {
  factor: InterpolationFactor;
  /**
   * Place output frames by the input's timestamps instead of emitting factor
   * frames per input frame (variable-frame-rate input). The interpolator is
   * then asked for whatever fraction each output time falls at.
   */
  timing?: FrameTiming;
  interpolator: Interpolator;
  /** false turns scene-cut detection off (every pair is interpolated). */
  sceneCuts?: boolean | SceneCutOptions;
  /** Called with the index of the first frame of each new shot. */
  onSceneCut?: (index: number) => void;
}

/** Output frames for a stream of input frames; holds at most three input frames. */
export async function* interpolateFrames(frames: AsyncIterable<Frame> | Iterable<Frame>, options: InterpolateFramesOptions): AsyncGenerator<Frame> {
  const { factor, interpolator } = options;
  assertInterpolationFactor(factor);
  const detector = options.sceneCuts === false ? undefined : new SceneCutDetector(typeof options.sceneCuts === 'object' ? options.sceneCuts : {});
  const queue: Frame[] = [];
  const timing = options.timing;
  let nextOutput = 0; // with timing: the output frame to emit next
  let pairIndex = 0; // with timing: index of the earlier frame of the pair being emitted

  function inputTime(i: number): number {
    const times = timing!.inputTimes;
    if (i < times.length) return times[i];
    // more frames decoded than timestamps read: continue at the average spacing
    const n = times.length;
    const step = n > 1 ? (times[n - 1] - times[0]) / (n - 1) : 0;
    return times[n - 1] + (i - n + 1) * step;
  }

  function outputTime(k: number): number {
    return k / rationalToNumber(timing!.outputFps);
  }

  async function* emitTimed(a: Frame, b: Frame, isCut: boolean): AsyncGenerator<Frame> {
    const t0 = inputTime(pairIndex);
    const t1 = inputTime(pairIndex + 1);
    pairIndex++;
    for (; nextOutput < timing!.outputFrames; nextOutput++) {
      const t = outputTime(nextOutput);
      if (t >= t1 - 1e-9) break;
      const s = (t - t0) / (t1 - t0);
      if (isCut || s < 1e-6) {
        yield a;
        continue;
      }
      const made = await interpolator(a, b, s);
      assertFrameShape(made, a.width, a.height, 'interpolator');
      yield made;
    }
  }

  async function* emitPair(a: Frame, b: Frame, isCut: boolean): AsyncGenerator<Frame> {
    if (timing) {
      yield* emitTimed(a, b, isCut);
      return;
    }
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
  if (last && timing) for (; nextOutput < timing.outputFrames; nextOutput++) yield last;
  else if (last) for (let k = 0; k < factor; k++) yield last;
}

export function interpolatedFrameCount(inputFrames: number, factor: InterpolationFactor): number {
  return inputFrames * factor;
}

export function interpolatedFrameRate(fps: Rational, factor: InterpolationFactor): Rational {
  return multiplyRational(fps, factor);
}

export interface InterpolateVideoOptions extends VideoJobOptions {
  factor: InterpolationFactor;
  interpolator: Interpolator;
  sceneCuts?: boolean | SceneCutOptions;
}

export interface InterpolateVideoResult extends WriteResult {
  fps: Rational;
  sceneCuts: number[];
  /** The input's frames were not evenly spaced, so output frames were placed by their timestamps. */
  variableFrameRate: boolean;
}

/** Decode → interpolate → encode, streaming; audio is carried over from the input. */
export async function interpolateVideo(options: InterpolateVideoOptions): Promise<InterpolateVideoResult> {
  assertInterpolationFactor(options.factor);
  const info = await prepareJob(options.input, options.output);
  const fps = interpolatedFrameRate(info.fps, options.factor);
  const total = interpolatedFrameCount(info.frameCount, options.factor);
  const times = await readFrameTimes(options.input, options.signal);
  const timing = times && !evenlySpaced(times) ? { inputTimes: times, outputFps: fps, outputFrames: total } : undefined;
  options.onStart?.(info, total);
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
    timing,
    interpolator: options.interpolator,
    sceneCuts: options.sceneCuts,
    onSceneCut: (index) => sceneCuts.push(index),
  });
  const result = await writeFrames(writer, frames, options.onProgress);
  return { ...result, fps, sceneCuts, variableFrameRate: timing !== undefined };
}
