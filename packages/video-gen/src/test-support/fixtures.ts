/** Test-only helpers: temp directories, synthetic frames and independent ffprobe checks. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDataRoot } from '@diffgan/core-models';
import { locateFfmpeg } from '../ffmpeg';
import { Frame } from '../frame';

/** $DIFFGAN_DATA/video, else <repo>/../shared/data/video (read-only; never copied into the repo). */
export const SHARED_VIDEO = join(findDataRoot() ?? '/nonexistent-shared-data', 'video');
export const CARPHONE = join(SHARED_VIDEO, 'carphone_qcif_176x144_29.97fps.mp4');
export const CARPHONE_SPEECH = join(SHARED_VIDEO, 'carphone_qcif_176x144_29.97fps_with_speech.mp4');
export const FOREMAN = join(SHARED_VIDEO, 'foreman_cif_352x288_30fps.mp4');
export const TEARS = join(SHARED_VIDEO, 'tears_of_steel_640x360_24fps_scenecuts.mp4');

/** The package folder and its built CLI (bin/vgen.js loads dist). */
export const PACKAGE = join(__dirname, '..', '..');
export const BIN = join(PACKAGE, 'bin', 'vgen.js');

/**
 * For a test file that spawns the CLI: compiles the package first (incremental, fast when up
 * to date) and gives a scratch folder with an `out` subfolder, removed afterwards.
 */
export function cliSandbox(): { dir: string; outDir: string } {
  const box = { dir: '', outDir: '' };
  beforeAll(() => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', PACKAGE]);
    box.dir = makeTempDir();
    box.outDir = join(box.dir, 'out');
    mkdirSync(box.outDir);
  });
  afterAll(() => removeDir(box.dir));
  return box;
}

/** Runs the built CLI (see cliSandbox) with this environment: exit code and output. */
export function vgenWith(env: NodeJS.ProcessEnv, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function vgen(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return vgenWith(process.env, ...args);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vgen-test-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Files in dir, hidden ones included, so leftover *.partial temporaries are visible. */
export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Runs the bundled ffmpeg to make a fixture file. */
export function ffmpeg(args: string[]): void {
  execFileSync(locateFfmpeg().ffmpeg, ['-v', 'error', '-nostdin', '-y', ...args]);
}

export interface CountedStream {
  frames: number;
  duration: number;
  fps: string;
  width: number;
  height: number;
  audioStreams: number;
}

/** Decodes every frame with ffprobe (-count_frames), independently of probe(). */
export function countFrames(path: string): CountedStream {
  const out = execFileSync(locateFfmpeg().ffprobe, [
    '-v',
    'error',
    '-count_frames',
    '-show_entries',
    'stream=codec_type,nb_read_frames,duration,r_frame_rate,width,height',
    '-of',
    'json',
    path,
  ]).toString();
  const streams = JSON.parse(out).streams as Array<Record<string, string | number>>;
  const video = streams.find((s) => s.codec_type === 'video')!;
  return {
    frames: Number(video.nb_read_frames),
    duration: Number(video.duration),
    fps: String(video.r_frame_rate),
    width: Number(video.width),
    height: Number(video.height),
    audioStreams: streams.filter((s) => s.codec_type === 'audio').length,
  };
}

/** MD5 of the audio packets as stored, to show a track was copied bit for bit. */
export function audioPacketsMd5(path: string): string {
  return execFileSync(locateFfmpeg().ffmpeg, ['-v', 'error', '-i', path, '-map', '0:a', '-c', 'copy', '-f', 'md5', '-']).toString().trim();
}

/** Smooth, moving colour gradients: easy on yuv420p, so a good encode round-trips at high PSNR. */
export function gradientFrame(width: number, height: number, t: number): Frame {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (128 + 100 * Math.sin((x + 2 * t) / 11)) | 0;
      data[i + 1] = (128 + 100 * Math.cos((y - t) / 9)) | 0;
      data[i + 2] = (128 + 60 * Math.sin((x + y + 3 * t) / 15)) | 0;
    }
  }
  return { data, width, height };
}

export function solidFrame(width: number, height: number, value: number): Frame {
  return { data: new Uint8Array(width * height * 3).fill(value), width, height };
}
