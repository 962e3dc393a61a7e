/** The runtime flags both training commands take: --runtime tfjs|onnxruntime|auto, --threads N, --ep NAME. */
import { numberArg, stringArg, resolveTrainRuntime, defaultWorkerCount, DiffganError } from '@diffgan/core-models';
import type { ParsedArgs, ParallelTask, TrainRuntime } from '@diffgan/core-models';

export interface RuntimeArgs { runtime: TrainRuntime; threads: number; executionProvider: string; workers: number }

/**
 * Parses and validates the runtime flags, resolves 'auto' for `task` (onnxruntime when it
 * loads) and picks the worker default for that runtime (--workers overrides it).
 */
export function runtimeArgs(args: ParsedArgs, task: Pick<ParallelTask, 'objective' | 'loss'>, taskName: string): RuntimeArgs {
  const want = stringArg(args, 'runtime', 'auto')!;
  if (want !== 'auto' && want !== 'tfjs' && want !== 'onnxruntime') throw new DiffganError(`invalid value for --runtime: ${want} (tfjs, onnxruntime or auto)`);
  const threads = numberArg(args, 'threads', 1, (n) => n >= 1 && Number.isInteger(n));
  const executionProvider = stringArg(args, 'ep', 'cpu')!;
  if (!/^[A-Za-z][\w-]*$/.test(executionProvider)) throw new DiffganError(`invalid value for --ep: ${executionProvider}`);
  // an explicit --runtime wins over DIFFGAN_TRAIN_RUNTIME; without it the env var applies (as in runParallel)
  const runtime = resolveTrainRuntime(args.runtime === undefined ? undefined : want, task, taskName, (l) => process.stderr.write(l + '\n'));
  const workers = numberArg(args, 'workers', defaultWorkerCount(runtime), (n) => n >= 1 && Number.isInteger(n));
  return { runtime, threads, executionProvider, workers };
}

/** Where training runs, for the start line: the ORT provider and threads, or the tfjs backend. */
export function runtimeLabel(rt: RuntimeArgs, tfjsBackend: string): string {
  return rt.runtime === 'onnxruntime' ? `onnxruntime (${rt.executionProvider}, ${rt.threads} thread(s) per worker)` : `tfjs-${tfjsBackend}`;
}
