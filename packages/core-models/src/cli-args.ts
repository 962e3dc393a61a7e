/**
 * The old argv helpers (numberArg, stringArg, trainRuntimeArgs) that training scripts not yet on
 * defineCommand still call, and the runtime options every training command declares.
 */
import { DiffganError } from './errors';
import { defaultWorkerCount, resolveTrainRuntime } from './train/parallel';
import type { ParallelTask, TrainRuntime } from './train/parallel';
import type { OptionSpec } from './cli/command';

export { parseArgs, closestName } from './cli/argv';
export type { ParsedArgs } from './cli/argv';
import type { ParsedArgs } from './cli/argv';

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
