/**
 * Real clips are read only up to the end of their training range (manifest.json):
 * the detector's thresholds must never be checked against eval frames.
 */
import { readFrames } from './frame-reader';
import { SceneCutDetector, detectSceneCuts } from './scenecut';
import { CARPHONE, FOREMAN, TEARS, gradientFrame, solidFrame } from './test-support/fixtures';

const TRAIN_FRAMES = { tears: 192, carphone: 96, foreman: 240 };

describe('scene-cut detection on real footage (training frames only)', () => {
  it('finds exactly the three hard cuts of tears_of_steel', async () => {
    const cuts = await detectSceneCuts(readFrames(TEARS, { maxFrames: TRAIN_FRAMES.tears }));
    expect(cuts).toEqual([21, 65, 185]);
  });

  it('finds no cut in carphone (moving car window)', async () => {
    expect(await detectSceneCuts(readFrames(CARPHONE, { maxFrames: TRAIN_FRAMES.carphone }))).toEqual([]);
  });

  it('finds no cut in foreman (camera shake and fast pan)', async () => {
    expect(await detectSceneCuts(readFrames(FOREMAN, { maxFrames: TRAIN_FRAMES.foreman }))).toEqual([]);
  });
});

describe('scene-cut detection on synthetic frames', () => {
  const W = 64;
  const H = 48;

  it('flags the first frame of a new shot', async () => {
    const shotA = Array.from({ length: 10 }, (_, t) => gradientFrame(W, H, t));
    const shotB = Array.from({ length: 10 }, (_, t) => solidFrame(W, H, 20 + t));
    expect(await detectSceneCuts([...shotA, ...shotB])).toEqual([10]);
  });

  it('does not flag a single flash frame (two spikes back to back)', async () => {
    const frames = Array.from({ length: 12 }, (_, t) => (t === 6 ? solidFrame(W, H, 255) : gradientFrame(W, H, t)));
    expect(await detectSceneCuts(frames)).toEqual([]);
  });

  it('does not flag a static video', async () => {
    expect(await detectSceneCuts(Array.from({ length: 8 }, () => solidFrame(W, H, 90)))).toEqual([]);
  });

  it('decides each pair one frame late and the last one on flush', () => {
    const detector = new SceneCutDetector();
    expect(detector.push(solidFrame(W, H, 10))).toBeUndefined();
    expect(detector.push(solidFrame(W, H, 10))).toBeUndefined();
    expect(detector.push(solidFrame(W, H, 200))).toMatchObject({ index: 1, cut: false });
    expect(detector.flush()).toMatchObject({ index: 2, cut: true });
  });
});
