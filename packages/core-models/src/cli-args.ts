/**
 * The runtime options every training command declares (--runtime, --threads, --ep, --workers)
 * and their resolution for a task. The raw argv parser is cli/argv.ts, under defineCommand.
 */
import { defaultWorkerCount, resolveTrainRuntime } from './train/runtime';
import type { TaskLosses, TrainRuntime } from './train/runtime';
import type { OptionSpec } from './cli/command';

export { parseArgs, closestName } from './cli/argv';
export type { ParsedArgs } from './cli/argv';

/** The runtime flags every training command takes, resolved (see resolveRuntimeOptions). */
export interface TrainRuntimeArgs {
  runtime: TrainRuntime;
  threads: number;
  executionProvider: string;
  workers: number;
}

/** The runtime options every training command declares (spread into its defineCommand options). */
export const TRAIN_RUNTIME_OPTIONS = {
  runtime: {
    type: 'enum',
    choices: ['tfjs', 'onnxruntime', 'auto'],
    placeholder: 'R',
    help: 'tfjs, onnxruntime or auto (default auto: onnxruntime when onnxruntime-node\nloads, else tfjs; DIFFGAN_TRAIN_RUNTIME sets the default too)',
  },
  threads: { type: 'integer', min: 1, default: 1, help: 'onnxruntime: intra-op threads per worker' },
  ep: {
    type: 'string',
    default: 'cpu',
    placeholder: 'NAME',
    validate: (s: string) => /^[A-Za-z][\w-]*$/.test(s),
    help: 'onnxruntime: execution provider (default cpu; one that is not available\nfalls back to cpu with a warning)',
  },
  workers: { type: 'integer', min: 1, placeholder: 'W', help: 'data-parallel training workers (default: one per core)' },
} as const satisfies Record<string, OptionSpec>;

/** The values of TRAIN_RUNTIME_OPTIONS as defineCommand parsed them. */
export interface TrainRuntimeValues {
  runtime?: TrainRuntime | 'auto';
  threads: number;
  ep: string;
  workers?: number;
}

/**
 * Resolves parsed runtime options for `task`: 'auto' (or none) becomes onnxruntime when it loads and
 * the task has an objective (an explicit --runtime wins over DIFFGAN_TRAIN_RUNTIME), and the worker
 * default follows the runtime.
 */
export function resolveRuntimeOptions(v: TrainRuntimeValues, task: TaskLosses, taskName: string): TrainRuntimeArgs {
  const runtime = resolveTrainRuntime(v.runtime, task, taskName);
  return { runtime, threads: v.threads, executionProvider: v.ep, workers: v.workers ?? defaultWorkerCount(runtime) };
}

/** Where training runs, for a command's start line: the ORT provider and threads, or the tfjs backend. */
export function runtimeLabel(rt: Pick<TrainRuntimeArgs, 'runtime' | 'threads' | 'executionProvider'>, tfjsBackend: string): string {
  return rt.runtime === 'onnxruntime' ? `onnxruntime (${rt.executionProvider}, ${rt.threads} thread(s) per worker)` : `tfjs-${tfjsBackend}`;
}
