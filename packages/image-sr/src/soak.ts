/**
 * Soak bench (not a test): many consecutive library `upscale` calls in one process, to show
 * that memory and file handles do not grow. Mixed small sizes, x2 and x4, raw pixels, PNG
 * buffers and files in / PNG files out; every 7th call is aborted mid-way (AbortSignal after
 * the first of its tiles) and must leave no file behind. Reports RSS and open file handles
 * (/proc/self/fd) at the start, after a warm-up and at the end.
 *
 *   npm run bench -w @diffgan/image-sr -- soak [--calls 1000] [--threads 1] [--seed 1]
 *
 * Target (issue #29): RSS growth < 50 MB and no handle leak.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import sharp from 'sharp';
import { DiffganError, Rng, defineCommand } from '@diffgan/core-models';
import { createUpscaler, Scale, Upscaler } from './upscale';

export const soakCommand = defineCommand({
  name: 'npm run bench -w @diffgan/image-sr -- soak',
  summary: 'Many consecutive upscale calls in one process: RSS and open file handles must not grow.',
  options: {
    calls: { type: 'integer', min: 1, default: 1000, help: 'upscale calls' },
    threads: { type: 'integer', min: 0, default: 1, help: 'onnxruntime threads (0 = one per core)' },
    seed: { type: 'integer', min: 0, default: 1, help: 'seed of the sizes, scales and pixels' },
    warmup: { type: 'integer', min: 0, default: 50, help: 'calls before the warm-up sample' },
  },
});

/** Open file descriptors of this process and what they point at (the readdir's own one excluded). */
function fdTargets(): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = fs.readdirSync('/proc/self/fd');
  } catch {
    return out;
  }
  for (const n of names) {
    try {
      out.set(n, fs.readlinkSync(`/proc/self/fd/${n}`));
    } catch {
      /* the readdir's own, closed */
    }
  }
  return out;
}
const openHandles = (): number => fdTargets().size;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

interface Sample {
  rss: number;
  fds: number;
  targets: Map<string, string>;
}
function sample(): Sample {
  gc();
  gc();
  const targets = fdTargets();
  return { rss: process.memoryUsage().rss, fds: targets.size, targets };
}

const MB = (b: number) => (b / 2 ** 20).toFixed(1);

export interface SoakResult {
  calls: number;
  aborted: number;
  seconds: number;
  start: Sample;
  warm: Sample;
  end: Sample;
  leftover: string[];
  newFds: string[];
}

export async function soak(opts: { calls?: number; threads?: number; seed?: number; warmup?: number; log?: (s: string) => void } = {}): Promise<SoakResult> {
  const calls = opts.calls ?? 1000,
    warmup = Math.min(opts.warmup ?? 50, calls),
    threads = opts.threads ?? 1;
  const rng = new Rng(opts.seed ?? 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-soak-'));
  const start = sample();
  let warm = start,
    aborted = 0;
  const t0 = Date.now();
  // one upscaler per scale, held for all calls as a long-lived process would (loaded after the start sample, as before)
  const upscalers: Partial<Record<Scale, Upscaler>> = {};
  try {
    for (const s of [2, 4] as const) upscalers[s] = await createUpscaler({ scale: s, threads });
    for (let i = 0; i < calls; i++) {
      if (i === warmup) warm = sample();
      const scale: Scale = rng.uniform() < 0.5 ? 2 : 4;
      const abort = i % 7 === 3;
      // 8-64 px in one tile; aborted calls 64-96 px in 48 px tiles (several), stopped after the first
      const side = () => (abort ? 64 + Math.floor(rng.uniform() * 33) : 8 + Math.floor(rng.uniform() * 57));
      const w = side(),
        h = side();
      const data = new Uint8Array(w * h * 3);
      for (let k = 0; k < data.length; k++) data[k] = Math.floor(rng.uniform() * 256);
      const raw = { data, width: w, height: h, channels: 3 };
      const ac = new AbortController();
      const sr = upscalers[scale]!;
      const o = {
        tile: abort ? 48 : 64,
        signal: ac.signal,
        onProgress: abort
          ? (d: number) => {
              if (d === 1) ac.abort();
            }
          : undefined,
      };
      const kind = i % 3; // 0: raw pixels; 1: PNG buffer; 2: PNG file in, PNG file out
      try {
        if (kind === 0) await sr.upscale(raw, o);
        else {
          const png = await sharp(Buffer.from(data), { raw: { width: w, height: h, channels: 3 } })
            .png({ compressionLevel: 1 })
            .toBuffer();
          if (kind === 1) await sr.upscale(png, o);
          else {
            const input = path.join(dir, 'in.png');
            fs.writeFileSync(input, png);
            await sr.upscale(input, { ...o, output: path.join(dir, `out_${i % 5}.png`) });
          }
        }
        if (abort) throw new DiffganError(`call ${i} was to be aborted but finished`);
      } catch (e) {
        if (!(abort && (e as Error)?.name === 'AbortError')) throw e;
        aborted++;
      }
      if ((i + 1) % 100 === 0) opts.log?.(`soak: ${i + 1}/${calls} calls, rss ${MB(process.memoryUsage().rss)} MB, ${openHandles()} fds\n`);
    }
    const seconds = (Date.now() - t0) / 1000;
    const end = sample();
    // files left: in.png and the finished outputs only (no temporaries, nothing from aborted calls)
    const leftover = fs.readdirSync(dir).filter((f) => f !== 'in.png' && !/^out_\d\.png$/.test(f));
    const newFds = [...end.targets].filter(([n, t]) => warm.targets.get(n) !== t).map(([n, t]) => `${n} -> ${t}`);
    return { calls, aborted, seconds, start, warm, end, leftover, newFds };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const sr of Object.values(upscalers)) await sr.dispose();
  }
}

export function summary(r: SoakResult): string {
  const growth = r.end.rss - r.warm.rss;
  const ok = growth < 50 * 2 ** 20 && r.end.fds <= r.warm.fds && r.leftover.length === 0;
  return (
    `soak: ${r.calls} upscale calls (${r.aborted} aborted) in ${r.seconds.toFixed(0)} s; RSS ${MB(r.start.rss)} MB at start, ${MB(r.warm.rss)} MB after warm-up, ${MB(r.end.rss)} MB at end ` +
    `(${growth >= 0 ? '+' : ''}${MB(growth)} MB); open fds ${r.start.fds} / ${r.warm.fds} / ${r.end.fds}; ${r.leftover.length} stray files — ${ok ? 'PASS' : 'FAIL'} (target < 50 MB, no handle leak)`
  );
}

export async function main(argv: string[]): Promise<void> {
  const args = soakCommand.parse(argv);
  if (args.help) {
    process.stdout.write(soakCommand.help());
    return;
  }
  const r = await soak({ calls: args.calls, threads: args.threads, seed: args.seed, warmup: args.warmup, log: (s) => process.stderr.write(s) });
  process.stdout.write(`${summary(r)}\n`);
  if (r.leftover.length) process.stdout.write(`stray files: ${r.leftover.join(', ')}\n`);
  if (r.newFds.length) process.stdout.write(`opened since the warm-up and still open: ${r.newFds.join(', ')}\n`);
}
