/**
 * Video upscaling: a pluggable per-frame Upscaler, or ffmpeg's Lanczos
 * scaler as the baseline (applied inside the decoder, so the same streaming
 * writer, progress and cleanup are used for both).
 */
import { VideoError } from './errors';
import { Frame, assertFrameShape } from './frame';
import { FrameWriter, WriteResult } from './frame-writer';
import { readFrames } from './frame-reader';
import { VideoJobOptions, prepareJob, writeFrames } from './job';

export type UpscaleFactor = 2 | 4;

export const UPSCALE_FACTORS: readonly UpscaleFactor[] = [2, 4];

/** The low-resolution neighbours of the frame being upscaled, for temporally aware models. */
export interface UpscaleContext {
  /** Decode-order index of `frame`. */
  index: number;
  previous?: Frame;
  next?: Frame;
}

/**
 * Returns `frame` enlarged to (width·scale)×(height·scale) RGB24. Must not
 * modify its inputs. May be async.
 */
export type Upscaler = (frame: Frame, scale: UpscaleFactor, context: UpscaleContext) => Frame | Promise<Frame>;

export function assertUpscaleFactor(scale: number): asserts scale is UpscaleFactor {
  if (!UPSCALE_FACTORS.includes(scale as UpscaleFactor)) {
    throw new VideoError('USAGE', `scale must be 2 or 4, got ${scale}`);
  }
}

/** ffmpeg filter for the Lanczos baseline. */
export function lanczosFilter(width: number, height: number, scale: UpscaleFactor): string {
  return `scale=${width * scale}:${height * scale}:flags=lanczos`;
}

/** Runs an Upscaler over a frame stream with one frame of look-ahead (three frames held). */
export async function* upscaleFrames(frames: AsyncIterable<Frame> | Iterable<Frame>, scale: UpscaleFactor, upscaler: Upscaler): AsyncGenerator<Frame> {
  let previous: Frame | undefined;
  let current: Frame | undefined;
  let index = 0;
  async function run(frame: Frame, next: Frame | undefined): Promise<Frame> {
    const made = await upscaler(frame, scale, { index, previous, next });
    assertFrameShape(made, frame.width * scale, frame.height * scale, 'upscaler');
    index++;
    return made;
  }
  for await (const frame of frames) {
    if (current) {
      yield await run(current, frame);
      previous = current;
    }
    current = frame;
  }
  if (current) yield await run(current, undefined);
}

export type UpscaleMethod = { kind: 'lanczos' } | { kind: 'model'; upscaler: Upscaler };

export interface UpscaleVideoOptions extends VideoJobOptions {
  scale: UpscaleFactor;
  method: UpscaleMethod;
}

export async function upscaleVideo(options: UpscaleVideoOptions): Promise<WriteResult> {
  assertUpscaleFactor(options.scale);
  const info = await prepareJob(options.input, options.output);
  const { scale, method, signal } = options;
  const width = info.width * scale;
  const height = info.height * scale;
  options.onStart?.(info, info.frameCount);
  const writer = await FrameWriter.open({
    output: options.output,
    width,
    height,
    fps: info.fps,
    crf: options.crf,
    preset: options.preset,
    audioFrom: info.hasAudio ? options.input : undefined,
    audioCodec: info.audioCodec,
    sampleAspectRatio: info.sampleAspectRatio,
    signal,
  });
  const frames =
    method.kind === 'lanczos'
      ? readFrames(options.input, { info, signal, filter: lanczosFilter(info.width, info.height, scale), outputSize: { width, height } })
      : upscaleFrames(readFrames(options.input, { info, signal }), scale, method.upscaler);
  return writeFrames(writer, frames, options.onProgress);
}
