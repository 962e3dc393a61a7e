/**
 * Which runtime trains, and on how many workers. Apart from parallel.ts (which imports tfjs
 * types) so that command lines can offer the runtime options without reaching tfjs.
 */
import * as os from 'os';
import { DiffganError, warnLine } from '../errors';
import { currentBackend } from '../backend';
import { loadOrt, noteOrtFallback } from '../onnx/runner';

export type TrainRuntime = 'tfjs' | 'onnxruntime';

/** What the runtime choice looks at in a task: whether it has an engine objective and/or a tfjs loss. */
export interface TaskLosses {
  objective?: unknown;
  loss?: unknown;
}

/**
 * Which runtime trains a task: tfjs when asked, or when the task has only a tfjs loss (with
 * a one-line warning unless tfjs was asked for); onnxruntime when asked or by default when
 * it loads (auto without it prints noteOrtFallback's line once). Asking for onnxruntime where it is
 * not installed is an error.
 */
export function resolveTrainRuntime(
  want: TrainRuntime | 'auto' | undefined,
  task: TaskLosses,
  taskName: string,
  warn: (line: string) => void = warnLine,
): TrainRuntime {
  const w = want ?? (process.env.DIFFGAN_TRAIN_RUNTIME as TrainRuntime | 'auto' | undefined) ?? 'auto';
  if (w !== 'auto' && w !== 'tfjs' && w !== 'onnxruntime') throw new DiffganError(`unknown training runtime '${w}' (tfjs, onnxruntime or auto)`);
  if (w === 'tfjs') return 'tfjs';
  const haveOrt = loadOrt() !== null;
  if (!task.objective) {
    if (!task.loss) throw new DiffganError(`task ${taskName} has neither an objective nor a loss`);
    if (haveOrt || w === 'onnxruntime') warn(`${taskName}: its loss is written for tfjs only; training on tfjs`);
    return 'tfjs';
  }
  if (!haveOrt) {
    if (w === 'onnxruntime') throw new DiffganError('onnxruntime-node was requested for training but is not installed');
    noteOrtFallback(warn);
    return 'tfjs';
  }
  return 'onnxruntime';
}

export function defaultWorkerCount(runtime: TrainRuntime = 'tfjs'): number {
  if (runtime === 'onnxruntime') return Math.max(1, os.cpus().length);
  const b = currentBackend()?.name;
  return b === 'tensorflow' || b === 'tensorflow-gpu' ? 1 : Math.max(1, os.cpus().length);
}
