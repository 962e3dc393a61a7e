/** Progress bar on stderr (only on a terminal, so piped stderr stays one line per error). */
import { Presets, SingleBar } from 'cli-progress';

export interface ProgressReporter {
  start(total: number): void;
  update(done: number): void;
  stop(): void;
}

const silent: ProgressReporter = { start() {}, update() {}, stop() {} };

export function createProgress(label: string, enabled: boolean): ProgressReporter {
  if (!enabled || !process.stderr.isTTY) return silent;
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: `${label} |{bar}| {percentage}% | {value}/{total} frames | {speed} frames/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 30,
    },
    Presets.shades_classic,
  );
  let started = 0;
  return {
    start(total) {
      started = Date.now();
      bar.start(total, 0, { speed: '0.0' });
    },
    update(done) {
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { speed: seconds > 0 ? (done / seconds).toFixed(1) : '0.0' });
    },
    stop() {
      bar.stop();
    },
  };
}
