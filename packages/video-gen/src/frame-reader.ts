/**
 * Streaming decoder: ffmpeg writes raw RGB24 to stdout and we cut it into
 * frames. Only the frame being assembled plus the pipe's buffer are held, and
 * the pipe stops ffmpeg when the consumer stops pulling, so memory stays
 * bounded whatever the length of the video.
 */
import { spawn } from 'node:child_process';
import { VideoError, lastMeaningfulLine } from './errors';
import { TailBuffer, VideoInfo, locateFfmpeg, probe } from './ffmpeg';
import { Frame, frameByteLength } from './frame';

/** Colour conversion flags shared by reader and writer so a round trip is symmetric. */
export const SWS_FLAGS = 'bicubic+accurate_rnd+full_chroma_int';

export interface ReadFramesOptions {
  /** Saves a probe when the caller already has one. */
  info?: VideoInfo;
  /**
   * ffmpeg video filter applied before the RGB24 conversion (e.g.
   * "scale=352:288:flags=lanczos"). If it changes the size, pass outputSize.
   */
  filter?: string;
  outputSize?: { width: number; height: number };
  /** Stop after this many frames (decode order from frame 0). */
  maxFrames?: number;
  signal?: AbortSignal;
}

export async function* readFrames(path: string, options: ReadFramesOptions = {}): AsyncGenerator<Frame> {
  const info = options.info ?? (await probe(path));
  if (options.signal?.aborted) throw new VideoError('ABORTED', 'aborted');
  const width = options.outputSize?.width ?? info.width;
  const height = options.outputSize?.height ?? info.height;
  const frameSize = frameByteLength(width, height);
  const args = ['-v', 'error', '-nostdin', '-i', path, '-map', '0:v:0', '-vsync', '0', '-sws_flags', SWS_FLAGS];
  if (options.filter) args.push('-vf', options.filter);
  if (options.maxFrames !== undefined) args.push('-frames:v', String(options.maxFrames));
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');

  const child = spawn(locateFfmpeg().ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = new TailBuffer();
  child.stderr.on('data', (chunk: Buffer) => stderr.append(chunk));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let spawnError: Error | undefined;
  child.on('error', (err) => (spawnError = err));
  const onAbort = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let frame = new Uint8Array(frameSize);
  let filled = 0;
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(frameSize - filled, chunk.length - offset);
        frame.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === frameSize) {
          yield { data: frame, width, height };
          frame = new Uint8Array(frameSize);
          filled = 0;
        }
      }
    }
    const code = await closed;
    finished = true;
    if (options.signal?.aborted) throw new VideoError('ABORTED', 'aborted');
    if (spawnError) throw new VideoError('FFMPEG_FAILED', `cannot run ffmpeg: ${spawnError.message}`);
    if (code !== 0) throw new VideoError('FFMPEG_FAILED', `decoding ${path} failed: ${lastMeaningfulLine(stderr.toString())}`);
    if (filled !== 0) throw new VideoError('TRUNCATED', `decoding ${path} ended inside a frame`);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (!finished) {
      // the consumer stopped early (break, error or abort): do not leave ffmpeg running
      child.kill('SIGKILL');
      await closed;
    }
  }
}
