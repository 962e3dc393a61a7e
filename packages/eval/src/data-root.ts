import * as fs from 'fs';
import * as path from 'path';

/** Nearest ancestor of `start` whose package.json declares npm workspaces (the monorepo root). */
export function findRepoRoot(start: string = __dirname): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).workspaces) return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The shared read-only data directory: $DIFFGAN_DATA if set, else
 * `<repo>/../shared/data`. Returns undefined when it does not exist, so tests
 * can skip with a message instead of failing on machines without the data.
 */
export function findDataRoot(): string | undefined {
  const fromEnv = process.env.DIFFGAN_DATA;
  const root = findRepoRoot();
  const candidate = fromEnv ? path.resolve(fromEnv) : root ? path.resolve(root, '..', 'shared', 'data') : undefined;
  return candidate && fs.existsSync(candidate) ? candidate : undefined;
}
