/**
 * Benchmark baseline: ffmpeg's motion-compensated interpolation filter
 * (minterpolate, mi_mode=mci), run file-to-file. It is not an Interpolator
 * because it needs the whole stream, not one pair of frames.
 *
 * It runs at the same output rate and frame count as interpolateVideo (a
 * factor, or a frame rate R: see interpolate.ts). minterpolate emits a few
 * frames fewer (it stops at the last input timestamp and drops a little
 * more), so the tail is padded by cloning the last frame and then cut at
 * exactly that count, matching interpolateVideo and the input's duration.
 */
import { spawn } from 'node:child_process';
import { VideoError, lastMeaningfulLine } from './errors';
import { TailBuffer, locateFfmpeg } from './ffmpeg';
import { encodingFor } from './frame-writer';
import { OutputRate, outputRateFor, outputRateOf } from './interpolate';
import { VideoJobOptions, prepareJob } from './job';
import { muxerForOutput, newTemporary } from './output-path';
import { Rational, formatRational, rationalToNumber } from './rational';

export type MinterpolateVideoOptions = VideoJobOptions & OutputRate;

export interface MinterpolateVideoResult {
  output: string;
  framesWritten: number;
  fps: Rational;
  width: number;
  height: number;
  pixelFormat: 'yuv420p' | 'yuv444p';
}

export async function minterpolateVideo(options: MinterpolateVideoOptions): Promise<MinterpolateVideoResult> {
  const rate = outputRateOf(options);
  const info = await prepareJob(options.input, options.output);
  const muxer = muxerForOutput(options.output);
  const { fps, frames: total } = outputRateFor(info.frameCount, info.fps, rate);
  options.onStart?.(info, total);
  // four input frames' worth of clones covers what minterpolate leaves off; -frames:v cuts the rest
  const pad = 4 * Math.ceil(rationalToNumber(fps) / rationalToNumber(info.fps));
  const filter = [`minterpolate=fps=${formatRational(fps)}:mi_mode=mci`, `tpad=stop_mode=clone:stop=${pad}`].join(',');
  // an odd size is kept, as FrameWriter does: yuv420p needs an even one
  const { pixelFormat } = encodingFor(info.width, info.height);
  const temporary = newTemporary(options.output);
  const args = ['-v', 'error', '-nostdin', '-y', '-i', options.input, '-map', '0:v:0', '-map', '0:a?'];
  args.push('-vf', filter, '-frames:v', String(total));
  args.push('-c:v', 'libx264', '-preset', options.preset ?? 'medium', '-crf', String(options.crf ?? 18), '-pix_fmt', pixelFormat);
  args.push('-c:a', 'copy', '-progress', 'pipe:1', '-nostats');
  if (muxer === 'mp4' || muxer === 'mov') args.push('-movflags', '+faststart');
  args.push('-f', muxer, temporary.path);

  const child = spawn(locateFfmpeg().ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = new TailBuffer();
  child.stderr.on('data', (chunk: Buffer) => stderr.append(chunk));
  let framesWritten = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    const matches = [...chunk.toString().matchAll(/^frame=(\d+)/gm)];
    if (matches.length) {
      framesWritten = Number(matches[matches.length - 1][1]);
      options.onProgress?.({ framesWritten });
    }
  });
  const onAbort = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', resolve);
  });
  options.signal?.removeEventListener('abort', onAbort);
  try {
    if (options.signal?.aborted) throw new VideoError('ABORTED', 'aborted');
    if (code !== 0) {
      throw new VideoError('FFMPEG_FAILED', `minterpolate failed on ${options.input}: ${lastMeaningfulLine(stderr.toString())}`);
    }
    temporary.commit();
  } catch (err) {
    temporary.discard();
    throw err;
  }
  return { output: options.output, framesWritten: total, fps, width: info.width, height: info.height, pixelFormat };
}
