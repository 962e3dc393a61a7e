/**
 * Issue #29 cases for vgen, driven through the built CLI as a user would run it:
 * stale temporaries of a killed run, variable-frame-rate input, odd frame sizes,
 * bundled binaries installed without execute permission for others, stray options.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureExecutable } from './ffmpeg';
import { readFrames } from './frame-reader';
import { Frame } from './frame';
import { framePsnr } from './metrics';
import { collect, countFrames, ffmpeg, listDir, removeDir, cliSandbox, vgen } from './test-support/fixtures';

const sandbox = cliSandbox();
/** Encoder arguments of the test clips: lossless, fast. */
const LOSSLESS_H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '0'];
let dir: string;
let outDir: string;
beforeAll(() => ({ dir, outDir } = sandbox));
afterEach(() => {
  for (const name of readdirSync(outDir)) removeDir(join(outDir, name));
});

function mean(frame: Frame): number {
  let sum = 0;
  for (const v of frame.data) sum += v;
  return sum / frame.data.length;
}

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

describe('vgen reliability (issue #29)', () => {
  it('removes the partial output a killed run left beside the same target, and only that', () => {
    const input = join(dir, 'small.mp4');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=25', '-frames:v', '6', '-c:v', 'libx264', '-preset', 'ultrafast', input]);
    const pid = deadPid();
    const stale = `.out.mp4.${pid}-0badf00d.partial`; // what kill -9 during encoding leaves
    const staleOld = `.out.mp4.${pid}.tmp`;
    const live = `.out.mp4.${process.pid}-12345678.partial`; // a run still going: not ours to remove
    const otherTarget = `.other.mp4.${pid}-0badf00d.partial`;
    for (const name of [stale, staleOld, live, otherTarget]) writeFileSync(join(outDir, name), 'partial mp4');
    const run = vgen('interpolate', input, '-o', join(outDir, 'out.mp4'), '--factor', '2', '--method', 'blend', '--preset', 'ultrafast');
    expect(run.code).toBe(0);
    expect(listDir(outDir)).toEqual([live, otherTarget, 'out.mp4'].sort());
  });

  it('places the frames of a variable-frame-rate clip by their timestamps (and keeps its length)', async () => {
    // 1 s at 10 fps then 1 s at 30 fps (40 frames, average 20 fps) with a 2 s tone;
    // the picture's brightness grows linearly with the frame's timestamp
    const input = join(dir, 'vfr.mp4');
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'color=gray:s=64x48:r=30:d=2',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=2',
      '-filter_complex',
      "[0:v]select='gte(t\\,1)+not(mod(n\\,3))',geq=lum='30+X+70*T':cb=128:cr=128[v]",
      '-map',
      '[v]',
      '-map',
      '1:a',
      '-vsync',
      'passthrough',
      ...LOSSLESS_H264,
      '-c:a',
      'aac',
      input,
    ]);
    const output = join(outDir, 'vfr_x2.mp4');
    const run = vgen('interpolate', input, '-o', output, '--factor', '2', '--method', 'blend', '--preset', 'ultrafast', '--crf', '0');
    expect(run.code).toBe(0);
    const counted = countFrames(output);
    expect(counted).toMatchObject({ frames: 80, audioStreams: 1 });
    expect(counted.duration).toBeCloseTo(2, 2);

    const inputTimes = Array.from({ length: 40 }, (_, i) => (i < 10 ? i / 10 : 1 + (i - 10) / 30));
    const inputMeans = (await collect(readFrames(input))).map(mean);
    const expectedAt = (t: number) => {
      let i = 0;
      while (i + 1 < inputTimes.length && inputTimes[i + 1] <= t + 1e-9) i++;
      if (i + 1 === inputTimes.length) return inputMeans[i];
      const s = (t - inputTimes[i]) / (inputTimes[i + 1] - inputTimes[i]);
      return inputMeans[i] + s * (inputMeans[i + 1] - inputMeans[i]);
    };
    const outputMeans = (await collect(readFrames(output))).map(mean);
    // the picture at 1.225 s (frame 49) shows the input at 1.225 s, not at 0.6 s (evenly spaced frames)
    outputMeans.forEach((m, k) => expect(Math.abs(m - expectedAt(k / 40))).toBeLessThan(1.5));
    expect(listDir(outDir)).toEqual(['vfr_x2.mp4']);
    expect(run.stdout).toMatch(/80 frames at 40\/1 fps \(blend; variable frame rate: frames placed by their timestamps\)/);
  });

  it('keeps an odd frame size (175x143) and says how', async () => {
    const input = join(dir, 'odd.mp4');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=175x143:rate=25', '-frames:v', '4', ...LOSSLESS_H264, '-pix_fmt', 'yuv444p', input]);
    const output = join(outDir, 'odd_x2.mp4');
    const run = vgen('interpolate', input, '-o', output, '--factor', '2', '--method', 'blend', '--preset', 'ultrafast', '--crf', '0');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/8 frames at 50\/1 fps \(blend\); 175x143 kept/);
    expect(countFrames(output)).toMatchObject({ frames: 8, width: 175, height: 143 });
    const [first] = await collect(readFrames(input, { maxFrames: 1 }));
    const [written] = await collect(readFrames(output, { maxFrames: 1 }));
    expect(framePsnr(written, first)).toBeGreaterThan(40);
    expect(listDir(outDir)).toEqual(['odd_x2.mp4']);
  });

  it.each([
    [['probe', 'in.mp4', '--factor', '2'], /--factor does not apply to probe/],
    [['probe', 'in.mp4', '-o', 'x.mp4'], /--output does not apply to probe/],
    [['interpolate', 'in.mp4', '-o', 'x.mp4', '--factor', '2', '-Z1'], /unknown option -Z1/],
    [['interpolate', 'in.mp4', '-o', 'x.mp4', '--factor', '2', '--preset', 'fastest'], /invalid value for --preset: fastest \(must be one of/],
    [
      ['interpolate', 'in.mp4', '-o', 'x.mp4', '--factor', '2', '--method', 'minterpolate', '--no-scene-cuts'],
      /--no-scene-cuts does not apply to --method minterpolate/,
    ],
  ])('rejects options that would be ignored: %j', (argv, pattern) => {
    const run = vgen(...argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(listDir(outDir)).toEqual([]);
  });
});

describe('bundled ffmpeg/ffprobe installed without execute permission for others', () => {
  it('makes a mode-0744 binary executable for everyone at first use', () => {
    const bins = join(dir, 'bins');
    mkdirSync(bins);
    const fakeFfmpeg = join(bins, 'ffmpeg');
    const fakeFfprobe = join(bins, 'ffprobe');
    for (const file of [fakeFfmpeg, fakeFfprobe]) {
      writeFileSync(file, '#!/bin/sh\necho ok\n');
      chmodSync(file, 0o744);
    }
    jest.isolateModules(() => {
      jest.doMock('@ffmpeg-installer/ffmpeg', () => ({ path: fakeFfmpeg }));
      jest.doMock('@ffprobe-installer/ffprobe', () => ({ path: fakeFfprobe }));
      const { locateFfmpeg } = require('./ffmpeg') as typeof import('./ffmpeg');
      const found = locateFfmpeg();
      expect(found).toMatchObject({ ffmpeg: fakeFfmpeg, ffprobe: fakeFfprobe, source: 'bundled' });
    });
    expect(statSync(fakeFfmpeg).mode & 0o777).toBe(0o755);
    expect(statSync(fakeFfprobe).mode & 0o777).toBe(0o755);
  });

  it('runs a private executable copy when this user may not change the mode', () => {
    const file = join(dir, 'ffprobe-not-mine');
    writeFileSync(file, '#!/bin/sh\necho ok\n');
    chmodSync(file, 0o744);
    const cache = join(dir, 'cache');
    const previous = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
    try {
      // as another user would see it: chmod refused, and the file is not executable for us
      const notOwner = {
        chmod: () => {
          throw Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
        },
        canExecute: (path: string) => path !== file && existsSync(path) && (statSync(path).mode & 0o001) !== 0,
      };
      const copy = ensureExecutable(file, notOwner);
      expect(copy.startsWith(join(cache, 'diffgan', 'ffmpeg', 'ffprobe-not-mine-'))).toBe(true);
      expect(statSync(copy).mode & 0o777).toBe(0o755);
      expect(execFileSync(copy).toString()).toBe('ok\n');
      expect(ensureExecutable(file, notOwner)).toBe(copy); // reused, not copied again
      expect(statSync(file).mode & 0o777).toBe(0o744);
      expect(readdirSync(join(cache, 'diffgan', 'ffmpeg'))).toHaveLength(1);
    } finally {
      if (previous === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = previous;
    }
  });
});
