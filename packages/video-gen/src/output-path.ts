/**
 * Output safety: refuse to overwrite the input, fail before any work when the
 * output cannot be written, and write to a temporary sibling that only
 * becomes the output by an atomic rename once encoding has succeeded.
 */
import { promises as fs } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
// the module itself, not the package index: video I/O does not load tfjs
import { PendingFile, tempPathFor } from '@diffgan/core-models/temp-files';
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

async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    const [sa, sb] = await Promise.all([fs.stat(a), fs.stat(b)]);
    return sa.dev === sb.dev && sa.ino === sb.ino; // also catches hard links and symlinks
  } catch {
    return resolve(a) === resolve(b);
  }
}

/** Throws OUTPUT_IS_INPUT or UNWRITABLE_OUTPUT; call before decoding anything. */
export async function checkOutputPath(input: string, output: string): Promise<void> {
  muxerForOutput(output);
  if (await sameFile(input, output)) {
    throw new VideoError('OUTPUT_IS_INPUT', `output is the input file: ${output}`);
  }
  const dir = dirname(resolve(output));
  try {
    const stat = await fs.stat(output);
    if (stat.isDirectory()) throw new VideoError('UNWRITABLE_OUTPUT', `cannot write output: ${output} is a directory`);
  } catch (err) {
    if (err instanceof VideoError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new VideoError('UNWRITABLE_OUTPUT', `cannot write output ${output}: ${code}`);
  }
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw new Error('ENOTDIR');
  } catch {
    throw new VideoError('UNWRITABLE_OUTPUT', `cannot write output: directory ${dir} does not exist`);
  }
  // access() says yes to root even on read-only mounts, so create and remove a probe file instead
  const probeFile = tempPathFor(resolve(output));
  try {
    await (await fs.open(probeFile, 'wx')).close();
    await fs.unlink(probeFile);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const reason = WRITE_ERRORS[code] ?? (err as Error).message;
    throw new VideoError('UNWRITABLE_OUTPUT', `cannot write output ${output}: ${reason}`);
  }
}

const WRITE_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  ENOENT: 'cannot create files there',
  ENOTDIR: 'a parent is not a directory',
};

/**
 * A fresh hidden temporary beside the output (`.<name>.<pid>-<hex>.partial`, core-models'
 * PendingFile): the temporaries dead processes left beside this output are removed first
 * (nothing runs at SIGKILL), and an unfinished one is removed at process exit.
 */
export function newTemporary(output: string): PendingFile {
  return new PendingFile(resolve(output), 'partial');
}
