/**
 * Streaming encoder: RGB24 frames go to ffmpeg's stdin as rawvideo and come
 * out as H.264 (libx264, yuv420p) with the source's audio track carried over.
 *
 * The file is written to a hidden temporary sibling and renamed onto the
 * output only after ffmpeg exits cleanly; on failure or abort the temporary
 * is deleted, so a half-written video never appears under the output name.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { VideoError, lastMeaningfulLine } from './errors';
import { TailBuffer, locateFfmpeg } from './ffmpeg';
import { Frame, assertFrameShape } from './frame';
import { SWS_FLAGS } from './frame-reader';
import { muxerForOutput, newTemporary } from './output-path';
import type { PendingFile } from '@diffgan/core-models/temp-files';
import { Rational, formatRational } from './rational';

export interface FrameWriterOptions {
  output: string;
  width: number;
  height: number;
  fps: Rational;
  /** libx264 constant rate factor, 0 (lossless luma) to 51; default 18. */
  crf?: number;
  /** libx264 preset; default "medium". */
  preset?: string;
  /** Copy (or, if the container cannot hold it, re-encode to AAC) the audio of this file. */
  audioFrom?: string;
  /** Codec name of audioFrom's audio (from probe), to decide between copy and AAC. */
  audioCodec?: string;
  /** Pixel aspect ratio to record in the output, e.g. 128:117 for QCIF sources. */
  sampleAspectRatio?: Rational;
  /**
   * H.264 in yuv420p needs an even width and height. 'keep' (default): an odd
   * size is kept by encoding yuv444p (High 4:4:4 profile, which some players,
   * browsers among them, cannot play); 'crop': the last column/row is dropped
   * and the output stays yuv420p.
   */
  oddSize?: 'keep' | 'crop';
  signal?: AbortSignal;
}

/** yuv420p stores chroma per 2x2 block, so with oddSize 'crop' odd sizes lose their last column/row. */
export interface EvenSizeCrop {
  right: 0 | 1;
  bottom: 0 | 1;
}

export interface WriteResult {
  output: string;
  framesWritten: number;
  width: number;
  height: number;
  crop: EvenSizeCrop;
  /** yuv420p, or yuv444p for an odd size kept as it is. */
  pixelFormat: 'yuv420p' | 'yuv444p';
}

/** Audio codecs MP4/MOV can carry as-is; anything else is re-encoded to AAC. */
const MP4_SAFE_AUDIO = new Set(['aac', 'mp3', 'ac3', 'eac3', 'alac']);

export function evenSizeCrop(width: number, height: number): EvenSizeCrop {
  return { right: (width % 2) as 0 | 1, bottom: (height % 2) as 0 | 1 };
}

/** The pixel format and crop FrameWriter uses for a frame size. */
export function encodingFor(width: number, height: number, oddSize: 'keep' | 'crop' = 'keep'): { pixelFormat: 'yuv420p' | 'yuv444p'; crop: EvenSizeCrop } {
  const odd = width % 2 === 1 || height % 2 === 1;
  if (odd && oddSize === 'keep') return { pixelFormat: 'yuv444p', crop: { right: 0, bottom: 0 } };
  return { pixelFormat: 'yuv420p', crop: evenSizeCrop(width, height) };
}

export class FrameWriter {
  private framesWritten = 0;
  private failure: VideoError | undefined;
  private state: 'open' | 'finishing' | 'done' | 'aborted' = 'open';
  private aborting: Promise<void> | undefined;
  private readonly stderr = new TailBuffer();
  private readonly exited: Promise<number | null>;
  private readonly onAbort = () => void this.abort();
  readonly crop: EvenSizeCrop;
  readonly pixelFormat: 'yuv420p' | 'yuv444p';

  private constructor(
    private readonly options: FrameWriterOptions,
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly temporary: PendingFile,
  ) {
    ({ crop: this.crop, pixelFormat: this.pixelFormat } = encodingFor(options.width, options.height, options.oddSize));
    child.stderr.on('data', (chunk: Buffer) => this.stderr.append(chunk));
    // EPIPE when ffmpeg dies early: the exit code tells the real story
    child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      child.on('error', (err) => {
        this.failure ??= new VideoError('FFMPEG_FAILED', `cannot run ffmpeg: ${err.message}`);
        resolve(null);
      });
      child.on('close', (code) => resolve(code));
    });
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  static async open(options: FrameWriterOptions): Promise<FrameWriter> {
    const muxer = muxerForOutput(options.output);
    if (options.signal?.aborted) throw new VideoError('ABORTED', 'aborted');
    const temporary = newTemporary(options.output);
    const { width, height } = options;
    const { crop, pixelFormat } = encodingFor(width, height, options.oddSize);
    const filters: string[] = [];
    if (crop.right || crop.bottom) filters.push(`crop=${width - crop.right}:${height - crop.bottom}:0:0`);
    if (options.sampleAspectRatio) filters.push(`setsar=sar=${formatRational(options.sampleAspectRatio)}:max=65535`);

    const args = ['-v', 'error', '-y'];
    args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', '-video_size', `${width}x${height}`);
    args.push('-framerate', formatRational(options.fps), '-i', 'pipe:0');
    if (options.audioFrom) args.push('-i', options.audioFrom);
    args.push('-map', '0:v:0');
    if (options.audioFrom) args.push('-map', '1:a?');
    args.push('-sws_flags', SWS_FLAGS);
    if (filters.length) args.push('-vf', filters.join(','));
    args.push('-c:v', 'libx264', '-preset', options.preset ?? 'medium', '-crf', String(options.crf ?? 18));
    args.push('-pix_fmt', pixelFormat, '-r', formatRational(options.fps));
    if (options.audioFrom) {
      const copyable = muxer === 'matroska' || MP4_SAFE_AUDIO.has(options.audioCodec ?? 'aac');
      args.push(...(copyable ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '192k']));
    }
    if (muxer === 'mp4' || muxer === 'mov') args.push('-movflags', '+faststart');
    args.push('-f', muxer, temporary.path);

    const child = spawn(locateFfmpeg().ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.resume();
    return new FrameWriter(options, child, temporary);
  }

  get count(): number {
    return this.framesWritten;
  }

  /** Resolves once ffmpeg can take more input: this is the backpressure point. */
  async write(frame: Frame): Promise<void> {
    if (this.state !== 'open') throw this.failure ?? new VideoError('ABORTED', 'writer is closed');
    assertFrameShape(frame, this.options.width, this.options.height, 'frame writer input');
    const accepted = this.child.stdin.write(frame.data);
    this.framesWritten++;
    if (!accepted) await this.drainOrExit();
  }

  private drainOrExit(): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child.stdin;
      const onDrain = () => {
        cleanup();
        resolve();
      };
      const onExit = () => {
        cleanup();
        reject(this.failure ?? this.ffmpegFailure('ffmpeg stopped reading frames'));
      };
      const cleanup = () => {
        stdin.off('drain', onDrain);
        this.child.off('close', onExit);
      };
      stdin.once('drain', onDrain);
      this.child.once('close', onExit);
    });
  }

  private ffmpegFailure(fallback: string): VideoError {
    const tail = this.stderr.toString().trim();
    return new VideoError('FFMPEG_FAILED', `encoding ${this.options.output} failed: ${tail ? lastMeaningfulLine(tail) : fallback}`);
  }

  /** Closes stdin, waits for ffmpeg, then renames the temporary onto the output. */
  async finish(): Promise<WriteResult> {
    if (this.state !== 'open') throw this.failure ?? new VideoError('ABORTED', 'writer is closed');
    this.state = 'finishing';
    this.child.stdin.end();
    const code = await this.exited;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    try {
      if ((this.state as string) === 'aborted') throw new VideoError('ABORTED', 'aborted');
      if (code !== 0) throw this.failure ?? this.ffmpegFailure(`ffmpeg exited with code ${code}`);
      this.temporary.commit();
    } catch (err) {
      this.temporary.discard();
      throw err instanceof VideoError ? err : new VideoError('UNWRITABLE_OUTPUT', `cannot write output ${this.options.output}: ${(err as Error).message}`);
    }
    this.state = 'done';
    const { width, height } = this.options;
    return {
      output: this.options.output,
      framesWritten: this.framesWritten,
      width: width - this.crop.right,
      height: height - this.crop.bottom,
      crop: this.crop,
      pixelFormat: this.pixelFormat,
    };
  }

  /**
   * Stops ffmpeg and deletes the temporary. Safe to call at any time, more than once: a later
   * call (e.g. after the signal's own abort) resolves when the temporary is gone, not before.
   */
  abort(): Promise<void> {
    if (this.state === 'done') return Promise.resolve();
    this.aborting ??= (async () => {
      this.state = 'aborted';
      this.failure ??= new VideoError('ABORTED', 'aborted');
      this.options.signal?.removeEventListener('abort', this.onAbort);
      this.child.kill('SIGKILL');
      await this.exited;
      this.temporary.discard();
    })();
    return this.aborting;
  }
}
