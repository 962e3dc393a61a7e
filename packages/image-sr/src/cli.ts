/**
 * `sr`: upscale images x2/x4 from the command line.
 *   sr upscale <in> [-o out.png] [--scale 2|4] [--refine N] [--tile 256] [--seed N] [--threads N] [--max-pixels N] [--verbose]
 *   sr compare <in> [-o compare.png] [--scale 4] [--refine N]
 *   sr serve [--port N] [--host H] [--open]
 * Errors are one line on stderr with exit code 1, and leave no output file behind.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { SingleBar, Presets } from 'cli-progress';
import { DiffganError } from '@diffgan/core-models';
import { imresize, sideBySide, rgbToY, toRgb, PixelImage } from '@diffgan/eval';
import { parseArgs, numberArg, ParsedArgs } from '@diffgan/core-models';
import { upscale, getGenerator, refinerAvailable, Scale } from './upscale';
import { readImageChecked, checkOutputPath, writePngAtomic, DEFAULT_MAX_PIXELS, RawImage } from './io';
import { startServer } from './serve';
import { REFINER_T } from './refine-sampler';

const HELP: Record<string, string> = {
  main: `sr - x2/x4 image super-resolution (GAN generator + optional diffusion refinement)

Usage:
  sr upscale <in> [-o out.png] [--scale 2|4] [--refine N] [options]
  sr compare <in> [-o compare.png] [--scale 2|4] [--refine N]
  sr serve [--port N] [--host H] [--open]
  sr <command> --help

Commands:
  upscale   upscale a PNG/JPEG/WebP image and write a PNG
  compare   write a side-by-side PNG: bicubic | ours (| ours+refine), with zoomed crops
  serve     serve the browser page (upscale in the browser, offline) on http://127.0.0.1:5180/
`,
  upscale: `Usage: sr upscale <in> [-o out.png] [options]

Upscales <in> (PNG, JPEG or WebP) and writes a PNG. Grey images stay grey, alpha is kept.

Options:
  -o, --output FILE   output PNG (default: beside the input, <name>_x<scale>.png)
  --scale 2|4         upscaling factor (default 4)
  --refine N          diffusion refinement steps after the generator (default 0 = off; 1-4, 2 recommended)
  --tile N            largest LR tile fed to the network, pixels (default 256)
  --seed N            seed for refinement noise (default 0)
  --threads N         ONNX Runtime threads (default 0 = one per core)
  --max-pixels N      refuse inputs with more pixels than this (default ${DEFAULT_MAX_PIXELS})
  --verbose           print runtime, tiles and timing to stderr
  -h, --help          show this help
`,
  compare: `Usage: sr compare <in> [-o compare.png] [options]

Treats <in> as the low-resolution image and writes a comparison sheet: the full
upscaled images side by side (bicubic | ours | ours+refine when refinement weights
exist) and, below, magnified crops of the most detailed region.

Options:
  -o, --output FILE   output PNG (default: beside the input, <name>_compare_x<scale>.png)
  --scale 2|4         upscaling factor (default 4)
  --refine N          refinement steps for the ours+refine column (default 2: the most texture at PSNR ≥ bicubic + 1.5 dB, see the README)
  --tile N, --seed N, --threads N, --max-pixels N, --verbose   as for upscale
  -h, --help          show this help
`,
  serve: `Usage: sr serve [--port N] [--host H] [--open]

Serves the browser page (drop an image, upscale it on onnxruntime-web, compare with
bicubic, download the PNG) from this package's web/ folder, with the headers that
enable multi-threaded wasm. Nothing is fetched from other hosts. Ctrl-C stops it.

Options:
  --port N            port to listen on (default 5180; 0 = any free port)
  --host H            interface to listen on (default 127.0.0.1 = this machine only)
  --open              open the page in the default browser
  -h, --help          show this help
`,
};

const KNOWN = new Set(['_', 'output', 'scale', 'refine', 'tile', 'seed', 'threads', 'max-pixels', 'verbose', 'help', 'overlap']);

interface Common { input: string; output?: string; scale: Scale; refine?: number; tile: number; seed: number; threads: number; maxPixels: number; verbose: boolean; overlap?: number }

/** --refine: 0 (off) or 1..REFINER_T, the steps the shipped refiner's schedule has. */
function refineArg(args: ParsedArgs): number | undefined {
  const v = args.refine;
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!(Number.isInteger(n) && n >= 0 && n <= REFINER_T)) throw new DiffganError(`invalid value for --refine: ${String(v)} (the refiner has ${REFINER_T} diffusion steps: use 0 = off, or 1-${REFINER_T})`);
  return n;
}

function common(args: ParsedArgs, cmd: string): Common {
  for (const k of Object.keys(args)) if (!KNOWN.has(k)) throw new DiffganError(`unknown option --${k} (see sr ${cmd} --help)`);
  if (args._.length === 0) throw new DiffganError(`missing input image (usage: sr ${cmd} <in> [-o out.png])`);
  if (args._.length > 1) throw new DiffganError(`expected one input image, got ${args._.length}: ${args._.join(' ')}`);
  const int = (n: number) => Number.isInteger(n);
  if (args.output !== undefined && (typeof args.output !== 'string' || args.output === '')) throw new DiffganError('option --output needs a file name');
  return {
    input: args._[0],
    output: args.output as string | undefined,
    scale: numberArg(args, 'scale', 4, (n) => n === 2 || n === 4) as Scale,
    refine: refineArg(args),
    tile: numberArg(args, 'tile', 256, (n) => int(n) && n >= 64 && n <= 4096),
    seed: numberArg(args, 'seed', 0, (n) => int(n) && n >= 0 && n <= 0xffffffff),
    threads: numberArg(args, 'threads', 0, (n) => int(n) && n >= 0 && n <= 256),
    maxPixels: numberArg(args, 'max-pixels', DEFAULT_MAX_PIXELS, (n) => int(n) && n > 0),
    overlap: args.overlap === undefined ? undefined : numberArg(args, 'overlap', 0, (n) => int(n) && n >= 0),
    verbose: !!args.verbose,
  };
}

function defaultOutput(input: string, suffix: string): string {
  const p = path.parse(input);
  return path.join(p.dir, `${p.name}${suffix}.png`);
}

/** A tile progress bar on stderr, only when stderr is a terminal. */
function progressBar(label: string): { onProgress: (done: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  const bar = new SingleBar({ stream: process.stderr, format: `${label} |{bar}| {value}/{total} tiles | {percentage}% | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
  let started = false;
  return {
    onProgress(done, total) { if (!started) { bar.start(total, done); started = true; } else bar.update(done); },
    stop() { if (started) bar.stop(); },
  };
}

async function cmdUpscale(args: ParsedArgs, signal: AbortSignal): Promise<void> {
  const o = common(args, 'upscale');
  const output = o.output ?? defaultOutput(o.input, `_x${o.scale}`);
  const t0 = Date.now();
  const bar = progressBar(`x${o.scale}`);
  try {
    const r = await upscale(o.input, { scale: o.scale, refine: o.refine ?? 0, tile: o.tile, overlap: o.overlap, seed: o.seed, threads: o.threads, maxPixels: o.maxPixels, output, onProgress: bar.onProgress, signal });
    bar.stop();
    if (o.verbose) {
      const g = await getGenerator(o.scale, { threads: o.threads });
      process.stderr.write(`sr: ${g.runner.runtime}, receptive radius ${g.radius} px, ${((Date.now() - t0) / 1000).toFixed(2)} s\n`);
    }
    process.stdout.write(`${output} (${r.width}x${r.height})\n`);
  } finally { bar.stop(); }
}

/** Top-left corner of the size x size window of `img` with the largest variance of Y (integral images). */
export function mostDetailedWindow(img: RawImage, size: number): { x: number; y: number } {
  const { width: w, height: h } = img;
  if (size >= w || size >= h) return { x: 0, y: 0 };
  const y = rgbToY(toRgb(img as PixelImage)).data;
  const W = w + 1;
  const s1 = new Float64Array(W * (h + 1)), s2 = new Float64Array(W * (h + 1));
  for (let r = 0; r < h; r++) {
    let a = 0, b = 0;
    for (let c = 0; c < w; c++) {
      const v = y[r * w + c]; a += v; b += v * v;
      s1[(r + 1) * W + c + 1] = s1[r * W + c + 1] + a;
      s2[(r + 1) * W + c + 1] = s2[r * W + c + 1] + b;
    }
  }
  const n = size * size;
  let best = -1, bx = 0, by = 0;
  for (let r = 0; r + size <= h; r++) for (let c = 0; c + size <= w; c++) {
    const box = (s: Float64Array) => s[(r + size) * W + c + size] - s[r * W + c + size] - s[(r + size) * W + c] + s[r * W + c];
    const m = box(s1) / n, v = box(s2) / n - m * m;
    if (v > best) { best = v; bx = c; by = r; }
  }
  return { x: bx, y: by };
}

function cropRgb(img: RawImage<Uint8Array>, x: number, y: number, w: number, h: number): RawImage<Uint8Array> {
  const out = new Uint8Array(w * h * 3);
  for (let r = 0; r < h; r++) out.set(img.data.subarray(((y + r) * img.width + x) * 3, ((y + r) * img.width + x + w) * 3), r * w * 3);
  return { data: out, width: w, height: h, channels: 3 };
}

/** Nearest-neighbour magnification (shows the pixels as they are). */
function magnify(img: RawImage<Uint8Array>, k: number): RawImage<Uint8Array> {
  const W = img.width * k, H = img.height * k, out = new Uint8Array(W * H * 3);
  for (let Y = 0; Y < H; Y++) for (let X = 0; X < W; X++) {
    const s = (((Y / k) | 0) * img.width + ((X / k) | 0)) * 3, d = (Y * W + X) * 3;
    out[d] = img.data[s]; out[d + 1] = img.data[s + 1]; out[d + 2] = img.data[s + 2];
  }
  return { data: out, width: W, height: H, channels: 3 };
}

function drawBox(img: RawImage<Uint8Array>, x: number, y: number, w: number, h: number, t = 2): void {
  const set = (X: number, Y: number) => {
    if (X < 0 || Y < 0 || X >= img.width || Y >= img.height) return;
    const d = (Y * img.width + X) * 3; img.data[d] = 255; img.data[d + 1] = 32; img.data[d + 2] = 32;
  };
  for (let k = 0; k < t; k++) {
    for (let X = x - t; X < x + w + t; X++) { set(X, y - 1 - k); set(X, y + h + k); }
    for (let Y = y - t; Y < y + h + t; Y++) { set(x - 1 - k, Y); set(x + w + k, Y); }
  }
}

const PANEL_MAX = 640;

/** Stacks RGB images top to bottom, left-aligned, on white. */
function vstack(rows: RawImage<Uint8Array>[]): RawImage<Uint8Array> {
  const width = Math.max(...rows.map((r) => r.width)), height = rows.reduce((s, r) => s + r.height, 0);
  const data = new Uint8Array(width * height * 3).fill(255);
  let y = 0;
  for (const r of rows) {
    for (let k = 0; k < r.height; k++) data.set(r.data.subarray(k * r.width * 3, (k + 1) * r.width * 3), (y + k) * width * 3);
    y += r.height;
  }
  return { data, width, height, channels: 3 };
}

async function cmdCompare(args: ParsedArgs, signal: AbortSignal): Promise<void> {
  const o = common(args, 'compare');
  const S = o.scale;
  const output = o.output ?? defaultOutput(o.input, `_compare_x${S}`);
  checkOutputPath(output, o.input);
  const lr = toRgb(await readImageChecked(o.input, o.maxPixels)) as RawImage<Uint8Array>;
  const withRefine = o.refine !== undefined ? o.refine > 0 : refinerAvailable(S);
  const bar = progressBar(`x${S}`);
  const panels: { label: string; image: RawImage<Uint8Array> }[] = [{ label: `bicubic x${S}`, image: imresize(lr, { scale: S, output: 'uint8' }) }];
  try {
    const base = { scale: S, tile: o.tile, overlap: o.overlap, seed: o.seed, threads: o.threads, maxPixels: o.maxPixels, onProgress: bar.onProgress, signal };
    panels.push({ label: `ours x${S}`, image: await upscale(lr, { ...base, refine: 0 }) });
    if (withRefine) {
      const steps = o.refine ?? 2;
      panels.push({ label: `ours+refine ${steps}`, image: await upscale(lr, { ...base, refine: steps }) });
    } else if (o.verbose) process.stderr.write(`sr: no refinement weights for x${S}; showing bicubic | ours\n`);
  } finally { bar.stop(); }
  // crop: the LR window with the most detail, shown magnified to about 256 px
  const c = Math.max(4, Math.min(48, Math.floor(Math.min(lr.width, lr.height) / 3)));
  const win = mostDetailedWindow(lr, c);
  const zoom = Math.max(1, Math.round(256 / (c * S)));
  const crops = panels.map((p) => ({ label: `${p.label} zoom`, image: magnify(cropRgb(p.image, win.x * S, win.y * S, c * S, c * S), zoom) }));
  // full panels, shrunk for display when large, with the crop marked
  const W = lr.width * S;
  const shrink = W > PANEL_MAX ? PANEL_MAX / W : 1;
  const full = panels.map((p) => {
    const img = shrink < 1 ? imresize(p.image, { width: Math.round(W * shrink), height: Math.max(1, Math.round(lr.height * S * shrink)), output: 'uint8' }) : { ...p.image, data: Uint8Array.from(p.image.data) };
    drawBox(img, Math.round(win.x * S * shrink), Math.round(win.y * S * shrink), Math.round(c * S * shrink), Math.round(c * S * shrink));
    return { label: p.label, image: img };
  });
  const sheet = vstack([sideBySide(full, { pad: 6 }), sideBySide(crops, { pad: 6 })]);
  await writePngAtomic(output, sheet, signal);
  process.stdout.write(`${output} (${panels.map((p) => p.label).join(' | ')}; crop ${c * S}px at ${win.x * S},${win.y * S} x${zoom})\n`);
}

const SERVE_KNOWN = new Set(['_', 'port', 'host', 'open', 'help']);

/** Opens `url` in the desktop's browser; best effort (a headless machine just prints the URL). */
function openInBrowser(url: string): void {
  const [cmd, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url];
  try {
    spawn(cmd, args, { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
  } catch { /* no opener: the URL is printed anyway */ }
}

/** Serves the page until Ctrl-C (`signal`), then closes the server. */
async function cmdServe(args: ParsedArgs, signal: AbortSignal): Promise<void> {
  for (const k of Object.keys(args)) if (!SERVE_KNOWN.has(k)) throw new DiffganError(`unknown option --${k} (see sr serve --help)`);
  if (args._.length > 0) throw new DiffganError(`unexpected argument: ${args._.join(' ')} (see sr serve --help)`);
  const port = numberArg(args, 'port', 5180, (n) => Number.isInteger(n) && n >= 0 && n <= 65535);
  if (args.host !== undefined && (typeof args.host !== 'string' || args.host === '')) throw new DiffganError('option --host needs a value');
  const server = await startServer({ port, host: args.host as string | undefined });
  process.stdout.write(`${server.url}\n`);
  if (args.open) openInBrowser(server.url);
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  await server.close();
}

/** Runs the CLI; never throws: errors print one line on stderr and set exit code 1. */
export async function main(argv: string[]): Promise<number> {
  let verbose = argv.includes('--verbose');
  // Ctrl-C: the first stops between tiles (nothing is written), a second exits at once
  // (temp files are removed on exit)
  const ac = new AbortController();
  const onSignal = () => { if (ac.signal.aborted) process.exit(130); ac.abort(); };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined) throw new DiffganError('missing command (try sr --help)');
    if (cmd === '--help' || cmd === '-h' || cmd === 'help') { process.stdout.write(HELP.main); return (process.exitCode = 0); }
    if (cmd === '--version') { process.stdout.write(`${require('../package.json').version}\n`); return (process.exitCode = 0); }
    if (cmd !== 'upscale' && cmd !== 'compare' && cmd !== 'serve') throw new DiffganError(`unknown command '${cmd}' (try sr --help)`);
    const args = parseArgs(rest, { boolean: ['verbose', 'help', 'open'], alias: { o: 'output', h: 'help' } });
    verbose = !!args.verbose;
    if (args.help) { process.stdout.write(HELP[cmd]); return (process.exitCode = 0); }
    if (cmd === 'serve') {
      // Ctrl-C is how a server is stopped: a normal exit, not an interruption
      await cmdServe(args, ac.signal);
      return (process.exitCode = 0);
    }
    if (cmd === 'upscale') await cmdUpscale(args, ac.signal); else await cmdCompare(args, ac.signal);
    return (process.exitCode = 0);
  } catch (e) {
    const msg = e instanceof DiffganError ? e.message : (e as Error)?.name === 'AbortError' ? 'aborted' : `internal error: ${String((e as Error)?.message ?? e).split('\n')[0]}`;
    process.stderr.write(`sr: ${ac.signal.aborted ? 'interrupted, no output written' : msg.replace(/\s*\n\s*/g, ' ')}\n`);
    if (verbose && !ac.signal.aborted && !(e instanceof DiffganError) && (e as Error)?.stack) process.stderr.write(`${(e as Error).stack}\n`);
    return (process.exitCode = ac.signal.aborted ? 130 : 1);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}


if (require.main === module) void main(process.argv.slice(2));
