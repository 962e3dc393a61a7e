/**
 * Frame interpolation pipeline. A pluggable Interpolator makes the frames in
 * between each pair of decoded frames; at scene cuts the earlier frame is
 * held instead, because blending two unrelated shots only makes a ghost.
 *
 * Frame count, by a factor: N input frames become N·factor output frames at
 * fps·factor (any whole factor from 2 to 16): each input frame is followed by
 * factor-1 in-between frames at t = k/factor, and the last input frame (with
 * nothing after it) is held for factor-1 extra frames. The output therefore
 * lasts exactly as long as the input (N/fps seconds), so a copied audio track
 * stays in sync to the end.
 *
 * Frame count, to a frame rate R (above the input's fps): output frame k is
 * the picture at k/R seconds, for every k with k/R < N/fps, i.e.
 * ceil(N·R/fps) frames. The output lasts N/fps seconds rounded up to whole
 * output frames (less than 1/R longer, never shorter); when R/fps is a whole
 * number f this is the factor rule's N·f. The picture at time k/R is the
 * in-between frame at fraction (k/R − tᵢ)/(tᵢ₊₁ − tᵢ) of the input pair around
 * it (input frame i at tᵢ = i/fps): the input frame itself when the fraction
 * is 0, the earlier frame across a scene cut, the last frame after the end.
 *
 * Variable frame rate: when the input's timestamps are not evenly spaced, the
 * output (still N·factor frames at factor × the average rate, or the R rule
 * with the average rate as fps) places its frames the same way, with tᵢ the
 * input's own timestamps.
 */
import { VideoError } from './errors';
import { Frame, assertFrameShape } from './frame';
import { FrameWriter, WriteResult } from './frame-writer';
import { readFrames } from './frame-reader';
import { readFrameTimes } from './ffmpeg';
import { prepareJob, VideoJobOptions, writeFrames } from './job';
import { Rational, formatRational, multiplyRational, rationalToNumber } from './rational';
import { SceneCutDecision, SceneCutDetector, SceneCutOptions } from './scenecut';

/**
 * Makes the frame at fraction t (0 < t < 1) of the way from a to b. Must
 * return a new width×height RGB24 frame (or a or b themselves); must not
 * modify a or b. May be async, e.g. for a model running on a worker.
 */
export type Interpolator = ((a: Frame, b: Frame, t: number) => Frame | Promise<Frame>) & {
  /**
   * How many in-between frames may be in flight at once (default 1: one at a time). An async
   * interpolator whose work is partly off the main thread (ONNX Runtime) sets 2, so the next
   * frame's network runs while this frame's JavaScript finishes it; calls then overlap.
   */
  readonly lookahead?: number;
};

/** A whole number from MIN_INTERPOLATION_FACTOR to MAX_INTERPOLATION_FACTOR. */
export type InterpolationFactor = number;

export const MIN_INTERPOLATION_FACTOR = 2;
/** The model's bisection stops at 1/16 (finer t blend its frames), and 16 × 24 fps is already 384 fps. */
export const MAX_INTERPOLATION_FACTOR = 16;

export function assertInterpolationFactor(factor: number): asserts factor is InterpolationFactor {
  if (!Number.isInteger(factor) || factor < MIN_INTERPOLATION_FACTOR || factor > MAX_INTERPOLATION_FACTOR) {
    throw new VideoError('USAGE', `factor must be a whole number from ${MIN_INTERPOLATION_FACTOR} to ${MAX_INTERPOLATION_FACTOR}, got ${factor}`);
  }
}

/** How the output rate is chosen: a whole factor, or a frame rate (one or the other). */
export type OutputRate = { factor: InterpolationFactor; fps?: undefined } | { fps: Rational; factor?: undefined };

/**
 * Output timing: output frame k is the picture at k / outputFps seconds. The
 * input frames are at inputTimes (variable frame rate) or evenly at inputFps.
 */
export type FrameTiming = {
  outputFps: Rational;
  outputFrames: number;
} & (
  | {
      /** Presentation time of each input frame in seconds from the first, ascending. */
      inputTimes: readonly number[];
    }
  | {
      /** Input frame i is at i / inputFps seconds (no table that grows with the length). */
      inputFps: Rational;
    }
);

/** Are these frame times evenly spaced, to within a quarter of a frame interval? */
export function evenlySpaced(times: readonly number[]): boolean {
  const n = times.length;
  if (n < 3) return true;
  const step = (times[n - 1] - times[0]) / (n - 1);
  return times.every((t, i) => Math.abs(t - times[0] - i * step) <= step / 4);
}

export interface InterpolateFramesOptions {
  /** factor frames per input frame; not used (and not needed) with timing. */
  factor?: InterpolationFactor;
  /**
   * Place output frames by time instead of emitting factor frames per input
   * frame (variable-frame-rate input, or a target frame rate). The
   * interpolator is then asked for whatever fraction each output time falls at.
   */
  timing?: FrameTiming;
  interpolator: Interpolator;
  /** false turns scene-cut detection off (every pair is interpolated). */
  sceneCuts?: boolean | SceneCutOptions;
  /** Called with the index of the first frame of each new shot. */
  onSceneCut?: (index: number) => void;
}

/**
 * Output frames for a stream of input frames, in order. Up to the interpolator's `lookahead`
 * in-between frames are requested before the first of them is awaited; memory stays bounded
 * (a few input frames and that many pending frames).
 */
export async function* interpolateFrames(frames: AsyncIterable<Frame> | Iterable<Frame>, options: InterpolateFramesOptions): AsyncGenerator<Frame> {
  const depth = Math.max(1, Math.floor(options.interpolator.lookahead ?? 1));
  // output slots in order: frames passed through, and in-between frames being made
  const queue: (Frame | PendingFrame)[] = [];
  let inFlight = 0;
  for await (const slot of frameSlots(frames, options)) {
    if (slot instanceof PendingFrame) inFlight++;
    queue.push(slot);
    while (queue.length && (!(queue[0] instanceof PendingFrame) || inFlight >= depth)) {
      const head = queue.shift()!;
      if (head instanceof PendingFrame) inFlight--;
      yield head instanceof PendingFrame ? await head.frame : head;
    }
  }
  for (const slot of queue) yield slot instanceof PendingFrame ? await slot.frame : slot;
}

/** An in-between frame being made (a class of our own: `instanceof Promise` is not reliable across realms). */
class PendingFrame {
  constructor(readonly frame: Promise<Frame>) {
    frame.catch(() => {}); // awaited in order by interpolateFrames; not an unhandled rejection meanwhile
  }
}

/** The output frames of interpolateFrames as slots: input frames, and promises of in-between frames, requested as soon as their pair is known. */
async function* frameSlots(frames: AsyncIterable<Frame> | Iterable<Frame>, options: InterpolateFramesOptions): AsyncGenerator<Frame | PendingFrame> {
  const { factor = 0, interpolator, timing } = options;
  if (!timing) assertInterpolationFactor(factor);
  const detector = options.sceneCuts === false ? undefined : new SceneCutDetector(typeof options.sceneCuts === 'object' ? options.sceneCuts : {});
  const queue: Frame[] = [];
  let nextOutput = 0; // with timing: the output frame to emit next
  let pairIndex = 0; // with timing: index of the earlier frame of the pair being emitted

  // times as (integer · den) / num: one rounding, so an output time that is an input time is equal to it
  function inputTime(i: number): number {
    const t = timing!;
    if ('inputFps' in t) return (i * t.inputFps.den) / t.inputFps.num;
    const times = t.inputTimes;
    if (i < times.length) return times[i];
    // more frames decoded than timestamps read: continue at the average spacing
    const n = times.length;
    const step = n > 1 ? (times[n - 1] - times[0]) / (n - 1) : 0;
    return times[n - 1] + (i - n + 1) * step;
  }

  function outputTime(k: number): number {
    return (k * timing!.outputFps.den) / timing!.outputFps.num;
  }

  const made = (a: Frame, b: Frame, t: number): PendingFrame =>
    new PendingFrame(
      Promise.resolve(interpolator(a, b, t)).then((frame) => {
        assertFrameShape(frame, a.width, a.height, 'interpolator');
        return frame;
      }),
    );

  function* emitTimed(a: Frame, b: Frame, isCut: boolean): Generator<Frame | PendingFrame> {
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
      yield made(a, b, s);
    }
  }

  function* emitPair(a: Frame, b: Frame, isCut: boolean): Generator<Frame | PendingFrame> {
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
      yield made(a, b, k / factor);
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

/**
 * Output frames at outputFps for inputFrames at inputFps: every k with
 * k/outputFps < inputFrames/inputFps, i.e. ceil(N·R/fps), in exact integers.
 */
export function frameCountAtRate(inputFrames: number, inputFps: Rational, outputFps: Rational): number {
  const num = BigInt(inputFrames) * BigInt(outputFps.num) * BigInt(inputFps.den);
  const den = BigInt(outputFps.den) * BigInt(inputFps.num);
  return Number((num + den - 1n) / den);
}

/** A rate as people write it: 25, or 30000/1001 (ffmpeg reads both). */
function rateText(r: Rational): string {
  return r.den === 1 ? String(r.num) : formatRational(r);
}

/** The factor or the frame rate of a job's options, the factor checked before any file is opened. */
export function outputRateOf(options: OutputRate): OutputRate {
  if (options.fps !== undefined && options.factor !== undefined) throw new VideoError('USAGE', 'give a factor or a frame rate, not both');
  if (options.fps !== undefined) return { fps: options.fps };
  assertInterpolationFactor(options.factor);
  return { factor: options.factor };
}

/** The output's frame rate and frame count for an input of inputFrames frames at inputFps. */
export function outputRateFor(inputFrames: number, inputFps: Rational, rate: OutputRate): { fps: Rational; frames: number } {
  if (rate.fps === undefined) {
    assertInterpolationFactor(rate.factor);
    return { fps: interpolatedFrameRate(inputFps, rate.factor), frames: interpolatedFrameCount(inputFrames, rate.factor) };
  }
  const ratio = rationalToNumber(rate.fps) / rationalToNumber(inputFps);
  if (!(ratio > 1)) {
    // fewer frames than the input is dropping frames, which is not interpolation
    const target = rateText(rate.fps);
    throw new VideoError('USAGE', `--fps ${target} is not above the input's ${rateText(inputFps)} fps; to lower the rate use ffmpeg -vf fps=${target}`);
  }
  if (ratio > MAX_INTERPOLATION_FACTOR) {
    throw new VideoError('USAGE', `--fps ${rateText(rate.fps)} is more than ${MAX_INTERPOLATION_FACTOR} x the input's ${rateText(inputFps)} fps`);
  }
  return { fps: rate.fps, frames: frameCountAtRate(inputFrames, inputFps, rate.fps) };
}

export type InterpolateVideoOptions = VideoJobOptions &
  OutputRate & {
    interpolator: Interpolator;
    sceneCuts?: boolean | SceneCutOptions;
  };

export interface InterpolateVideoResult extends WriteResult {
  fps: Rational;
  sceneCuts: number[];
  /** The input's frames were not evenly spaced, so output frames were placed by their timestamps. */
  variableFrameRate: boolean;
}

/**
 * Where output frames go: by the input's timestamps when they are uneven, on
 * the even grid for a target rate, and none (factor frames per input frame)
 * for a factor on evenly spaced input.
 */
function timingFor(times: number[] | undefined, inputFps: Rational, rate: OutputRate, output: { fps: Rational; frames: number }): FrameTiming | undefined {
  const outputTiming = { outputFps: output.fps, outputFrames: output.frames };
  if (times && !evenlySpaced(times)) return { ...outputTiming, inputTimes: times };
  return rate.fps === undefined ? undefined : { ...outputTiming, inputFps };
}

/** Decode → interpolate → encode, streaming; audio is carried over from the input. */
export async function interpolateVideo(options: InterpolateVideoOptions): Promise<InterpolateVideoResult> {
  const rate = outputRateOf(options);
  const info = await prepareJob(options.input, options.output);
  const { fps, frames: total } = outputRateFor(info.frameCount, info.fps, rate);
  const times = await readFrameTimes(options.input, options.signal);
  const timing = timingFor(times, info.fps, rate, { fps, frames: total });
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
  return { ...result, fps, sceneCuts, variableFrameRate: timing !== undefined && 'inputTimes' in timing };
}
