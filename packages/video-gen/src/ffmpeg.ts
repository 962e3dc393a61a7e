/**
 * Where the ffmpeg/ffprobe binaries come from, how to run them, and probe().
 *
 * The bundled static builds (@ffmpeg-installer, @ffprobe-installer) are the
 * default so results do not depend on whatever ffmpeg a machine happens to
 * have. A system ffmpeg on PATH is used only when asked for, with
 * DIFFGAN_FFMPEG=system or setFfmpegPreference('system') (the CLI's
 * --system-ffmpeg flag).
 */
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, mkdirSync, promises as fs, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
// the module itself, not the package index: video I/O does not load tfjs
import { PendingFile } from '@diffgan/core-models/temp-files';
import { VideoError, lastMeaningfulLine } from './errors';
import { Rational, parseRational, positiveRational } from './rational';

export type FfmpegPreference = 'bundled' | 'system';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
  source: FfmpegPreference;
}

let preference: FfmpegPreference | undefined;
let cached: FfmpegBinaries | undefined;

export function setFfmpegPreference(next: FfmpegPreference): void {
  preference = next;
  cached = undefined;
}

function currentPreference(): FfmpegPreference {
  if (preference) return preference;
  return process.env.DIFFGAN_FFMPEG === 'system' ? 'system' : 'bundled';
}

function findOnPath(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new VideoError('FFMPEG_FAILED', `system ${name} requested but not found on PATH`);
}

/** The file operations ensureExecutable needs (replaceable in tests). */
export interface ExecutableFs {
  chmod(path: string, mode: number): void;
  canExecute(path: string): boolean;
}

const realFs: ExecutableFs = {
  chmod: chmodSync,
  canExecute(path) {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * @ffprobe-installer ships its binary as mode 0744, so only the user who ran
 * npm install may execute it (spawn fails with EACCES for everyone else). At
 * first use the bundled binaries get execute permission wherever they have
 * read permission; if this user may not change the mode (not the owner) and
 * cannot execute the file, a private executable copy under
 * ~/.cache/diffgan/ffmpeg is used instead.
 */
export function ensureExecutable(path: string, ops: ExecutableFs = realFs): string {
  const { mode: fullMode, size, mtimeMs } = statSync(path);
  const mode = fullMode & 0o7777;
  const wanted = mode | ((mode & 0o444) >> 2);
  if (wanted === mode) return path;
  try {
    ops.chmod(path, wanted);
    return path;
  } catch {
    if (ops.canExecute(path)) return path; // not ours to change, but this user can run it
  }
  const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'diffgan', 'ffmpeg');
  const copy = join(cacheDir, `${basename(path)}-${size}-${Math.round(mtimeMs)}`);
  if (ops.canExecute(copy)) return copy;
  mkdirSync(cacheDir, { recursive: true });
  const temporary = new PendingFile(copy);
  try {
    copyFileSync(path, temporary.path);
    chmodSync(temporary.path, 0o755);
    temporary.commit();
  } catch (err) {
    temporary.discard();
    throw new VideoError('FFMPEG_FAILED', `cannot run ${path} (mode ${mode.toString(8)}) nor copy it to ${cacheDir}: ${(err as Error).message}`);
  }
  return copy;
}

export function locateFfmpeg(): FfmpegBinaries {
  if (cached) return cached;
  const source = currentPreference();
  if (source === 'system') {
    cached = { ffmpeg: findOnPath('ffmpeg'), ffprobe: findOnPath('ffprobe'), source };
  } else {
    // required lazily so a missing optional platform package only hurts the bundled path
    const ffmpeg = ensureExecutable((require('@ffmpeg-installer/ffmpeg') as { path: string }).path);
    const ffprobe = ensureExecutable((require('@ffprobe-installer/ffprobe') as { path: string }).path);
    cached = { ffmpeg, ffprobe, source };
  }
  return cached;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Keeps only the tail of a chatty stream; ffmpeg can log megabytes on a bad file. */
export class TailBuffer {
  private text = '';
  constructor(private readonly limit = 64 * 1024) {}
  append(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > this.limit) this.text = this.text.slice(-this.limit);
  }
  toString(): string {
    return this.text;
  }
}

/** Runs a short-lived command to completion, collecting stdout and the stderr tail. */
export function runProcess(bin: string, args: string[], signal?: AbortSignal): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const stdout: Buffer[] = [];
    const stderr = new TailBuffer();
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.append(chunk));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') reject(new VideoError('ABORTED', 'aborted'));
      else reject(new VideoError('FFMPEG_FAILED', `cannot run ${bin}: ${err.message}`));
    });
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout).toString(), stderr: stderr.toString() }));
  });
}

export interface VideoInfo {
  path: string;
  width: number;
  height: number;
  /** Average frame rate of the video stream, exact (e.g. 30000/1001). */
  fps: Rational;
  /** Video packets actually present in the file (counted, not taken from the header). */
  frameCount: number;
  /** Seconds: the video stream's duration, else the container's. */
  duration: number;
  hasAudio: boolean;
  audioCodec?: string;
  /** Video codec name as ffprobe spells it, e.g. "h264". */
  codec: string;
  pixelFormat?: string;
  /** Sample (pixel) aspect ratio, e.g. 128:117 for carphone; 1:1 when unset. */
  sampleAspectRatio: Rational;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  pix_fmt?: string;
  sample_aspect_ratio?: string;
  disposition?: { attached_pic?: number };
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string };
}

const STILL_IMAGE_FORMAT = /(^|,)(image2|[a-z0-9]+_pipe|gif|apng)(,|$)/;

/** Does the file start like a container that ffprobe failed to finish reading? */
async function looksLikeVideoContainer(path: string): Promise<boolean> {
  const handle = await fs.open(path, 'r');
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, 12, 0);
    if (bytesRead < 8) return false;
    const box = head.toString('latin1', 4, 8);
    if (['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip'].includes(box)) return true; // MP4/MOV
    if (head.readUInt32BE(0) === 0x1a45dfa3) return true; // Matroska/WebM (EBML)
    if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'AVI ') return true;
    return false;
  } finally {
    await handle.close();
  }
}

async function statInput(path: string): Promise<void> {
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new VideoError('MISSING_FILE', `no such file: ${path}`);
    throw new VideoError('MISSING_FILE', `cannot read ${path}: ${(err as Error).message}`);
  }
  if (stat.isDirectory()) throw new VideoError('NOT_A_VIDEO', `not a video: ${path} is a directory`);
  if (stat.size === 0) throw new VideoError('NOT_A_VIDEO', `not a video: ${path} is empty`);
}

/**
 * Reads stream facts with ffprobe, counting packets (a demux pass, no
 * decoding) so that a file cut short is caught here rather than half-way
 * through a long job.
 */
export async function probe(path: string): Promise<VideoInfo> {
  await statInput(path);
  const { ffprobe } = locateFfmpeg();
  const result = await runProcess(ffprobe, ['-v', 'error', '-count_packets', '-show_streams', '-show_format', '-of', 'json', path]);
  if (result.code !== 0) {
    const reason = /moov atom not found/.test(result.stderr) ? 'moov atom not found' : lastMeaningfulLine(result.stderr).replace(`${path}: `, '');
    if (await looksLikeVideoContainer(path)) {
      throw new VideoError('TRUNCATED', `truncated or corrupt video: ${path} (${reason})`);
    }
    throw new VideoError('NOT_A_VIDEO', `not a video: ${path} (${reason})`);
  }
  const parsed = JSON.parse(result.stdout) as ProbeOutput;
  const streams = parsed.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const formatName = parsed.format?.format_name ?? '';
  if (!video?.width || !video.height) {
    throw new VideoError('NOT_A_VIDEO', `not a video: ${path} has no video stream`);
  }
  if (STILL_IMAGE_FORMAT.test(formatName)) {
    throw new VideoError('NOT_A_VIDEO', `not a video: ${path} is a still image (${formatName})`);
  }
  const frameCount = Number(video.nb_read_packets ?? 0);
  const declared = Number(video.nb_frames ?? NaN);
  if (/partial file/i.test(result.stderr) || (Number.isFinite(declared) && declared > frameCount)) {
    const detail = Number.isFinite(declared) ? `${frameCount} of ${declared} frames present` : 'partial file';
    throw new VideoError('TRUNCATED', `truncated video: ${path} (${detail})`);
  }
  const fps = positiveRational(video.avg_frame_rate) ?? positiveRational(video.r_frame_rate);
  if (!fps) throw new VideoError('NOT_A_VIDEO', `not a video: ${path} has no frame rate`);
  const audio = streams.find((s) => s.codec_type === 'audio');
  const duration = Number(video.duration ?? parsed.format?.duration ?? NaN);
  return {
    path,
    width: video.width,
    height: video.height,
    fps,
    frameCount,
    duration: Number.isFinite(duration) ? duration : frameCount / (fps.num / fps.den),
    hasAudio: Boolean(audio),
    audioCodec: audio?.codec_name,
    codec: video.codec_name ?? 'unknown',
    pixelFormat: video.pix_fmt,
    sampleAspectRatio: parseSar(video.sample_aspect_ratio),
  };
}

function parseSar(text: string | undefined): Rational {
  const match = /^(\d+):(\d+)$/.exec(text ?? '');
  if (!match || match[1] === '0' || match[2] === '0') return { num: 1, den: 1 };
  return parseRational(`${match[1]}/${match[2]}`);
}

/**
 * Presentation times of the video frames, in seconds from the first, in
 * presentation order: the packets' timestamps (a demux pass, no decoding),
 * leaving out packets the container marks as discarded (edit lists), sorted
 * (B-frames are stored out of order). Undefined when some packet has no
 * timestamp (e.g. a raw elementary stream): then only the frame rate is known.
 */
export async function readFrameTimes(path: string, signal?: AbortSignal): Promise<number[] | undefined> {
  const { ffprobe } = locateFfmpeg();
  const result = await runProcess(
    ffprobe,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=time_base:packet=pts,flags', '-of', 'csv=p=1', path],
    signal,
  );
  if (result.code !== 0) throw new VideoError('FFMPEG_FAILED', `cannot read the timestamps of ${path}: ${lastMeaningfulLine(result.stderr)}`);
  let timeBase: Rational | undefined;
  const pts: number[] = [];
  for (const line of result.stdout.split('\n')) {
    const [section, first, flags] = line.trim().split(',');
    if (section === 'stream') timeBase = positiveRational(first);
    if (section !== 'packet') continue;
    if (flags?.includes('D')) continue;
    if (!/^-?\d+$/.test(first ?? '')) return undefined;
    pts.push(Number(first));
  }
  if (!timeBase || pts.length === 0) return undefined;
  pts.sort((a, b) => a - b);
  const { num, den } = timeBase;
  return pts.map((p) => ((p - pts[0]) * num) / den);
}
