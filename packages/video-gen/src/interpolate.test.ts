import { join } from 'node:path';
import { Frame } from './frame';
import { Interpolator, evenlySpaced, frameCountAtRate, interpolateFrames, interpolateVideo, outputRateFor } from './interpolate';
import { blendInterpolator, duplicateInterpolator } from './interpolators';
import { minterpolateVideo } from './minterpolate';
import { CARPHONE_SPEECH, audioPacketsMd5, countFrames, gradientFrame, listDir, makeTempDir, removeDir, solidFrame, collect } from './test-support/fixtures';

let dir: string;
beforeAll(() => (dir = makeTempDir()));
afterAll(() => removeDir(dir));

const W = 32;
const H = 24;

/** An interpolator that blends and records [a, b, t] by the frames' first values. */
function recordingBlend(): { calls: Array<[number, number, number]>; interpolator: Interpolator } {
  const calls: Array<[number, number, number]> = [];
  return {
    calls,
    interpolator: (a, b, t) => {
      calls.push([a.data[0], b.data[0], t]);
      return blendInterpolator(a, b, t);
    },
  };
}

describe('interpolateFrames', () => {
  it.each([
    [2, [10, 15, 20, 25, 30, 30]],
    [3, [10, 13, 17, 20, 23, 27, 30, 30, 30]], // 10 + 10/3 = 13.33 → 13, 10 + 20/3 = 16.67 → 17
    [4, [10, 13, 15, 18, 20, 23, 25, 28, 30, 30, 30, 30]],
  ])('turns N frames into N·%i, holding the last frame', async (factor, values) => {
    const input = [10, 20, 30].map((v) => solidFrame(W, H, v));
    const out = await collect(interpolateFrames(input, { factor, interpolator: blendInterpolator, sceneCuts: false }));
    expect(out.map((f) => f.data[0])).toEqual(values);
  });

  it.each([
    [4, ['0.250000', '0.500000', '0.750000']],
    [3, ['0.333333', '0.666667']],
  ])('factor %i asks the interpolator for t = k/factor between each pair', async (factor, ts) => {
    const { calls, interpolator } = recordingBlend();
    await collect(
      interpolateFrames(
        [1, 2, 3].map((v) => solidFrame(W, H, v)),
        { factor, interpolator, sceneCuts: false },
      ),
    );
    expect(calls.map(([a, b, t]) => [a, b, t.toFixed(6)])).toEqual([...ts.map((t) => [1, 2, t]), ...ts.map((t) => [2, 3, t])]);
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
    const { calls, interpolator } = recordingBlend();
    // frames at 0, 0.1 and 0.4 s; output at 10 fps: 0, 0.1, ..., 0.5 s
    const timing = { inputTimes: [0, 0.1, 0.4], outputFps: { num: 10, den: 1 }, outputFrames: 6 };
    const out = await collect(
      interpolateFrames(
        [10, 20, 30].map((v) => solidFrame(W, H, v)),
        { factor: 2, interpolator, sceneCuts: false, timing },
      ),
    );
    expect(out.map((f) => f.data[0])).toEqual([10, 20, 23, 27, 30, 30]);
    expect(calls.map(([, , t]) => t.toFixed(4))).toEqual(['0.3333', '0.6667']);
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

  it.each([1, 2, 3])('with lookahead %i: at most that many in-between frames in flight, output as one at a time', async (lookahead) => {
    // each call resolves only when released, later calls first: order must come from the queue, not from timing
    const started: number[] = [];
    const release: Array<() => void> = [];
    let inFlight = 0,
      maxInFlight = 0;
    const slow = Object.assign(
      (a: Frame, b: Frame, t: number) =>
        new Promise<Frame>((resolve) => {
          started.push(a.data[0]);
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          release.push(() => {
            inFlight--;
            resolve(blendInterpolator(a, b, t));
          });
        }),
      { lookahead },
    );
    const input = [10, 20, 30, 40, 50].map((v) => solidFrame(W, H, v));
    const out: number[] = [];
    const consume = (async () => {
      for await (const f of interpolateFrames(input, { factor: 2, interpolator: slow, sceneCuts: false })) out.push(f.data[0]);
    })();
    // release the newest pending call whenever the pipeline stalls
    while (out.length < 10) {
      await new Promise((r) => setImmediate(r));
      release.pop()?.();
    }
    await consume;
    expect(out).toEqual([10, 15, 20, 25, 30, 35, 40, 45, 50, 50]);
    expect(started).toEqual([10, 20, 30, 40]);
    expect(maxInFlight).toBe(lookahead);
  });

  it('a failing in-between frame rejects in order, even while later frames are in flight', async () => {
    const failing = Object.assign(
      async (a: Frame, b: Frame, t: number) => {
        if (a.data[0] === 20) throw new Error('net failed on the second pair');
        return blendInterpolator(a, b, t);
      },
      { lookahead: 2 },
    );
    const out: number[] = [];
    const input = [10, 20, 30, 40].map((v) => solidFrame(W, H, v));
    await expect(
      (async () => {
        for await (const f of interpolateFrames(input, { factor: 2, interpolator: failing, sceneCuts: false })) out.push(f.data[0]);
      })(),
    ).rejects.toThrow(/second pair/);
    expect(out).toEqual([10, 15, 20]);
  });
});

describe('any whole factor, and a target frame rate', () => {
  it('25 → 60 fps: output k is the picture at k/60 s, i.e. at input position 5k/12', async () => {
    const { calls, interpolator } = recordingBlend();
    const input = [0, 12, 24, 36, 48, 60].map((v) => solidFrame(W, H, v));
    const fps = { num: 60, den: 1 };
    const timing = { inputFps: { num: 25, den: 1 }, outputFps: fps, outputFrames: frameCountAtRate(6, { num: 25, den: 1 }, fps) };
    expect(timing.outputFrames).toBe(15); // k/60 < 6/25 s ⇔ k < 14.4
    const out = await collect(interpolateFrames(input, { timing, interpolator, sceneCuts: false }));
    // frame i has value 12·i, so the blend at position p = 5k/12 is 12·p = 5k; after the last frame (p > 5) it is held
    expect(out.map((f) => f.data[0])).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 60, 60]);
    expect(out[0]).toBe(input[0]); // t = 0: the input frame itself, not asked of the interpolator
    expect(out[12]).toBe(input[5]); // 12/60 s = 5/25 s
    // (pair, twelfths): 5/12, 10/12 | 3/12, 8/12 | 1/12, 6/12, 11/12 | 4/12, 9/12 | 2/12, 7/12
    const expected = [
      [0, 12, 5],
      [0, 12, 10],
      [12, 24, 3],
      [12, 24, 8],
      [24, 36, 1],
      [24, 36, 6],
      [24, 36, 11],
      [36, 48, 4],
      [36, 48, 9],
      [48, 60, 2],
      [48, 60, 7],
    ];
    expect(calls.map(([a, b]) => [a, b])).toEqual(expected.map(([a, b]) => [a, b]));
    calls.forEach(([, , t], i) => expect(t).toBeCloseTo(expected[i][2] / 12, 12));
  });

  it('at a target rate a scene cut still holds the earlier frame', async () => {
    const shotA = Array.from({ length: 8 }, (_, t) => gradientFrame(W, H, t));
    const shotB = Array.from({ length: 8 }, (_, t) => solidFrame(W, H, 30 + t));
    const fps = { num: 60, den: 1 };
    const timing = { inputFps: { num: 25, den: 1 }, outputFps: fps, outputFrames: frameCountAtRate(16, { num: 25, den: 1 }, fps) };
    const out = await collect(interpolateFrames([...shotA, ...shotB], { timing, interpolator: blendInterpolator }));
    expect(out).toHaveLength(39); // ceil(16 · 60/25) = ceil(38.4)
    // outputs 17, 18, 19 fall between frames 7 and 8 (positions 85/12, 90/12, 95/12): the cut
    for (const k of [17, 18, 19]) expect(out[k]).toBe(shotA[7]);
    expect(out[16]).not.toBe(shotA[6]); // position 80/12, inside shot A: blended
    expect(out[36]).toBe(shotB[7]); // 36/60 s = 15/25 s exactly
  });

  it('frame counts: ceil(N·R/fps) in exact integers, N·factor for a whole ratio', () => {
    const r = (num: number, den = 1) => ({ num, den });
    expect(frameCountAtRate(50, r(25), r(60))).toBe(120);
    expect(frameCountAtRate(50, r(25), r(60000, 1001))).toBe(120); // 119.88 → 120
    expect(frameCountAtRate(120, r(30000, 1001), r(60000, 1001))).toBe(240);
    expect(frameCountAtRate(1, r(24), r(25))).toBe(2); // 25/24
    expect(frameCountAtRate(15000, r(25), r(60))).toBe(36000);
    expect(outputRateFor(50, r(25), { factor: 3 })).toEqual({ fps: r(75), frames: 150 });
    expect(outputRateFor(120, r(30000, 1001), { fps: r(60) })).toEqual({ fps: r(60), frames: 241 }); // 120 · 60 · 1001/30000 = 240.24 → 241
  });

  it.each([
    [{ factor: 1 }, /factor must be a whole number from 2 to 16, got 1/],
    [{ factor: 17 }, /got 17/],
    [{ factor: 2.5 }, /got 2.5/],
    [{ fps: { num: 25, den: 1 } }, /^--fps 25 is not above the input's 25 fps; to lower the rate use ffmpeg -vf fps=25$/],
    [{ fps: { num: 24000, den: 1001 } }, /--fps 24000\/1001 is not above the input's 25 fps/],
    [{ fps: { num: 401, den: 1 } }, /^--fps 401 is more than 16 x the input's 25 fps$/],
  ])('rejects %j for a 25 fps input', (rate, message) => {
    expect(() => outputRateFor(50, { num: 25, den: 1 }, rate as { factor: number })).toThrow(message);
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

  it('minterpolate at a target rate: ceil(N·R/fps) frames at R', async () => {
    const output = join(dir, 'carphone-mi60.mp4');
    const result = await minterpolateVideo({ input: CARPHONE_SPEECH, output, fps: { num: 60, den: 1 }, preset: 'ultrafast' });
    expect(result.framesWritten).toBe(241); // 120 · 60 · 1001/30000 = 240.24
    expect(countFrames(output)).toMatchObject({ frames: 241, fps: '60/1', audioStreams: 1 });
  });

  it('left no temporary files', () => {
    expect(listDir(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
