import { promises as fs } from 'fs';
import * as path from 'path';

/**
 * Writes to a temporary file in the target's directory, then renames it over
 * the target. rename() within one filesystem is atomic, so readers see either
 * the old file or the complete new one, and a crash mid-write leaves no
 * truncated output under the final name.
 */
export async function writeFileAtomic(file: string, contents: string | Uint8Array): Promise<void> {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const unique = `${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 10)}`;
  const tmp = path.join(dir, `.${path.basename(target)}.${unique}.tmp`);
  try {
    await fs.writeFile(tmp, contents);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
