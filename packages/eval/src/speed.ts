/**
 * Throughput measurement. The machine is shared (e.g. with a training job),
 * so single timings are noisy: take the median of several timed calls after
 * warm-up (JIT, caches), and compare against a baseline timed in the same run,
 * interleaved, rather than against numbers from another day.
 */
import { median } from '@diffgan/core-models';

export interface ThroughputOptions {
  /** Untimed calls first. Default 1. */
  warmup?: number;
  /** Timed calls. Default 5. */
  repeats?: number;
  /** Items (images, samples...) processed per call. Default 1. */
  itemsPerCall?: number;
}

export interface Throughput {
  /** itemsPerCall / median seconds per call. */
  itemsPerSecond: number;
  medianSeconds: number;
  /** Seconds of each timed call, in call order. */
  seconds: number[];
  itemsPerCall: number;
}

type Workload = () => unknown | Promise<unknown>;

async function timeCall(fn: Workload): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function summarise(seconds: number[], itemsPerCall: number): Throughput {
  const medianSeconds = median(seconds);
  return { itemsPerSecond: itemsPerCall / medianSeconds, medianSeconds, seconds, itemsPerCall };
}

/** Times `fn` (sync or async) and reports median items per second. */
export async function measureThroughput(fn: Workload, opts: ThroughputOptions = {}): Promise<Throughput> {
  const { warmup = 1, repeats = 5, itemsPerCall = 1 } = opts;
  if (repeats < 1) throw new Error('measureThroughput: repeats must be >= 1');
  for (let i = 0; i < warmup; i++) await fn();
  const seconds: number[] = [];
  for (let i = 0; i < repeats; i++) seconds.push(await timeCall(fn));
  return summarise(seconds, itemsPerCall);
}

export interface SpeedRatio {
  /** candidate items/s divided by baseline items/s (> 1 means the candidate is faster). */
  ratio: number;
  /** e.g. "2.31x baseline". */
  label: string;
}

/** Expresses a candidate's throughput relative to a baseline's. */
export function speedRatio(candidate: Throughput, baseline: Throughput, digits = 2): SpeedRatio {
  const ratio = candidate.itemsPerSecond / baseline.itemsPerSecond;
  return { ratio, label: `${ratio.toFixed(digits)}x baseline` };
}

/**
 * Measures a baseline and a candidate in the same run, alternating their
 * timed calls so that load changes on a shared machine hit both alike.
 * Each workload's `itemsPerCall` can differ (e.g. different batch sizes).
 */
export async function compareThroughput(
  baseline: { fn: Workload; itemsPerCall?: number },
  candidate: { fn: Workload; itemsPerCall?: number },
  opts: { warmup?: number; repeats?: number } = {},
): Promise<{ baseline: Throughput; candidate: Throughput } & SpeedRatio> {
  const { warmup = 1, repeats = 5 } = opts;
  if (repeats < 1) throw new Error('compareThroughput: repeats must be >= 1');
  for (let i = 0; i < warmup; i++) {
    await baseline.fn();
    await candidate.fn();
  }
  const bs: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    bs.push(await timeCall(baseline.fn));
    cs.push(await timeCall(candidate.fn));
  }
  const b = summarise(bs, baseline.itemsPerCall ?? 1);
  const c = summarise(cs, candidate.itemsPerCall ?? 1);
  return { baseline: b, candidate: c, ...speedRatio(c, b) };
}
