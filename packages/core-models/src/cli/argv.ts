/**
 * The raw argv parser under defineCommand: --key value, --key=value, --flag, -n 64, `--` before
 * positionals that start with '-'. Free of tfjs and the trainer, so light commands (vgen) can load it.
 */
import { DiffganError } from '../errors';

export interface ParsedArgs {
  _: string[];
  [k: string]: string | boolean | string[];
}

/**
 * With `known`, an option outside it is an error that names the option as typed (`-x`, `--sped`)
 * and ends with `hint` (default "see --help") and, when a known name is a typo away, "did you mean --speed?".
 */
export function parseArgs(argv: string[], spec: { boolean?: string[]; alias?: Record<string, string>; known?: string[]; hint?: string } = {}): ParsedArgs {
  const out: ParsedArgs = { _: [] };
  const bools = new Set(spec.boolean ?? []);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out._.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      let key = a.replace(/^--?/, ''),
        val: string | boolean | undefined;
      const eq = key.indexOf('=');
      if (eq >= 0) {
        val = key.slice(eq + 1);
        key = key.slice(0, eq);
      }
      key = spec.alias?.[key] ?? key;
      if (spec.known && !spec.known.includes(key) && !bools.has(key)) {
        const near = closestName(key, [...spec.known, ...bools]);
        throw new DiffganError(
          `unknown option ${a.split('=')[0]} (${spec.hint ?? 'see --help'}${near ? `; did you mean ${near.length === 1 ? '-' : '--'}${near}?` : ''})`,
        );
      }
      if (val === undefined) {
        if (bools.has(key)) val = true;
        else if (i + 1 < argv.length) val = argv[++i];
        else throw new DiffganError(`option --${key} needs a value`);
      }
      out[key] = val;
    } else out._.push(a);
  }
  return out;
}

/**
 * The known name a mistyped `name` most likely meant: at most one edit (insert, delete, replace,
 * swap of neighbours) per four characters, at least one; undefined when none is that close.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const budget = Math.max(1, Math.floor(name.length / 4));
  let best: string | undefined,
    bestD = budget + 1;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

/** Optimal-string-alignment distance: Levenshtein plus the swap of two neighbouring characters as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}
