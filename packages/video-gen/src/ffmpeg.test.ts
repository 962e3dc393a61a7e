import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VideoError } from './errors';
import { locateFfmpeg, probe } from './ffmpeg';
import { CARPHONE, CARPHONE_SPEECH, TEARS, ffmpeg, makeTempDir, removeDir } from './test-support/fixtures';

let dir: string;
beforeAll(() => (dir = makeTempDir()));
afterAll(() => removeDir(dir));

async function probeError(path: string): Promise<VideoError> {
  try {
    await probe(path);
  } catch (err) {
    expect(err).toBeInstanceOf(VideoError);
    expect((err as Error).message).not.toContain('\n');
    return err as VideoError;
  }
  throw new Error(`probe(${path}) did not fail`);
}

describe('locateFfmpeg', () => {
  it('uses the bundled binaries by default', () => {
    const bins = locateFfmpeg();
    expect(bins.source).toBe('bundled');
    expect(bins.ffmpeg).toContain('@ffmpeg-installer');
    expect(bins.ffprobe).toContain('@ffprobe-installer');
  });
});

describe('probe', () => {
  it('reads the shared carphone clip with its speech track', async () => {
    const info = await probe(CARPHONE_SPEECH);
    expect(info).toMatchObject({
      width: 176,
      height: 144,
      fps: { num: 30000, den: 1001 },
      frameCount: 120,
      hasAudio: true,
      audioCodec: 'aac',
      codec: 'h264',
      sampleAspectRatio: { num: 128, den: 117 },
    });
    expect(info.duration).toBeCloseTo(4.004, 3);
  });

  it('reads the scene-cut clip (no audio)', async () => {
    const info = await probe(TEARS);
    expect(info).toMatchObject({ width: 640, height: 360, fps: { num: 24, den: 1 }, frameCount: 240, hasAudio: false });
    expect(info.duration).toBeCloseTo(10, 3);
  });

  it('reports a missing file', async () => {
    expect((await probeError(join(dir, 'absent.mp4'))).code).toBe('MISSING_FILE');
  });

  it('reports text, directories and still images as not a video', async () => {
    const text = join(dir, 'notes.mp4');
    writeFileSync(text, 'not a video at all\n');
    expect((await probeError(text)).code).toBe('NOT_A_VIDEO');
    const folder = join(dir, 'folder.mp4');
    mkdirSync(folder);
    expect((await probeError(folder)).code).toBe('NOT_A_VIDEO');
    const png = join(dir, 'still.png');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=32x32', '-frames:v', '1', png]);
    expect((await probeError(png)).code).toBe('NOT_A_VIDEO');
  });

  it('reports a file cut short, with the index first (faststart) or last', async () => {
    const cut = join(dir, 'cut.mp4');
    writeFileSync(cut, readFileSync(CARPHONE).subarray(0, 150_000));
    const err = await probeError(cut);
    expect(err.code).toBe('TRUNCATED');
    expect(err.message).toMatch(/of 120 frames present/);

    // the speech copy keeps its index (moov) at the end, so cutting it loses the index
    const cutIndexLast = join(dir, 'cut-index-last.mp4');
    writeFileSync(cutIndexLast, readFileSync(CARPHONE_SPEECH).subarray(0, 150_000));
    const indexErr = await probeError(cutIndexLast);
    expect(indexErr.code).toBe('TRUNCATED');
    expect(indexErr.message).toMatch(/moov atom not found/);
  });

  it('counts zero and one frame without failing, so callers can refuse them', async () => {
    const zero = join(dir, 'zero.y4m');
    writeFileSync(zero, 'YUV4MPEG2 W64 H48 F25:1 Ip A1:1 C420jpeg\n');
    expect((await probe(zero)).frameCount).toBe(0);
    const one = join(dir, 'one.mp4');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=25', '-frames:v', '1', '-c:v', 'libx264', one]);
    expect((await probe(one)).frameCount).toBe(1);
  });

  it('accepts a copy of a clip under another name', async () => {
    const copy = join(dir, 'copy.mov');
    copyFileSync(TEARS, copy);
    expect((await probe(copy)).frameCount).toBe(240);
  });
});
