/** Where the shared (read-only) data lives: $DIFFGAN_DATA, else <repo>/../shared/data. */
import * as path from 'path';

export function dataDir(): string {
  const fromEnv = process.env.DIFFGAN_DATA;
  if (fromEnv) return path.resolve(fromEnv);
  // This file sits at <repo>/packages/tts/{src,dist}/dataDir.*
  const repo = path.resolve(__dirname, '..', '..', '..');
  return path.resolve(repo, '..', 'shared', 'data');
}

/** The BZNSYP corpus folder. */
export function bznsypDir(): string {
  return path.join(dataDir(), 'tts', 'bznsyp');
}
