import { join } from 'node:path';
import { VideoError } from './errors';
import { probe } from './ffmpeg';
import { readFrames } from './frame-reader';
import { FrameWriter } from './frame-writer';
import { framePsnr as psnr } from './metrics';
import { rational } from './rational';
import { CARPHONE_SPEECH, FOREMAN, audioPacketsMd5, countFrames, gradientFrame, listDir, makeTempDir, removeDir, collect } from './test-support/fixtures';

let dir: string;
beforeAll(() => (dir = makeTempDir()));
afterAll(() => removeDir(dir));

describe('frame writer and reader', () => {
  it('round-trips frames: exact count, high PSNR, exact rational rate', async () => {
    const output = join(dir, 'roundtrip.mp4');
    const frames = Array.from({ length: 30 }, (_, t) => gradientFrame(96, 64, t));
    const writer = await FrameWriter.open({ output, width: 96, height: 64, fps: rational(30000, 1001), crf: 10, preset: 'veryfast' });
    for (const frame of frames) await writer.write(frame);
    const result = await writer.finish();
    expect(result).toMatchObject({ framesWritten: 30, width: 96, height: 64, crop: { right: 0, bottom: 0 } });

    const counted = countFrames(output);
    expect(counted).toMatchObject({ frames: 30, fps: '30000/1001', width: 96, height: 64 });
    const decoded = await collect(readFrames(output));
    expect(decoded).toHaveLength(30);
    const worst = Math.min(...decoded.map((frame, i) => psnr(frame, frames[i])));
    expect(worst).toBeGreaterThan(38);
    expect(listDir(dir)).toEqual(['roundtrip.mp4']);
  });

  it("with oddSize 'crop', crops odd sizes by one column and one row (yuv420p needs even sizes)", async () => {
    const output = join(dir, 'odd.mp4');
    const writer = await FrameWriter.open({ output, width: 97, height: 65, fps: rational(25), crf: 10, preset: 'veryfast', oddSize: 'crop' });
    const frames = Array.from({ length: 5 }, (_, t) => gradientFrame(97, 65, t));
    for (const frame of frames) await writer.write(frame);
    const result = await writer.finish();
    expect(result).toMatchObject({ width: 96, height: 64, crop: { right: 1, bottom: 1 }, pixelFormat: 'yuv420p' });
    const decoded = await collect(readFrames(output));
    expect(decoded).toHaveLength(5);
    // the kept pixels are the top-left 96x64 of the input
    const kept = gradientFrame(97, 65, 0);
    const topLeft = new Uint8Array(96 * 64 * 3);
    for (let y = 0; y < 64; y++) topLeft.set(kept.data.subarray(y * 97 * 3, y * 97 * 3 + 96 * 3), y * 96 * 3);
    expect(psnr(decoded[0], { data: topLeft, width: 96, height: 64 })).toBeGreaterThan(38);
    removeDir(output);
  });

  it('copies the audio track bit for bit and keeps the duration', async () => {
    const info = await probe(CARPHONE_SPEECH);
    const output = join(dir, 'with-audio.mp4');
    const writer = await FrameWriter.open({
      output,
      width: info.width,
      height: info.height,
      fps: info.fps,
      preset: 'ultrafast',
      audioFrom: CARPHONE_SPEECH,
      audioCodec: info.audioCodec,
    });
    for await (const frame of readFrames(CARPHONE_SPEECH, { info })) await writer.write(frame);
    await writer.finish();
    const counted = countFrames(output);
    expect(counted).toMatchObject({ frames: 120, audioStreams: 1 });
    expect(counted.duration).toBeCloseTo(info.duration, 3);
    expect(audioPacketsMd5(output)).toBe(audioPacketsMd5(CARPHONE_SPEECH));
    removeDir(output);
  });

  it('leaves nothing behind when aborted or when ffmpeg fails', async () => {
    const sub = join(dir, 'abort');
    require('node:fs').mkdirSync(sub);
    const controller = new AbortController();
    const aborted = await FrameWriter.open({ output: join(sub, 'a.mp4'), width: 64, height: 48, fps: rational(25), signal: controller.signal });
    await aborted.write(gradientFrame(64, 48, 0));
    controller.abort();
    await expect(aborted.write(gradientFrame(64, 48, 1))).rejects.toThrow(VideoError);
    await aborted.abort();

    const broken = await FrameWriter.open({ output: join(sub, 'b.mp4'), width: 64, height: 48, fps: rational(25), preset: 'no-such-preset' });
    await expect(
      (async () => {
        for (let t = 0; t < 50; t++) await broken.write(gradientFrame(64, 48, t));
        await broken.finish();
      })(),
    ).rejects.toThrow(/failed/);
    await broken.abort();
    expect(listDir(sub)).toEqual([]);
  });

  it('streams: waits for ffmpeg (backpressure) instead of buffering a whole video', async () => {
    const output = join(dir, 'big.mp4');
    const writer = await FrameWriter.open({ output, width: 640, height: 360, fps: rational(24), preset: 'ultrafast' });
    const frame = gradientFrame(640, 360, 0);
    let waited = 0;
    for (let t = 0; t < 40; t++) {
      const pending = writer.write(frame);
      let settled = false;
      void pending.then(() => (settled = true));
      await Promise.resolve();
      if (!settled) waited++;
      await pending;
    }
    await writer.finish();
    expect(waited).toBeGreaterThan(0);
    removeDir(output);
  });

  it('stops the decoder when the consumer stops early', async () => {
    let count = 0;
    for await (const frame of readFrames(FOREMAN)) {
      expect(frame.data).toHaveLength(352 * 288 * 3);
      if (++count === 3) break;
    }
    expect(count).toBe(3);
    const limited = await collect(readFrames(FOREMAN, { maxFrames: 7 }));
    expect(limited).toHaveLength(7);
  });

  it('rejects frames of the wrong size', async () => {
    const writer = await FrameWriter.open({ output: join(dir, 'wrong.mp4'), width: 64, height: 48, fps: rational(25) });
    await expect(writer.write(gradientFrame(32, 48, 0))).rejects.toThrow(/expected 64x48/);
    await writer.abort();
    expect(listDir(dir).filter((f) => f.includes('wrong'))).toEqual([]);
  });
});
