/** The training commands' runtime flags: --runtime, --threads, --ep (validated like the other flags). */
import { parseArgs, loadOrt, defaultWorkerCount } from '@diffgan/core-models';
import { runtimeArgs } from './train-args';
import { srObjective } from './train-task';

const task = { objective: srObjective };
const parse = (...argv: string[]) => runtimeArgs(parseArgs(argv), task, 'train-task');

describe('training runtime flags', () => {
  const env = process.env.DIFFGAN_TRAIN_RUNTIME;
  beforeEach(() => { delete process.env.DIFFGAN_TRAIN_RUNTIME; });
  afterAll(() => { if (env === undefined) delete process.env.DIFFGAN_TRAIN_RUNTIME; else process.env.DIFFGAN_TRAIN_RUNTIME = env; });

  test('defaults: auto (onnxruntime when it loads), 1 thread, cpu, workers for that runtime', () => {
    const r = parse();
    const want = loadOrt() ? 'onnxruntime' : 'tfjs';
    expect(r).toEqual({ runtime: want, threads: 1, executionProvider: 'cpu', workers: defaultWorkerCount(want) });
  });

  test('explicit values', () => {
    expect(parse('--runtime', 'tfjs', '--threads', '2', '--ep', 'cuda', '--workers', '3')).toEqual({ runtime: 'tfjs', threads: 2, executionProvider: 'cuda', workers: 3 });
    process.env.DIFFGAN_TRAIN_RUNTIME = 'tfjs';
    expect(parse().runtime).toBe('tfjs');
  });

  test.each([
    [['--runtime', 'gpu'], /--runtime/], [['--threads', '0'], /--threads/], [['--threads', '1.5'], /--threads/],
    [['--ep', ''], /--ep/], [['--ep', 'a b'], /--ep/], [['--workers', '0'], /--workers/],
  ])('rejects %j', (argv, msg) => { expect(() => parse(...argv)).toThrow(msg); });
});
