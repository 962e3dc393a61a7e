/** The training commands' runtime flags: --runtime, --threads, --ep, --workers (validated like the other flags). */
import { runtimeLabel, TRAIN_RUNTIME_OPTIONS, resolveRuntimeOptions } from './cli-args';
import { defineCommand } from './cli/command';
import { defaultWorkerCount } from './train/parallel';
import { loadOrt } from './onnx/runner';

const task = {
  objective: () => {
    throw new Error('not called');
  },
};
const train = defineCommand({ name: 'train', summary: 'trains', options: { ...TRAIN_RUNTIME_OPTIONS } });
const parse = (...argv: string[]) => resolveRuntimeOptions(train.parse(argv), task, 'task');

describe('training runtime flags', () => {
  const env = process.env.DIFFGAN_TRAIN_RUNTIME;
  beforeEach(() => {
    delete process.env.DIFFGAN_TRAIN_RUNTIME;
  });
  afterAll(() => {
    if (env === undefined) delete process.env.DIFFGAN_TRAIN_RUNTIME;
    else process.env.DIFFGAN_TRAIN_RUNTIME = env;
  });

  test('defaults: auto (onnxruntime when it loads), 1 thread, cpu, workers for that runtime', () => {
    const want = loadOrt() ? 'onnxruntime' : 'tfjs';
    expect(parse()).toEqual({ runtime: want, threads: 1, executionProvider: 'cpu', workers: defaultWorkerCount(want) });
  });

  test('explicit values win; without --runtime, DIFFGAN_TRAIN_RUNTIME applies', () => {
    expect(parse('--runtime', 'tfjs', '--threads', '2', '--ep', 'cuda', '--workers', '3')).toEqual({
      runtime: 'tfjs',
      threads: 2,
      executionProvider: 'cuda',
      workers: 3,
    });
    process.env.DIFFGAN_TRAIN_RUNTIME = 'tfjs';
    expect(parse().runtime).toBe('tfjs');
  });

  test.each([
    [['--runtime', 'gpu'], /--runtime: gpu/],
    [['--threads', '0'], /--threads/],
    [['--threads', '1.5'], /--threads/],
    [['--ep', ''], /--ep/],
    [['--ep', 'a b'], /--ep/],
    [['--workers', '0'], /--workers/],
  ])('rejects %j', (argv, msg) => {
    expect(() => parse(...argv)).toThrow(msg);
  });

  test('the start line names the provider and threads, or the tfjs backend', () => {
    expect(runtimeLabel({ runtime: 'onnxruntime', threads: 1, executionProvider: 'cpu' }, 'wasm')).toBe('onnxruntime (cpu, 1 thread(s) per worker)');
    expect(runtimeLabel({ runtime: 'tfjs', threads: 1, executionProvider: 'cpu' }, 'wasm')).toBe('tfjs-wasm');
  });
});
