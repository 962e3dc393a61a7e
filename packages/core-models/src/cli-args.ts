/** A tiny argv parser shared by the CLIs, benches and training commands: --key value, --key=value, --flag, -n 64, positionals. */
import { DiffganError } from './errors';
import { defaultWorkerCount, resolveTrainRuntime } from './train/parallel';
import type { ParallelTask, TrainRuntime } from './train/parallel';
import type { OptionSpec } from './cli/command';

export interface ParsedArgs { _: string[]; [k: string]: string | boolean | string[] }

/**
 * With `known`, an option outside it is an error that names the option as typed (`-x`, `--sped`)
 * and ends with `hint` (default "see --help") and, when a known name is a typo away, "did you mean --speed?".
 */
export function parseArgs(argv: string[], spec: { boolean?: string[]; alias?: Record<string, string>; known?: string[]; hint?: string } = {}): ParsedArgs {
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
      if (spec.known && !spec.known.includes(key) && !bools.has(key)) {
        const near = closestName(key, [...spec.known, ...bools]);
        throw new DiffganError(`unknown option ${a.split('=')[0]} (${spec.hint ?? 'see --help'}${near ? `; did you mean ${near.length === 1 ? '-' : '--'}${near}?` : ''})`);
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
  let best: string | undefined, bestD = budget + 1;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) { best = k; bestD = d; }
  }
  return best;
}

/** Optimal-string-alignment distance: Levenshtein plus the swap of two neighbouring characters as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
    d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
  }
  return d[a.length][b.length];
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

/** The runtime flags every training command takes, resolved (see trainRuntimeArgs). */
export interface TrainRuntimeArgs { runtime: TrainRuntime; threads: number; executionProvider: string; workers: number }

/** The runtime options every training command declares (spread into its defineCommand options). */
export const TRAIN_RUNTIME_OPTIONS = {
  runtime: { type: 'enum', choices: ['tfjs', 'onnxruntime', 'auto'], placeholder: 'R', help: 'tfjs, onnxruntime or auto (default auto: onnxruntime when onnxruntime-node\nloads, else tfjs; DIFFGAN_TRAIN_RUNTIME sets the default too)' },
  threads: { type: 'integer', min: 1, default: 1, help: 'onnxruntime: intra-op threads per worker' },
  ep: { type: 'string', default: 'cpu', placeholder: 'NAME', validate: (s: string) => /^[A-Za-z][\w-]*$/.test(s), help: 'onnxruntime: execution provider (default cpu; one that is not available\nfalls back to cpu with a warning)' },
  workers: { type: 'integer', min: 1, placeholder: 'W', help: 'data-parallel training workers (default: one per core)' },
} as const satisfies Record<string, OptionSpec>;

/** The values of TRAIN_RUNTIME_OPTIONS as defineCommand parsed them. */
export interface TrainRuntimeValues { runtime?: TrainRuntime | 'auto'; threads: number; ep: string; workers?: number }

/**
 * Resolves parsed runtime options for `task`: 'auto' (or none) becomes onnxruntime when it loads and
 * the task has an objective (an explicit --runtime wins over DIFFGAN_TRAIN_RUNTIME), and the worker
 * default follows the runtime.
 */
export function resolveRuntimeOptions(v: TrainRuntimeValues, task: Pick<ParallelTask, 'objective' | 'loss'>, taskName: string): TrainRuntimeArgs {
  const runtime = resolveTrainRuntime(v.runtime, task, taskName);
  return { runtime, threads: v.threads, executionProvider: v.ep, workers: v.workers ?? defaultWorkerCount(runtime) };
}

/** The help lines of --runtime, --threads and --ep, for a command's usage text (--workers is each command's own line). */
export const TRAIN_RUNTIME_HELP = `  --runtime R     tfjs, onnxruntime or auto (default auto: onnxruntime when onnxruntime-node
                  loads, else tfjs; DIFFGAN_TRAIN_RUNTIME sets the default too)
  --threads N     onnxruntime: intra-op threads per worker (default 1)
  --ep NAME       onnxruntime: execution provider (default cpu; one that is not available
                  falls back to cpu with a warning)`;

/**
 * Parses and checks --runtime tfjs|onnxruntime|auto, --threads N, --ep NAME and --workers W,
 * resolves 'auto' for `task` (onnxruntime when it loads and the task has an objective; an
 * explicit --runtime wins over DIFFGAN_TRAIN_RUNTIME) and picks the worker default for that runtime.
 */
export function trainRuntimeArgs(args: ParsedArgs, task: Pick<ParallelTask, 'objective' | 'loss'>, taskName: string): TrainRuntimeArgs {
  const { runtime: want, threads, executionProvider } = runtimeFlags(args);
  const runtime = resolveTrainRuntime(want, task, taskName);
  return { runtime, threads, executionProvider, workers: numberArg(args, 'workers', defaultWorkerCount(runtime), wholePositive) };
}

const wholePositive = (n: number): boolean => n >= 1 && Number.isInteger(n);

/** The runtime flags checked but not resolved (undefined runtime: auto, or DIFFGAN_TRAIN_RUNTIME), for commands that resolve per task later. */
export function runtimeFlags(args: ParsedArgs): { runtime?: TrainRuntime | 'auto'; threads: number; executionProvider: string } {
  const runtime = stringArg(args, 'runtime');
  if (runtime !== undefined && runtime !== 'auto' && runtime !== 'tfjs' && runtime !== 'onnxruntime') throw new DiffganError(`invalid value for --runtime: ${runtime} (tfjs, onnxruntime or auto)`);
  const threads = numberArg(args, 'threads', 1, wholePositive);
  const executionProvider = stringArg(args, 'ep', 'cpu')!;
  if (!/^[A-Za-z][\w-]*$/.test(executionProvider)) throw new DiffganError(`invalid value for --ep: ${executionProvider}`);
  return { runtime, threads, executionProvider };
}

/** Where training runs, for a command's start line: the ORT provider and threads, or the tfjs backend. */
export function runtimeLabel(rt: Pick<TrainRuntimeArgs, 'runtime' | 'threads' | 'executionProvider'>, tfjsBackend: string): string {
  return rt.runtime === 'onnxruntime' ? `onnxruntime (${rt.executionProvider}, ${rt.threads} thread(s) per worker)` : `tfjs-${tfjsBackend}`;
}
