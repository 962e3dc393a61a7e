import { join } from 'node:path';
import { Frame } from './frame';
import { evenlySpaced, interpolateFrames, interpolateVideo } from './interpolate';
import { blendInterpolator, duplicateInterpolator } from './interpolators';
import { minterpolateVideo } from './minterpolate';
import { CARPHONE_SPEECH, audioPacketsMd5, countFrames, gradientFrame, listDir, makeTempDir, removeDir, solidFrame, collect } from './test-support/fixtures';

let dir: string;
beforeAll(() => (dir = makeTempDir()));
afterAll(() => removeDir(dir));

const W = 32;
const H = 24;

describe('interpolateFrames', () => {
  it.each([2, 4] as const)('turns N frames into N·%i, holding the last frame', async (factor) => {
    const input = [10, 20, 30].map((v) => solidFrame(W, H, v));
    const out = await collect(interpolateFrames(input, { factor, interpolator: blendInterpolator, sceneCuts: false }));
    expect(out).toHaveLength(3 * factor);
    const values = out.map((f) => f.data[0]);
    if (factor === 2) expect(values).toEqual([10, 15, 20, 25, 30, 30]);
    else expect(values).toEqual([10, 13, 15, 18, 20, 23, 25, 28, 30, 30, 30, 30]);
  });

  it('asks the interpolator for t = k/factor between each pair', async () => {
    const calls: Array<[number, number, number]> = [];
    const spy = (a: Frame, b: Frame, t: number) => {
      calls.push([a.data[0], b.data[0], t]);
      return blendInterpolator(a, b, t);
    };
    await collect(
      interpolateFrames(
        [1, 2, 3].map((v) => solidFrame(W, H, v)),
        { factor: 4, interpolator: spy, sceneCuts: false },
      ),
    );
    expect(calls).toEqual([
      [1, 2, 0.25],
      [1, 2, 0.5],
      [1, 2, 0.75],
      [2, 3, 0.25],
      [2, 3, 0.5],
      [2, 3, 0.75],
    ]);
  });

  it('holds the earlier frame across a scene cut instead of blending', async () => {
    const shotA = Array.from({ length: 8 }, (_, t) => gradientFrame(W, H, t));
    const shotB = Array.from({ length: 8 }, (_, t) => solidFrame(W, H, 30 + t));
    const cuts: number[] = [];
    const out = await collect(interpolateFrames([...shotA, ...shotB], { factor: 2, interpolator: blendInterpolator, onSceneCut: (i) => cuts.push(i) }));
    expect(cuts).toEqual([8]);
    expect(out).toHaveLength(32);
    expect(out[15]).toBe(shotA[7]); // in-between of frames 7 and 8 is frame 7 itself
    expect(out[16]).toBe(shotB[0]);
    expect(out[13]).not.toBe(shotA[6]); // ordinary pairs are still blended
  });

  it('with timing, places output frames by the input timestamps (variable frame rate)', async () => {
    const calls: number[] = [];
    const spy = (a: Frame, b: Frame, t: number) => {
      calls.push(t);
      return blendInterpolator(a, b, t);
    };
    // frames at 0, 0.1 and 0.4 s; output at 10 fps: 0, 0.1, ..., 0.5 s
    const timing = { inputTimes: [0, 0.1, 0.4], outputFps: { num: 10, den: 1 }, outputFrames: 6 };
    const out = await collect(
      interpolateFrames(
        [10, 20, 30].map((v) => solidFrame(W, H, v)),
        { factor: 2, interpolator: spy, sceneCuts: false, timing },
      ),
    );
    expect(out.map((f) => f.data[0])).toEqual([10, 20, 23, 27, 30, 30]);
    expect(calls.map((t) => t.toFixed(4))).toEqual(['0.3333', '0.6667']);
  });

  it('tells evenly spaced timestamps (tick rounding included) from variable ones', () => {
    const ticks24 = Array.from({ length: 48 }, (_, i) => Math.round((i * 12800) / 24) / 12800); // 533/534 ticks
    expect(evenlySpaced(ticks24)).toBe(true);
    expect(evenlySpaced([0, 0.1, 0.2, 0.3, 1 / 3 + 0.3, 2 / 3 + 0.3, 1.3])).toBe(false);
  });

  it('accepts async interpolators and checks what they return', async () => {
    const asyncDup = async (a: Frame) => a;
    const out = await collect(interpolateFrames([solidFrame(W, H, 1), solidFrame(W, H, 2)], { factor: 2, interpolator: asyncDup }));
    expect(out.map((f) => f.data[0])).toEqual([1, 1, 2, 2]);
    const wrong = () => solidFrame(W + 2, H, 0);
    await expect(collect(interpolateFrames([solidFrame(W, H, 1), solidFrame(W, H, 2)], { factor: 2, interpolator: wrong, sceneCuts: false }))).rejects.toThrow(
      /interpolator returned a 34x24 frame/,
    );
  });
});

describe('interpolateVideo and minterpolateVideo (checked with ffprobe -count_frames)', () => {
  it.each([2, 4] as const)('factor %i: N·factor frames, fps × factor, same duration, audio kept', async (factor) => {
    const output = join(dir, `carphone-x${factor}.mp4`);
    const result = await interpolateVideo({
      input: CARPHONE_SPEECH,
      output,
      factor,
      interpolator: blendInterpolator,
      preset: 'ultrafast',
    });
    expect(result.framesWritten).toBe(120 * factor);
    expect(result.sceneCuts).toEqual([]);
    const counted = countFrames(output);
    expect(counted.frames).toBe(120 * factor);
    expect(counted.fps).toBe(`${30000 * factor}/1001`);
    expect(counted.duration).toBeCloseTo(4.004, 3);
    expect(counted.audioStreams).toBe(1);
    expect(audioPacketsMd5(output)).toBe(audioPacketsMd5(CARPHONE_SPEECH));
  });

  it('duplicate baseline gives the same count', async () => {
    const output = join(dir, 'carphone-dup.mp4');
    await interpolateVideo({ input: CARPHONE_SPEECH, output, factor: 2, interpolator: duplicateInterpolator, preset: 'ultrafast' });
    expect(countFrames(output).frames).toBe(240);
  });

  it('minterpolate baseline is padded to the same count and duration', async () => {
    const output = join(dir, 'carphone-mi.mp4');
    const result = await minterpolateVideo({ input: CARPHONE_SPEECH, output, factor: 2, preset: 'ultrafast' });
    expect(result.framesWritten).toBe(240);
    const counted = countFrames(output);
    expect(counted).toMatchObject({ frames: 240, fps: '60000/1001', audioStreams: 1 });
    expect(counted.duration).toBeCloseTo(4.004, 3);
  });

  it('left no temporary files', () => {
    expect(listDir(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
