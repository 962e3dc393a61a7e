/**
 * Temporary files beside their target: written there (same filesystem, so the final rename
 * is atomic) under one naming, `.<name>.<pid>-<hex>.<tmp|partial>`, so a later run can tell
 * which are stale. Nothing runs at SIGKILL: the next run that writes the same target removes
 * the temporaries of processes that no longer exist.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

/** A fresh temporary path for `target` ('partial' for streamed outputs such as a video being encoded). */
export function tempPathFor(target: string, kind: 'tmp' | 'partial' = 'tmp'): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.${kind}`);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes `target`'s temporaries whose writing process is gone: this naming, and the earlier
 * ones of our CLIs (`.<name>.<pid>.<rand>.tmp`, `.<name>.<pid>.tmp`, `<name>.tmp-<pid>`).
 * Returns the paths removed.
 */
export function removeStaleTemps(target: string): string[] {
  const dir = path.dirname(target),
    base = escapeRegExp(path.basename(target));
  const patterns = [new RegExp(`^\\.${base}\\.(\\d+)(?:[.-][0-9a-z]+)?\\.(?:tmp|partial)$`), new RegExp(`^${base}\\.tmp-(\\d+)$`)];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const m = patterns.map((p) => p.exec(n)).find((x) => x);
    if (!m || alive(Number(m[1]))) continue;
    const p = path.join(dir, n);
    try {
      fs.rmSync(p, { force: true });
      removed.push(p);
    } catch {
      /* another run removed it first */
    }
  }
  return removed;
}

/** Temporaries not yet committed or discarded: removed at process exit (an uncaught error, a second Ctrl-C). */
const live = new Set<string>();
let exitHook = false;

/**
 * A temporary beside `target` (stale ones of `target` removed first) that becomes `target` only
 * on commit(): a rename, so readers see the old file or the whole new one. Write it by path
 * (fs, sharp, ffmpeg, a stream); discard() or process exit removes it instead.
 */
export class PendingFile {
  readonly path: string;
  constructor(
    readonly target: string,
    kind: 'tmp' | 'partial' = 'tmp',
  ) {
    removeStaleTemps(target);
    this.path = tempPathFor(target, kind);
    live.add(this.path);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const t of live) {
          try {
            fs.rmSync(t, { force: true });
          } catch {
            /* best effort */
          }
        }
      });
    }
  }

  /** Renames the temporary onto the target; on failure removes it and rethrows. */
  commit(): void {
    try {
      fs.renameSync(this.path, this.target);
    } catch (e) {
      this.discard();
      throw e;
    }
    live.delete(this.path);
  }

  /** Removes the temporary (any number of times). */
  discard(): void {
    fs.rmSync(this.path, { force: true });
    live.delete(this.path);
  }
}

export interface AtomicWriteOptions {
  /** Create the target's missing parent folders first (default: a missing folder is an error). */
  makeDirs?: boolean;
}

/** Writes `data` to `file` through a temporary beside it and a rename: readers see the old file or the new one, never a part. */
export function writeFileAtomic(file: string, data: Buffer | Uint8Array | string, opts: AtomicWriteOptions = {}): void {
  if (opts.makeDirs) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = new PendingFile(file);
  try {
    fs.writeFileSync(tmp.path, data);
  } catch (e) {
    tmp.discard();
    throw e;
  }
  tmp.commit();
}

/** writeFileAtomic without blocking the event loop during the write. */
export async function writeFileAtomicAsync(file: string, data: Buffer | Uint8Array | string, opts: AtomicWriteOptions = {}): Promise<void> {
  if (opts.makeDirs) await fs.promises.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = new PendingFile(file);
  try {
    await fs.promises.writeFile(tmp.path, data);
  } catch (e) {
    tmp.discard();
    throw e;
  }
  tmp.commit();
}
