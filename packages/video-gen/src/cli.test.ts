/**
 * The built CLI, spawned as a user would run it: failures must exit non-zero
 * with exactly one line on stderr and leave no output or temporary behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Frame } from './frame';
import { readFrames } from './frame-reader';
import { blendInterpolator } from './interpolators';
import { CARPHONE_SPEECH, TEARS, collect, countFrames, ffmpeg, listDir, removeDir, cliSandbox, vgen, vgenWith, PACKAGE, BIN } from './test-support/fixtures';

const EXAMPLE = join(PACKAGE, 'examples/synthetic_176x144_25fps_cut.mp4');
const sandbox = cliSandbox();
let dir: string;
let outDir: string;
beforeAll(() => ({ dir, outDir } = sandbox));

/** Environment pointing both model loaders at an empty folder (no weights installed). */
const NO_WEIGHTS = () => ({ ...process.env, DIFFGAN_VGEN_WEIGHTS: join(dir, 'no-weights'), DIFFGAN_SR_WEIGHTS: join(dir, 'no-weights') });

function expectOneLineFailure(args: string[], pattern: RegExp, code = 1, env: NodeJS.ProcessEnv = process.env): void {
  const run = vgenWith(env, ...args);
  expect(run.code).toBe(code);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(listDir(outDir)).toEqual([]);
}

describe('vgen errors', () => {
  const out = () => join(outDir, 'out.mp4');

  it('missing file', () => {
    expectOneLineFailure(['interpolate', join(dir, 'absent.mp4'), '-o', out(), '--factor', '2'], /no such file/);
  });

  it('not a video', () => {
    const text = join(dir, 'readme.mp4');
    writeFileSync(text, 'hello\n');
    expectOneLineFailure(['upscale', text, '-o', out(), '--scale', '2'], /not a video/);
  });

  it('truncated file', () => {
    const cut = join(dir, 'cut.mp4');
    writeFileSync(cut, require('node:fs').readFileSync(CARPHONE_SPEECH).subarray(0, 100_000));
    expectOneLineFailure(['interpolate', cut, '-o', out(), '--factor', '2'], /truncated/);
  });

  it('zero-frame and one-frame videos', () => {
    const zero = join(dir, 'zero.y4m');
    writeFileSync(zero, 'YUV4MPEG2 W64 H48 F25:1 Ip A1:1 C420jpeg\n');
    expectOneLineFailure(['interpolate', zero, '-o', out(), '--factor', '2'], /has no frames/);
    const one = join(dir, 'one.mp4');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=25', '-frames:v', '1', '-c:v', 'libx264', one]);
    expectOneLineFailure(['upscale', one, '-o', out(), '--scale', '2'], /only one frame/);
  });

  it('unwritable output', () => {
    expectOneLineFailure(['interpolate', CARPHONE_SPEECH, '-o', join(dir, 'no-such-dir', 'x.mp4'), '--factor', '2'], /cannot write output/);
    expectOneLineFailure(['interpolate', CARPHONE_SPEECH, '-o', '/proc/vgen-test.mp4', '--factor', '2'], /cannot write output/);
    expectOneLineFailure(['interpolate', CARPHONE_SPEECH, '-o', outDir, '--factor', '2'], /unsupported output extension|is a directory/, 2);
  });

  it('output is the input, directly or through a symlink', () => {
    const copy = join(outDir, 'same.mp4');
    copyFileSync(CARPHONE_SPEECH, copy);
    const link = join(dir, 'link.mp4');
    symlinkSync(copy, link);
    for (const output of [copy, link]) {
      const run = vgen('interpolate', copy, '-o', output, '--factor', '2');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/output is the input/);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(listDir(outDir)).toEqual(['same.mp4']);
    removeDir(copy);
  });

  it('--system-ffmpeg with no ffmpeg on PATH', () => {
    const run = spawnSync(process.execPath, [BIN, 'probe', CARPHONE_SPEECH, '--system-ffmpeg'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: outDir },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('vgen: system ffmpeg requested but not found on PATH\n');
  });

  it('usage errors exit with 2', () => {
    expectOneLineFailure(
      ['interpolate', CARPHONE_SPEECH, '-o', out(), '--factor', '1'],
      /invalid value for --factor: 1 \(must be an integer from 2 to 16\)/,
      2,
    );
    expectOneLineFailure(['interpolate', CARPHONE_SPEECH, '-o', out(), '--factor', '2', '--fps', '60'], /give --factor or --fps, not both/, 2);
    // the input's rate is known only after probing: still a usage error, and no output
    expectOneLineFailure(
      ['interpolate', CARPHONE_SPEECH, '-o', out(), '--fps', '24'],
      /^vgen: --fps 24 is not above the input's 30000\/1001 fps; to lower the rate use ffmpeg -vf fps=24\n$/,
      2,
    );
    expectOneLineFailure(['upscale', CARPHONE_SPEECH, '-o', out()], /--scale is required/, 2);
    expectOneLineFailure(['resize', CARPHONE_SPEECH], /unknown command/, 2);
    expectOneLineFailure(['interpolate', CARPHONE_SPEECH, '--factor', '2'], /needs -o/, 2);
  });

  it('model method without weights: one-line error', () => {
    expectOneLineFailure(
      ['interpolate', CARPHONE_SPEECH, '-o', out(), '--factor', '2', '--method', 'model'],
      /model weights not available: .*interp_g\.manifest\.json is missing/,
      1,
      NO_WEIGHTS(),
    );
    expectOneLineFailure(
      ['upscale', CARPHONE_SPEECH, '-o', out(), '--scale', '2', '--method', 'model'],
      /model weights not available: .*sr_generator_x4\.manifest\.json is missing/,
      1,
      NO_WEIGHTS(),
    );
  });

  it('interrupted run: exit 130 and nothing left behind', async () => {
    const child = spawn(process.execPath, [BIN, 'interpolate', TEARS, '-o', out(), '--factor', '4', '--preset', 'slow']);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // wait until the encoder has created its temporary, then interrupt
    for (let i = 0; i < 100 && !listDir(outDir).some((f) => f.endsWith('.partial')); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(listDir(outDir)).toEqual([]);
  });
});

describe('vgen success', () => {
  it('prints help', () => {
    const run = vgen('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/vgen interpolate <input> -o <output> --factor N/);
  });

  it('runs the README quick-start on the example clip', () => {
    const output = join(outDir, 'example_x4.mp4');
    // without model weights the default method is blend
    const run = vgenWith(NO_WEIGHTS(), 'interpolate', EXAMPLE, '-o', output, '--factor', '4', '--preset', 'ultrafast');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/200 frames at 100\/1 fps \(blend, held at scene cuts before frames 25\)/);
    const counted = countFrames(output);
    expect(counted).toMatchObject({ frames: 200, fps: '100/1', audioStreams: 1 });
    expect(counted.duration).toBeCloseTo(2, 3);
    removeDir(output);
  });

  /** Mean absolute difference per RGB byte. */
  const meanAbsDiff = (a: Frame, b: Frame) => a.data.reduce((sum, v, i) => sum + Math.abs(v - b.data[i]), 0) / a.data.length;

  // The example: 50 frames at 25 fps, a cut before frame 25. Output k is at input position p(k); the expected
  // picture is the input frame when p is whole, frame 24 held between 24 and 25 (the cut), frame 49 after the end,
  // else the blend of frames ⌊p⌋ and ⌊p⌋+1 at t = p − ⌊p⌋.
  it.each([
    ['--factor', '3', 150, '75/1', (k: number) => k / 3],
    ['--fps', '60', 120, '60/1', (k: number) => (5 * k) / 12],
  ] as const)('%s %s on the example clip: count, rate, duration, audio, and each frame is the blend at its t', async (flag, value, frames, fps, position) => {
    const output = join(outDir, `example_${flag.slice(2)}${value}.mp4`);
    const run = vgenWith(NO_WEIGHTS(), 'interpolate', EXAMPLE, '-o', output, flag, value, '--method', 'blend', '--preset', 'ultrafast', '--crf', '0');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${frames} frames at ${fps} fps \\(blend, held at scene cuts before frames 25\\)`));
    const counted = countFrames(output);
    expect(counted).toMatchObject({ frames, fps, audioStreams: 1 });
    expect(counted.duration).toBeCloseTo(2, 3);
    const input = await collect(readFrames(EXAMPLE));
    const out = await collect(readFrames(output));
    removeDir(output);
    expect(out).toHaveLength(frames);
    const mismatches: string[] = []; // "k: why", so a failure names the frames
    out.forEach((frame, k) => {
      const p = position(k);
      const i = Math.floor(p + 1e-9);
      const t = p - i;
      const held = i >= 49 || i === 24 || t < 1e-9;
      const expected = held ? input[Math.min(i, 49)] : (blendInterpolator(input[i], input[i + 1], t) as Frame);
      // yuv420p at crf 0 (chroma subsampled) costs up to 1.7 per byte on testsrc2's coloured edges
      const error = meanAbsDiff(frame, expected);
      if (error >= 2) mismatches.push(`${k}: ${error.toFixed(2)} from the expected picture`);
      if (!held && i < 24) {
        // in the zooming first shot a blend 1/12 of a frame off is clearly further away: t is checkable there
        const shifted = blendInterpolator(input[i], input[i + 1], t < 0.5 ? t + 1 / 12 : t - 1 / 12) as Frame;
        if (meanAbsDiff(frame, shifted) - error < 0.5) mismatches.push(`${k}: about as close to the blend at t ± 1/12`);
      }
    });
    expect(mismatches).toEqual([]);
  });

  it('interpolates ×2 keeping the speech track', () => {
    const output = join(outDir, 'x2.mp4');
    const run = vgen('interpolate', CARPHONE_SPEECH, '-o', output, '--factor', '2', '--method', 'blend', '--preset', 'ultrafast', '--crf', '23');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/wrote .*x2\.mp4: 240 frames at 60000\/1001 fps/);
    expect(countFrames(output)).toMatchObject({ frames: 240, audioStreams: 1 });
    expect(existsSync(output)).toBe(true);
    removeDir(output);
  });

  it('ifnet is the default when its weights are installed (short clip, x4 across a scene cut)', () => {
    if (!existsSync(join(PACKAGE, 'weights', 'interp_ifnet.manifest.json'))) return;
    const short = join(dir, 'short.mp4');
    ffmpeg([
      '-y',
      '-v',
      'error',
      '-i',
      EXAMPLE,
      '-vf',
      "select='between(n,20,29)'",
      '-vsync',
      '0',
      '-an',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '12',
      short,
    ]);
    const output = join(outDir, 'model_x4.mp4');
    const run = vgen('interpolate', short, '-o', output, '--factor', '4', '--preset', 'ultrafast');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/wrote .*model_x4\.mp4: 40 frames at 100\/1 fps \(ifnet, held at scene cuts before frames 5\)/);
    expect(countFrames(output)).toMatchObject({ frames: 40 });
    removeDir(output);
    // without interp_ifnet, the GAN model
    const ganOnly = join(dir, 'gan-only');
    mkdirSync(ganOnly);
    for (const f of ['interp_g.dgw', 'interp_g.manifest.json']) copyFileSync(join(PACKAGE, 'weights', f), join(ganOnly, f));
    const gan = vgenWith({ ...process.env, DIFFGAN_VGEN_WEIGHTS: ganOnly }, 'interpolate', short, '-o', output, '--factor', '2', '--preset', 'ultrafast');
    expect([gan.code, gan.stdout]).toEqual([0, expect.stringMatching(/: 20 frames at 50\/1 fps \(model, held at scene cuts before frames 5\)/)]);
    removeDir(output);
  });
});
