/**
 * The one output-path check of the commands that write a file, run before any work: the output's
 * folder exists and accepts files, the output is not a folder, and it is not the input (same path,
 * or the same file through a link). An existing output file is replaced, as every command does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DiffganError } from '../errors';
import { tempPathFor } from '../temp-files';

export type OutputProblem = 'extension' | 'no-folder' | 'not-a-folder' | 'is-a-folder' | 'is-input' | 'not-writable';

/** Why an output path was refused; `problem` lets a command map it to its own error type. */
export class OutputPathError extends DiffganError {
  constructor(
    readonly problem: OutputProblem,
    message: string,
  ) {
    super(message);
    this.name = 'OutputPathError';
  }
}

const WRITE_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  ENOENT: 'cannot create files there',
  ENOTDIR: 'a parent is not a folder',
};

/**
 * Throws OutputPathError unless `output` can be written. `extensions` (lower case, with the dot)
 * limits its file type; `input` is the file the command reads, which it must not overwrite.
 */
export function checkOutputPath(output: string, opts: { input?: string; extensions?: readonly string[] } = {}): void {
  const out = path.resolve(output);
  const ext = opts.extensions;
  if (ext && !ext.includes(path.extname(out).toLowerCase())) {
    const list = ext.length === 1 ? ext[0] : `${ext.slice(0, -1).join(', ')} or ${ext[ext.length - 1]}`;
    throw new OutputPathError('extension', `output must be a ${list} file: ${output}`);
  }
  const dir = path.dirname(out);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new OutputPathError('no-folder', `output folder does not exist: ${dir}`);
  }
  if (!st.isDirectory()) throw new OutputPathError('not-a-folder', `output folder is not a folder: ${dir}`);
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(out);
  } catch {
    /* a new file */
  }
  if (existing?.isDirectory()) throw new OutputPathError('is-a-folder', `output is a folder: ${output}`);
  if (opts.input !== undefined) {
    const inp = path.resolve(opts.input);
    let same = inp === out;
    // the same file under another name: a hard link, or a symlink to it
    if (!same && existing) {
      try {
        const a = fs.statSync(inp);
        same = a.ino === existing.ino && a.dev === existing.dev;
      } catch {
        /* input missing: reported by its reader */
      }
    }
    if (same) throw new OutputPathError('is-input', `output would overwrite the input: ${output}`);
  }
  // access(W_OK) says yes to root even on read-only mounts: create and remove a probe file instead
  // (in the temp naming, so a probe left by kill -9 is removed by a later run)
  const probe = tempPathFor(out);
  try {
    fs.writeFileSync(probe, '', { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new OutputPathError(
      'not-writable',
      `output folder is not writable: ${dir} (${WRITE_ERRORS[code] ?? (code || String((e as Error).message).split('\n')[0])})`,
    );
  }
  fs.rmSync(probe, { force: true });
}
