import { join } from 'node:path';
import { Frame } from './frame';
import { readFrames } from './frame-reader';
import { FrameWriter } from './frame-writer';
import { loadModelInterpolator, loadModelUpscaler } from './model';
import { rational } from './rational';
import { UpscaleContext, Upscaler, upscaleFrames, upscaleVideo } from './upscale';
import { CARPHONE_SPEECH, audioPacketsMd5, countFrames, gradientFrame, makeTempDir, removeDir, solidFrame } from './test-support/fixtures';

let dir: string;
beforeAll(() => (dir = makeTempDir()));
afterAll(() => removeDir(dir));

/** Pixel replication: the simplest Upscaler, to exercise the plug-in path. */
const nearest: Upscaler = (frame: Frame, scale) => {
  const width = frame.width * scale;
  const height = frame.height * scale;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = (Math.floor(y / scale) * frame.width + Math.floor(x / scale)) * 3;
      data.set(frame.data.subarray(src, src + 3), (y * width + x) * 3);
    }
  }
  return { data, width, height };
};

describe('upscaleFrames', () => {
  it('gives each call its neighbours and checks the output size', async () => {
    const contexts: UpscaleContext[] = [];
    const spy: Upscaler = (frame, scale, context) => {
      contexts.push(context);
      return nearest(frame, scale, context);
    };
    const input = [1, 2, 3].map((v) => solidFrame(8, 6, v));
    const out: Frame[] = [];
    for await (const frame of upscaleFrames(input, 4, spy)) out.push(frame);
    expect(out.map((f) => [f.width, f.height, f.data[0]])).toEqual([
      [32, 24, 1],
      [32, 24, 2],
      [32, 24, 3],
    ]);
    expect(contexts.map((c) => [c.index, c.previous?.data[0], c.next?.data[0]])).toEqual([
      [0, undefined, 2],
      [1, 1, 3],
      [2, 2, undefined],
    ]);
    const bad: Upscaler = (frame) => frame;
    await expect(
      (async () => {
        for await (const _ of upscaleFrames(input, 2, bad)) void _;
      })(),
    ).rejects.toThrow(/upscaler returned/);
  });
});

describe('upscaleVideo', () => {
  it('lanczos ×2 on carphone: 352x288, all frames, audio copied', async () => {
    const output = join(dir, 'carphone-x2.mp4');
    const result = await upscaleVideo({ input: CARPHONE_SPEECH, output, scale: 2, method: { kind: 'lanczos' }, preset: 'ultrafast' });
    expect(result).toMatchObject({ framesWritten: 120, width: 352, height: 288 });
    expect(countFrames(output)).toMatchObject({ frames: 120, width: 352, height: 288, fps: '30000/1001', audioStreams: 1 });
    expect(audioPacketsMd5(output)).toBe(audioPacketsMd5(CARPHONE_SPEECH));
  });

  it('runs a plugged-in Upscaler ×4', async () => {
    const input = join(dir, 'small.mp4');
    const writer = await FrameWriter.open({ output: input, width: 24, height: 16, fps: rational(25), preset: 'ultrafast' });
    for (let t = 0; t < 6; t++) await writer.write(gradientFrame(24, 16, t));
    await writer.finish();
    const output = join(dir, 'small-x4.mp4');
    await upscaleVideo({ input, output, scale: 4, method: { kind: 'model', upscaler: nearest }, preset: 'ultrafast' });
    expect(countFrames(output)).toMatchObject({ frames: 6, width: 96, height: 64 });
    let frames = 0;
    for await (const frame of readFrames(output)) frames += frame.width === 96 ? 1 : 0;
    expect(frames).toBe(6);
  });

  it('model loaders: one-line MODEL_UNAVAILABLE when the weights are missing', async () => {
    const empty = join(dir, 'no-weights');
    await expect(loadModelUpscaler({ weights: empty })).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringMatching(/model weights not available: .*sr_generator_x4\.manifest\.json is missing/),
    });
    await expect(loadModelInterpolator({ weights: empty })).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringMatching(/model weights not available: .*interp_g\.manifest\.json is missing/),
    });
  });
});
