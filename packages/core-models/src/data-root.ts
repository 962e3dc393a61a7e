/**
 * Where the shared read-only data lives (MNIST, the SR sets, the videos, the speech corpus):
 * a command's `--data DIR` when given, else $DIFFGAN_DATA, else `<repo>/../shared/data`.
 * Never copied into the repository.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DiffganError } from './errors';

/** Nearest ancestor of `start` whose package.json declares npm workspaces (the monorepo root). */
export function findRepoRoot(start: string = __dirname): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    try {
      if (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).workspaces) return dir;
    } catch {
      /* no or unreadable package.json: keep walking up */
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The default data root ($DIFFGAN_DATA, else `<repo>/../shared/data`), or undefined when it does not exist (tests skip then). */
export function findDataRoot(): string | undefined {
  const candidate = defaultCandidate();
  return candidate && fs.existsSync(candidate) ? candidate : undefined;
}

function defaultCandidate(): string | undefined {
  if (process.env.DIFFGAN_DATA) return path.resolve(process.env.DIFFGAN_DATA);
  const repo = findRepoRoot();
  return repo ? path.resolve(repo, '..', 'shared', 'data') : undefined;
}

/**
 * The data root a command reads: `dataArg` (its `--data DIR`) when given, else the default.
 * `holding` (e.g. 'sr/train') must exist under it. Throws a DiffganError that names the folder
 * looked at and what to pass when either is missing.
 */
export function requireDataRoot(dataArg?: string, holding?: string): string {
  const root = dataArg !== undefined ? path.resolve(dataArg) : defaultCandidate();
  const how = `pass --data DIR (the folder holding ${holding ?? 'the shared data'}) or set DIFFGAN_DATA`;
  if (!root || !fs.existsSync(root)) throw new DiffganError(`no data${root ? ` at ${root}` : ''}: ${how}`);
  if (holding && !fs.existsSync(path.join(root, holding))) throw new DiffganError(`no ${holding} under ${root}: ${how}`);
  return root;
}
