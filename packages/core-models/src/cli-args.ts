/** A tiny argv parser shared by the CLIs, benches and training commands: --key value, --key=value, --flag, -n 64, positionals. */
import { DiffganError } from './errors';

export interface ParsedArgs { _: string[]; [k: string]: string | boolean | string[] }

export function parseArgs(argv: string[], spec: { boolean?: string[]; alias?: Record<string, string>; known?: string[] } = {}): ParsedArgs {
  const out: ParsedArgs = { _: [] };
  const bools = new Set(spec.boolean ?? []);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { out._.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      let key = a.replace(/^--?/, ''), val: string | boolean | undefined;
      const eq = key.indexOf('=');
      if (eq >= 0) { val = key.slice(eq + 1); key = key.slice(0, eq); }
      key = spec.alias?.[key] ?? key;
      if (spec.known && !spec.known.includes(key) && !bools.has(key)) throw new DiffganError(`unknown option --${key} (see --help)`);
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

export function numberArg(args: ParsedArgs, key: string, def: number, check: (n: number) => boolean = () => true): number {
  const v = args[key];
  if (v === undefined) return def;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || !check(n)) throw new DiffganError(`invalid value for --${key}: ${String(v)}`);
  return n;
}

export function stringArg(args: ParsedArgs, key: string, def?: string): string | undefined {
  const v = args[key];
  if (v === undefined) return def;
  if (typeof v !== 'string') throw new DiffganError(`option --${key} needs a value`);
  return v;
}
