/**
 * `sr`: upscale images x2/x4 from the command line: sr upscale | compare | serve (the options
 * are declared below; `sr <command> --help` prints them). Errors are one line on stderr with
 * exit code 1, and leave no output file behind.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { SingleBar, Presets } from 'cli-progress';
import { DiffganError } from '@diffgan/core-models';
import { imresize, sideBySide, toRgb } from '@diffgan/image';
import { defineCommand, commandsHelp } from '@diffgan/core-models';
import type { ParsedCommand } from '@diffgan/core-models';
import * as fs from 'fs';
import { createUpscaler, generatorAvailable, refinerAvailable, Scale } from './upscale';
import { autoModel, AUTO_HEAD_BYTES, REAL_MODEL_BELOW_QUALITY } from './model-choice';
import { mostDetailedRegions } from './detail';
import { readImageChecked, checkOutputPath, writePngAtomic, DEFAULT_MAX_PIXELS, RawImage } from './io';
import { startServer } from './serve';
import { REFINER_T } from './refine-sampler';
import { SR_MODELS, SrModel } from './model-names';

/** The options of upscale and compare. */
const IMAGE_OPTIONS = {
  output: { type: 'string', alias: 'o', placeholder: 'FILE', validate: (v: string) => v !== '' || 'a file name', help: 'output PNG' },
  scale: { type: 'integer', choices: [2, 4], default: 4, help: 'upscaling factor' },
  model: {
    type: 'enum',
    choices: ['auto', ...SR_MODELS],
    default: 'auto',
    help: `generator: fidelity (trained on clean bicubic LR), real (on JPEG/noise/blur-degraded LR,
for photos) or auto: real for a JPEG below quality ${REAL_MODEL_BELOW_QUALITY} when its weights ship, else fidelity`,
  },
  // its own reason: the shipped refiner's schedule has REFINER_T steps, --refine N runs N of them
  refine: {
    type: 'integer',
    help: 'diffusion refinement steps',
    validate: (n: number) => (n >= 0 && n <= REFINER_T) || `the refiner has ${REFINER_T} diffusion steps: use 0 = off, or 1-${REFINER_T}`,
  },
  tile: { type: 'integer', min: 64, max: 4096, default: 256, help: 'largest LR tile fed to the network, pixels' },
  overlap: { type: 'integer', min: 0, help: 'LR pixels shared by neighbouring tiles (default 2·radius + 8)' },
  seed: { type: 'integer', min: 0, max: 0xffffffff, default: 0, help: 'seed for refinement noise' },
  threads: { type: 'integer', min: 0, max: 256, default: 0, help: 'ONNX Runtime threads (default 0 = one per core)' },
  'max-pixels': { type: 'integer', min: 1, default: DEFAULT_MAX_PIXELS, help: 'refuse inputs with more pixels than this' },
  verbose: { type: 'boolean', help: 'print runtime, tiles and timing to stderr' },
} as const;

const refineOption = (help: string) => ({ ...IMAGE_OPTIONS.refine, help });

const upscaleCommand = defineCommand({
  name: 'sr upscale',
  usage: '<in> [-o out.png] [--scale 2|4] [--model auto|fidelity|real] [--refine N] [options]',
  summary: 'Upscales a PNG/JPEG/WebP image and writes a PNG.',
  description: 'Grey images stay grey, alpha is kept.',
  positionals: [{ name: 'in', help: 'input image' }],
  options: {
    ...IMAGE_OPTIONS,
    output: { ...IMAGE_OPTIONS.output, help: 'output PNG (default: beside the input, <name>_x<scale>.png)' },
    refine: refineOption('diffusion refinement steps after the generator (default 0 = off; 1-4, 2 recommended)'),
  },
});

const compareCommand = defineCommand({
  name: 'sr compare',
  usage: '<in> [-o compare.png] [--scale 2|4] [--model auto|fidelity|real] [--refine N] [options]',
  summary: 'Writes a side-by-side PNG: bicubic | ours (| ours+refine), with zoomed crops.',
  description: `Treats <in> as the low-resolution image and writes a comparison sheet: the full
upscaled images side by side (bicubic | ours | ours+refine when refinement weights
exist; with the real model, the fidelity model's result before it) and, below,
magnified crops of the most detailed region.`,
  positionals: [{ name: 'in', help: 'input image' }],
  options: {
    ...IMAGE_OPTIONS,
    output: { ...IMAGE_OPTIONS.output, help: 'output PNG (default: beside the input, <name>_compare_x<scale>.png)' },
    refine: refineOption(
      'refinement steps for the ours+refine column (default 2: the most texture\nat PSNR ≥ bicubic + 1.5 dB, see the README; 0 = no such column)',
    ),
  },
});

const serveCommand = defineCommand({
  name: 'sr serve',
  usage: '[--port N] [--host H] [--open]',
  summary: 'Serves the browser page (upscale in the browser, offline) on http://127.0.0.1:5180/.',
  description: `Serves the browser page (drop an image, upscale it on onnxruntime-web, compare with
bicubic, download the PNG) from this package's web/ folder, with the headers that
enable multi-threaded wasm. Nothing is fetched from other hosts. Ctrl-C stops it.`,
  options: {
    port: { type: 'integer', min: 0, max: 65535, default: 5180, help: 'port to listen on; 0 = any free port' },
    host: { type: 'string', placeholder: 'H', validate: (v: string) => v !== '', help: 'interface to listen on (default 127.0.0.1 = this machine only)' },
    open: { type: 'boolean', help: 'open the page in the default browser' },
  },
});

const COMMANDS = { upscale: upscaleCommand, compare: compareCommand, serve: serveCommand };
const MAIN_HELP = commandsHelp(
  'sr',
  'x2/x4 image super-resolution (GAN generator + optional diffusion refinement)',
  Object.values(COMMANDS),
  'Errors are one line on stderr with exit code 1, and leave no output file behind.',
);

type ImageArgs = ParsedCommand<typeof upscaleCommand.spec.options>;

function defaultOutput(input: string, suffix: string): string {
  const p = path.parse(input);
  return path.join(p.dir, `${p.name}${suffix}.png`);
}

/** A tile progress bar on stderr, only when stderr is a terminal. */
function progressBar(label: string): { onProgress: (done: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  const bar = new SingleBar(
    { stream: process.stderr, format: `${label} |{bar}| {value}/{total} tiles | {percentage}% | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** The parsed options of upscale / compare under the names the library uses. */
function imageOptions(a: ImageArgs) {
  return {
    input: a._[0],
    output: a.output,
    scale: a.scale as Scale,
    model: a.model as SrModel | 'auto',
    refine: a.refine,
    tile: a.tile,
    overlap: a.overlap,
    seed: a.seed,
    threads: a.threads,
    maxPixels: a['max-pixels'],
    verbose: a.verbose,
  };
}

/**
 * --model auto resolved for the input file from its first AUTO_HEAD_BYTES (the quantisation tables come
 * before the first scan, after at most 64 KiB of EXIF); unreadable: fidelity, and upscale reports the file's error.
 */
function resolveModel(model: SrModel | 'auto', input: string, scale: Scale, verbose?: boolean): SrModel {
  if (model !== 'auto') return model;
  let bytes: Uint8Array;
  try {
    const fd = fs.openSync(input, 'r');
    try {
      const head = Buffer.alloc(AUTO_HEAD_BYTES);
      bytes = head.subarray(0, fs.readSync(fd, head, 0, AUTO_HEAD_BYTES, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return 'fidelity';
  }
  const c = autoModel(bytes, generatorAvailable('real', scale));
  if (verbose) process.stderr.write(`sr: --model auto: ${c.model} (${c.reason})\n`);
  return c.model;
}

async function cmdUpscale(args: ImageArgs, signal: AbortSignal): Promise<void> {
  const o = imageOptions(args);
  const output = o.output ?? defaultOutput(o.input, `_x${o.scale}`);
  const t0 = Date.now();
  const bar = progressBar(`x${o.scale}`);
  const model = resolveModel(o.model, o.input, o.scale, o.verbose);
  const sr = await createUpscaler({ scale: o.scale, model, refine: o.refine ?? 0, threads: o.threads });
  try {
    const r = await sr.upscale(o.input, { tile: o.tile, overlap: o.overlap, seed: o.seed, maxPixels: o.maxPixels, output, onProgress: bar.onProgress, signal });
    bar.stop();
    if (o.verbose) process.stderr.write(`sr: model ${sr.model}, ${sr.runtime}, receptive radius ${sr.radius} px, ${((Date.now() - t0) / 1000).toFixed(2)} s\n`);
    process.stdout.write(`${output} (${r.width}x${r.height})\n`);
  } finally {
    bar.stop();
    await sr.dispose();
  }
}

function cropRgb(img: RawImage<Uint8Array>, x: number, y: number, w: number, h: number): RawImage<Uint8Array> {
  const out = new Uint8Array(w * h * 3);
  for (let r = 0; r < h; r++) out.set(img.data.subarray(((y + r) * img.width + x) * 3, ((y + r) * img.width + x + w) * 3), r * w * 3);
  return { data: out, width: w, height: h, channels: 3 };
}

/** Nearest-neighbour magnification (shows the pixels as they are). */
function magnify(img: RawImage<Uint8Array>, k: number): RawImage<Uint8Array> {
  const W = img.width * k,
    H = img.height * k,
    out = new Uint8Array(W * H * 3);
  for (let Y = 0; Y < H; Y++)
    for (let X = 0; X < W; X++) {
      const s = (((Y / k) | 0) * img.width + ((X / k) | 0)) * 3,
        d = (Y * W + X) * 3;
      out[d] = img.data[s];
      out[d + 1] = img.data[s + 1];
      out[d + 2] = img.data[s + 2];
    }
  return { data: out, width: W, height: H, channels: 3 };
}

function drawBox(img: RawImage<Uint8Array>, x: number, y: number, w: number, h: number, t = 2): void {
  const set = (X: number, Y: number) => {
    if (X < 0 || Y < 0 || X >= img.width || Y >= img.height) return;
    const d = (Y * img.width + X) * 3;
    img.data[d] = 255;
    img.data[d + 1] = 32;
    img.data[d + 2] = 32;
  };
  for (let k = 0; k < t; k++) {
    for (let X = x - t; X < x + w + t; X++) {
      set(X, y - 1 - k);
      set(X, y + h + k);
    }
    for (let Y = y - t; Y < y + h + t; Y++) {
      set(x - 1 - k, Y);
      set(x + w + k, Y);
    }
  }
}

const PANEL_MAX = 640;

/** Stacks RGB images top to bottom, left-aligned, on white. */
function vstack(rows: RawImage<Uint8Array>[]): RawImage<Uint8Array> {
  const width = Math.max(...rows.map((r) => r.width)),
    height = rows.reduce((s, r) => s + r.height, 0);
  const data = new Uint8Array(width * height * 3).fill(255);
  let y = 0;
  for (const r of rows) {
    for (let k = 0; k < r.height; k++) data.set(r.data.subarray(k * r.width * 3, (k + 1) * r.width * 3), (y + k) * width * 3);
    y += r.height;
  }
  return { data, width, height, channels: 3 };
}

async function cmdCompare(args: ImageArgs, signal: AbortSignal): Promise<void> {
  const o = imageOptions(args);
  const S = o.scale;
  const output = o.output ?? defaultOutput(o.input, `_compare_x${S}`);
  checkOutputPath(output, o.input);
  const lr = toRgb(await readImageChecked(o.input, o.maxPixels)) as RawImage<Uint8Array>;
  const model = resolveModel(o.model, o.input, S, o.verbose);
  const withRefine = o.refine !== undefined ? o.refine > 0 : refinerAvailable(S, undefined, model);
  const bar = progressBar(`x${S}`);
  const panels: { label: string; image: RawImage<Uint8Array> }[] = [{ label: `bicubic x${S}`, image: imresize(lr, { scale: S, output: 'uint8' }) }];
  const steps = withRefine ? (o.refine ?? 2) : 0;
  const sr = await createUpscaler({ scale: S, model, refine: steps, threads: o.threads });
  const ours = model === 'real' ? 'ours (real)' : 'ours';
  try {
    const base = { tile: o.tile, overlap: o.overlap, seed: o.seed, maxPixels: o.maxPixels, onProgress: bar.onProgress, signal };
    // with the real model the sheet shows what the choice changes: the fidelity model beside it
    if (model === 'real') {
      const fidelity = await createUpscaler({ scale: S, model: 'fidelity', refine: 0, threads: o.threads });
      try {
        panels.push({ label: `ours (fidelity) x${S}`, image: await fidelity.upscale(lr, { ...base, refine: 0 }) });
      } finally {
        await fidelity.dispose();
      }
    }
    panels.push({ label: `${ours} x${S}`, image: await sr.upscale(lr, { ...base, refine: 0 }) });
    if (withRefine) panels.push({ label: `${ours}+refine ${steps}`, image: await sr.upscale(lr, { ...base, refine: steps }) });
    else if (o.verbose) process.stderr.write(`sr: no refinement weights for x${S}; showing bicubic | ours\n`);
  } finally {
    bar.stop();
    await sr.dispose();
  }
  // full panels, shrunk for display when large, with the crop marked
  const W = lr.width * S;
  const shrink = W > PANEL_MAX ? PANEL_MAX / W : 1;
  // crop: the LR window with the most detail, magnified to about a panel's width (at least 256 px), the
  // same label as its panel above (a longer one would not fit four crops wide)
  const [win] = mostDetailedRegions(lr),
    c = win.size;
  const zoom = Math.max(1, Math.round(Math.max(256, W * shrink) / (c * S)));
  const crops = panels.map((p) => ({ label: p.label, image: magnify(cropRgb(p.image, win.x * S, win.y * S, c * S, c * S), zoom) }));
  const full = panels.map((p) => {
    const img =
      shrink < 1
        ? imresize(p.image, { width: Math.round(W * shrink), height: Math.max(1, Math.round(lr.height * S * shrink)), output: 'uint8' })
        : { ...p.image, data: Uint8Array.from(p.image.data) };
    drawBox(img, Math.round(win.x * S * shrink), Math.round(win.y * S * shrink), Math.round(c * S * shrink), Math.round(c * S * shrink));
    return { label: p.label, image: img };
  });
  const sheet = vstack([sideBySide(full, { pad: 6 }), sideBySide(crops, { pad: 6 })]);
  await writePngAtomic(output, sheet, signal);
  process.stdout.write(`${output} (${panels.map((p) => p.label).join(' | ')}; crop ${c * S}px at ${win.x * S},${win.y * S} x${zoom})\n`);
}

/** Opens `url` in the desktop's browser; best effort (a headless machine just prints the URL). */
function openInBrowser(url: string): void {
  const [cmd, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url];
  try {
    spawn(cmd, args, { stdio: 'ignore', detached: true })
      .on('error', () => {})
      .unref();
  } catch {
    /* no opener: the URL is printed anyway */
  }
}

/** Serves the page until Ctrl-C (`signal`), then closes the server. */
async function cmdServe(args: ParsedCommand<typeof serveCommand.spec.options>, signal: AbortSignal): Promise<void> {
  const server = await startServer({ port: args.port, host: args.host });
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
  const onSignal = () => {
    if (ac.signal.aborted) process.exit(130);
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined) throw new DiffganError('missing command (try sr --help)');
    if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(MAIN_HELP);
      return (process.exitCode = 0);
    }
    if (cmd === '--version') {
      process.stdout.write(`${require('../package.json').version}\n`);
      return (process.exitCode = 0);
    }
    if (cmd !== 'upscale' && cmd !== 'compare' && cmd !== 'serve') throw new DiffganError(`unknown command '${cmd}' (try sr --help)`);
    if (cmd === 'serve') {
      const args = serveCommand.parse(rest);
      if (args.help) {
        process.stdout.write(serveCommand.help());
        return (process.exitCode = 0);
      }
      // Ctrl-C is how a server is stopped: a normal exit, not an interruption
      await cmdServe(args, ac.signal);
      return (process.exitCode = 0);
    }
    const command = COMMANDS[cmd];
    const args = command.parse(rest);
    verbose = args.verbose;
    if (args.help) {
      process.stdout.write(command.help());
      return (process.exitCode = 0);
    }
    if (cmd === 'upscale') await cmdUpscale(args, ac.signal);
    else await cmdCompare(args, ac.signal);
    return (process.exitCode = 0);
  } catch (e) {
    const msg =
      e instanceof DiffganError
        ? e.message
        : (e as Error)?.name === 'AbortError'
          ? 'aborted'
          : `internal error: ${String((e as Error)?.message ?? e).split('\n')[0]}`;
    process.stderr.write(`sr: ${ac.signal.aborted ? 'interrupted, no output written' : msg.replace(/\s*\n\s*/g, ' ')}\n`);
    if (verbose && !ac.signal.aborted && !(e instanceof DiffganError) && (e as Error)?.stack) process.stderr.write(`${(e as Error).stack}\n`);
    return (process.exitCode = ac.signal.aborted ? 130 : 1);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (require.main === module) void main(process.argv.slice(2));
