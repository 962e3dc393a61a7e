#!/usr/bin/env node
/**
 * Does `vgen interpolate` run in memory that does not grow with the length of the video (#25)?
 * Runs the built CLI on a clip and samples, once a second, from /proc: the vgen process's RSS and
 * its peak (VmHWM), the RSS of vgen plus its ffmpeg decoder and encoder, and how far decoding has got
 * (the decoder's bytes written / one RGB24 frame). A line every --every seconds, a JSON summary at the end.
 *
 *   node packages/video-gen/scripts/memory-bench.mjs --clip /tmp/testsrc2_720p25_10min.mp4 --minutes 10 \
 *     --method blend --factor 2 [--stop-after 900] [--every 60]
 *
 * A missing --clip is made first: one minute of testsrc2 (1280x720, 25 fps, libx264 veryfast crf 23)
 * looped to --minutes by stream copy, with a beeping tone of that length (AAC): synthetic, so no data set
 * is needed. --stop-after interrupts vgen (SIGINT, as
 * Ctrl-C) after that many seconds: the model is too slow on a CPU to finish minutes of 720p here.
 * The output goes to a temporary folder that is removed. Linux only (/proc).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const FFMPEG = require('@ffmpeg-installer/ffmpeg').path;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) {
    if (fallback === undefined) throw new Error(`--${name} is required (see the header of ${path.basename(process.argv[1])})`);
    return fallback;
  }
  return process.argv[i + 1];
}
const known = new Set(['clip', 'minutes', 'method', 'factor', 'fps', 'stop-after', 'every']);
for (const a of process.argv.slice(2)) if (a.startsWith('--') && !known.has(a.slice(2))) throw new Error(`unknown option ${a}`);

const clip = path.resolve(option('clip'));
const minutes = Number(option('minutes', '1'));
const method = option('method', 'blend');
const rate = process.argv.includes('--fps') ? ['--fps', option('fps')] : ['--factor', option('factor', '2')];
const stopAfter = Number(option('stop-after', 'Infinity'));
const every = Number(option('every', '60'));

/** Runs the bundled ffmpeg; exits on failure. */
function ffmpeg(args) {
  const made = spawnSync(FFMPEG, ['-v', 'error', '-nostdin', '-y', ...args], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(1);
}

if (!fs.existsSync(clip)) {
  // one minute of testsrc2 encoded once, its video looped by stream copy (encoding 10 minutes of 720p
  // takes long on a shared CPU), and a tone track of the full length
  process.stderr.write(`making ${clip} (${minutes} min of testsrc2 1280x720 at 25 fps)\n`);
  const minute = path.join(os.tmpdir(), `vgen-memory-testsrc2-${process.pid}.mp4`);
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1280x720:rate=25',
    '-t',
    '60',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '23',
    '-pix_fmt',
    'yuv420p',
    minute,
  ]);
  const tone = `sine=frequency=440:beep_factor=4:sample_rate=48000:duration=${minutes * 60}`;
  ffmpeg(
    ['-stream_loop', String(minutes - 1), '-i', minute, '-f', 'lavfi', '-i', tone, '-map', '0:v', '-map', '1:a', '-c:v', 'copy'].concat([
      '-c:a',
      'aac',
      '-b:a',
      '64k',
      '-movflags',
      '+faststart',
      clip,
    ]),
  );
  fs.rmSync(minute);
}

/** The fields of /proc/<pid>/status in kB (VmRSS, VmHWM), or undefined once the process is gone. */
function status(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

function children(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Input frames decoded so far: the decoder ffmpeg (the child writing rawvideo to pipe:1) has written that many frames. */
function framesDecoded(pids, frameBytes) {
  for (const pid of pids) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('pipe:1')) continue;
      const wchar = Number(/^wchar:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
      return Math.floor(wchar / frameBytes);
    } catch {}
  }
  return undefined;
}

const probe = spawnSync(FFMPEG.replace(/ffmpeg$/, 'ffprobe'), [
  '-v',
  'error',
  '-select_streams',
  'v:0',
  '-show_entries',
  'stream=width,height',
  '-of',
  'csv=p=0',
  clip,
]);
const [width, height] = (probe.status === 0 ? probe.stdout.toString() : '1280,720').trim().split(',').map(Number);
const frameBytes = width * height * 3;

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vgen-memory-'));
const args = [path.join(PACKAGE, 'bin', 'vgen.js'), 'interpolate', clip, '-o', path.join(outDir, 'out.mp4'), ...rate, '--method', method];
args.push('--preset', 'ultrafast', '-q');
process.stderr.write(`node ${args.map((a) => path.relative(process.cwd(), a) || a).join(' ')}\n`);
const started = Date.now();
const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });

let last = { rss: 0, hwm: 0 };
let peakTree = 0;
let decoded = 0;
const samples = [];
let nextReport = every;
const timer = setInterval(() => {
  const seconds = Math.round((Date.now() - started) / 1000);
  const own = status(child.pid);
  if (!own?.hwm) return; // gone, or a zombie (no memory fields) while it exits
  last = own;
  const kids = children(child.pid);
  const tree = own.rss + kids.reduce((sum, pid) => sum + (status(pid)?.rss ?? 0), 0);
  peakTree = Math.max(peakTree, tree);
  decoded = framesDecoded(kids, frameBytes) ?? decoded;
  if (seconds >= nextReport) {
    nextReport += every;
    const sample = {
      seconds,
      framesDecoded: decoded,
      rssMB: Math.round(own.rss / 1024),
      hwmMB: Math.round(own.hwm / 1024),
      treeRssMB: Math.round(tree / 1024),
    };
    samples.push(sample);
    process.stderr.write(`${JSON.stringify(sample)}\n`);
  }
  if (seconds >= stopAfter) child.kill('SIGINT');
}, 1000);

child.on('close', (code) => {
  clearInterval(timer);
  fs.rmSync(outDir, { recursive: true, force: true });
  const summary = {
    clip: path.basename(clip),
    method,
    rate: rate.join(' '),
    exitCode: code,
    wallSeconds: Math.round((Date.now() - started) / 1000),
    framesDecoded: decoded,
    vgenPeakRssMB: Math.round(last.hwm / 1024),
    treePeakRssMB: Math.round(peakTree / 1024),
    samples,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
});
