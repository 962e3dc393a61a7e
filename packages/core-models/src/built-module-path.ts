import * as fs from 'fs';
import * as path from 'path';

/**
 * A module that worker threads load by path: the compiled file beside the caller when it runs
 * from dist, else (the caller runs from TypeScript sources, e.g. in tests) the built copy in the
 * package's dist/ at the same place.
 */
export function builtModulePath(dir: string, file: string): string {
  const js = path.join(dir, file);
  if (fs.existsSync(js)) return js;
  const parts = dir.split(path.sep),
    src = parts.lastIndexOf('src');
  return src < 0 ? js : path.join([...parts.slice(0, src), 'dist', ...parts.slice(src + 1)].join(path.sep), file);
}
