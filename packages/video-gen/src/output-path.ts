/**
 * Output safety: refuse to overwrite the input, fail before any work when the
 * output cannot be written, and write to a temporary sibling that only
 * becomes the output by an atomic rename once encoding has succeeded.
 */
import { dirname, extname, resolve } from 'node:path';
// the module itself, not the package index: video I/O does not load tfjs
import { PendingFile } from '@diffgan/core-models/temp-files';
import { checkOutputPath as checkOutputFile, OutputPathError } from '@diffgan/core-models/output-path';
import { VideoError } from './errors';

/** ffmpeg muxer for each accepted output extension (the temp name hides the extension). */
const MUXER_BY_EXTENSION: Record<string, string> = { '.mp4': 'mp4', '.m4v': 'mp4', '.mov': 'mov', '.mkv': 'matroska' };

export function muxerForOutput(output: string): string {
  const muxer = MUXER_BY_EXTENSION[extname(output).toLowerCase()];
  if (!muxer) {
    throw new VideoError('USAGE', `unsupported output extension "${extname(output)}": use .mp4, .m4v, .mov or .mkv`);
  }
  return muxer;
}

/**
 * Throws OUTPUT_IS_INPUT or UNWRITABLE_OUTPUT (USAGE for an extension ffmpeg cannot mux); call
 * before decoding anything. The checks are core-models' one output-path check, its refusals
 * worded as vgen's.
 */
export async function checkOutputPath(input: string, output: string): Promise<void> {
  muxerForOutput(output);
  try {
    checkOutputFile(output, { input });
  } catch (err) {
    if (!(err instanceof OutputPathError)) throw err;
    const dir = dirname(resolve(output));
    switch (err.problem) {
      case 'is-input':
        throw new VideoError('OUTPUT_IS_INPUT', `output is the input file: ${output}`);
      case 'is-a-folder':
        throw new VideoError('UNWRITABLE_OUTPUT', `cannot write output: ${output} is a directory`);
      case 'no-folder':
        throw new VideoError('UNWRITABLE_OUTPUT', `cannot write output: directory ${dir} does not exist`);
      case 'not-a-folder':
        throw new VideoError('UNWRITABLE_OUTPUT', `cannot write output: ${dir} is not a directory`);
      default:
        throw new VideoError('UNWRITABLE_OUTPUT', `cannot write output ${output}: ${/\(([^()]*)\)$/.exec(err.message)?.[1] ?? err.message}`);
    }
  }
}

/**
 * A fresh hidden temporary beside the output (`.<name>.<pid>-<hex>.partial`, core-models'
 * PendingFile): the temporaries dead processes left beside this output are removed first
 * (nothing runs at SIGKILL), and an unfinished one is removed at process exit.
 */
export function newTemporary(output: string): PendingFile {
  return new PendingFile(resolve(output), 'partial');
}
