import { measureThroughput, compareThroughput, speedRatio } from './speed';

/** Busy-waits for `ms` so timings are deterministic enough to test (sleeping would also do, but not for sync fns). */
function spin(ms: number): void {
  const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  while (process.hrtime.bigint() < end) {
    // busy
  }
}

describe('measureThroughput', () => {
  test('counts warm-up and repeats, reports items per second from the median call', async () => {
    let calls = 0;
    const t = await measureThroughput(
      () => {
        calls++;
        spin(20);
      },
      { warmup: 2, repeats: 3, itemsPerCall: 8 },
    );
    expect(calls).toBe(5);
    expect(t.seconds).toHaveLength(3);
    expect(t.medianSeconds).toBeGreaterThanOrEqual(0.02);
    // 8 items per ~20 ms call is ~400 items/s; allow generous slack for a loaded machine.
    expect(t.itemsPerSecond).toBeLessThanOrEqual(400);
    expect(t.itemsPerSecond).toBeGreaterThan(100);
  });

  test('awaits async workloads', async () => {
    const t = await measureThroughput(() => new Promise((resolve) => setTimeout(resolve, 15)), { warmup: 0, repeats: 3 });
    expect(t.medianSeconds).toBeGreaterThanOrEqual(0.014);
  });

  test('a median ignores one slow outlier', async () => {
    let i = 0;
    const t = await measureThroughput(() => spin(i++ === 2 ? 200 : 5), { warmup: 0, repeats: 5 });
    expect(t.medianSeconds).toBeLessThan(0.1);
  });
});

describe('speed ratios', () => {
  test('speedRatio divides throughputs', () => {
    const base = { itemsPerSecond: 50, medianSeconds: 0.02, seconds: [0.02], itemsPerCall: 1 };
    const cand = { itemsPerSecond: 125, medianSeconds: 0.008, seconds: [0.008], itemsPerCall: 1 };
    expect(speedRatio(cand, base)).toEqual({ ratio: 2.5, label: '2.50x baseline' });
  });

  test('compareThroughput interleaves and finds a workload doing 4x the items per call ~4x faster', async () => {
    const order: string[] = [];
    const r = await compareThroughput(
      {
        fn: () => {
          order.push('b');
          return spin(10);
        },
        itemsPerCall: 1,
      },
      {
        fn: () => {
          order.push('c');
          return spin(10);
        },
        itemsPerCall: 4,
      },
      { warmup: 1, repeats: 3 },
    );
    expect(order.join('')).toBe('bcbcbcbc');
    expect(r.ratio).toBeGreaterThan(2.5);
    expect(r.ratio).toBeLessThan(6);
  });
});
