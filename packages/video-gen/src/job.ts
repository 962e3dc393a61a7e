/** Steps shared by every file-to-file command: validate, then stream frames into a writer. */
import { VideoError } from './errors';
import { VideoInfo, probe } from './ffmpeg';
import { Frame } from './frame';
import { FrameWriter, WriteResult } from './frame-writer';
import { checkOutputPath } from './output-path';

export interface JobProgress {
  framesWritten: number;
}

/** What every file-to-file command takes besides its own settings. */
export interface VideoJobOptions {
  input: string;
  output: string;
  /** libx264 quality (default 18) and preset (default 'medium') */
  crf?: number;
  preset?: string;
  signal?: AbortSignal;
  onStart?: (info: VideoInfo, totalOutputFrames: number) => void;
  onProgress?: (progress: JobProgress) => void;
}

/** Probes the input and checks the output before any decoding starts. */
export async function prepareJob(input: string, output: string): Promise<VideoInfo> {
  const info = await probe(input);
  if (info.frameCount < 2) {
    const what = info.frameCount === 0 ? 'has no frames' : 'has only one frame';
    throw new VideoError('TOO_FEW_FRAMES', `${input} ${what}; at least 2 are needed`);
  }
  await checkOutputPath(input, output);
  return info;
}

/** Writes every frame, then finishes; on any failure the partial output is removed. */
export async function writeFrames(writer: FrameWriter, frames: AsyncIterable<Frame>, onProgress?: (progress: JobProgress) => void): Promise<WriteResult> {
  try {
    for await (const frame of frames) {
      await writer.write(frame);
      onProgress?.({ framesWritten: writer.count });
    }
    return await writer.finish();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
