import * as os from 'os';
import { ortIntraOpThreads } from './runner';

test("threads 0 is one intra-op thread per core (os.availableParallelism), not ORT's own default (physical cores); others pass through", () => {
  const cores = os.availableParallelism();
  expect(cores).toBeGreaterThan(0);
  expect(ortIntraOpThreads(0)).toBe(cores);
  expect(ortIntraOpThreads(-1)).toBe(cores);
  expect(ortIntraOpThreads(1)).toBe(1);
  expect(ortIntraOpThreads(3)).toBe(3);
});
