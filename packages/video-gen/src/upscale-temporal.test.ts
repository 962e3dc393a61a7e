/** The temporal stabilisation of video SR: less flicker on a noisy static clip, no lag on motion. */
import * as fs from 'fs';
import { createTemporalUpscaler, FrameSr, srManifestPath } from './upscale-temporal';
import { Frame } from './frame';
import { meanAbsTemporalDifference } from './temporal';
import { Rng } from '@diffgan/core-models';

/** Nearest-neighbour SR plus fresh noise each call: a stand-in for an SR net that flickers. */
function noisySr(seed: number, sigma: number): FrameSr {
  const rng = new Rng(seed);
  return async (rgb, w, h, s) => {
    const out = new Float32Array(w * s * h * s * 3);
    for (let Y = 0; Y < h * s; Y++)
      for (let X = 0; X < w * s; X++)
        for (let c = 0; c < 3; c++) {
          out[(Y * w * s + X) * 3 + c] = rgb[(Math.floor(Y / s) * w + Math.floor(X / s)) * 3 + c] + sigma * rng.normal();
        }
    return out;
  };
}

function texture(w: number, h: number, dx: number): Frame {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const X = x - dx;
      const v = 128 + 60 * Math.sin(X * 0.35 + Math.sin(y * 0.2) * 2) + 30 * Math.cos(y * 0.27 + X * 0.1);
      for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
    }
  return { data, width: w, height: h };
}

async function run(frames: Frame[], temporal: boolean, sr: FrameSr, scale: 2 | 4 = 2): Promise<Frame[]> {
  const up = createTemporalUpscaler({ temporal, sr });
  const out: Frame[] = [];
  for (let i = 0; i < frames.length; i++) out.push(await up(frames[i], scale, { index: i, previous: frames[i - 1], next: frames[i + 1] }));
  return out;
}

const asF = (fs_: Frame[]) => fs_.map((f) => Float32Array.from(f.data));

describe('temporal upscaler', () => {
  test('reduces flicker on a noisy static clip', async () => {
    const still = texture(48, 32, 0);
    const clip = Array.from({ length: 8 }, () => still);
    const perFrame = await run(clip, false, noisySr(1, 0.015));
    const stable = await run(clip, true, noisySr(1, 0.015));
    const a = await meanAbsTemporalDifference(asF(perFrame)),
      b = await meanAbsTemporalDifference(asF(stable));
    expect(b).toBeLessThan(0.7 * a);
  });

  test('follows motion: a translating clip is not smeared', async () => {
    const clip = Array.from({ length: 6 }, (_, t) => texture(64, 48, 2 * t));
    const clean: FrameSr = noisySr(2, 0);
    const perFrame = await run(clip, false, clean),
      stable = await run(clip, true, clean);
    // noise-free input: the stabilised output must stay as close to per-frame SR as motion allows
    const last = stable.length - 1;
    let err = 0,
      n = 0;
    const W = 128;
    for (let y = 16; y < 80; y++)
      for (let x = 24; x < 104; x++)
        for (let c = 0; c < 3; c++) {
          const k = (y * W + x) * 3 + c;
          err += Math.abs(stable[last].data[k] - perFrame[last].data[k]);
          n++;
        }
    expect(err / n).toBeLessThan(3);
  });

  test('off: plain per-frame SR; a non-consecutive frame resets the state', async () => {
    const clip = [texture(32, 32, 0), texture(32, 32, 0)];
    const sr = noisySr(3, 0);
    const up = createTemporalUpscaler({ temporal: true, sr });
    await up(clip[0], 2, { index: 0 });
    await up(clip[1], 2, { index: 5 });
    expect(up.lastMeanWeight).toBe(0);
    await up(clip[1], 2, { index: 6, previous: clip[1] });
    expect(up.lastMeanWeight).toBeGreaterThan(0.3);
  });

  (fs.existsSync(srManifestPath(4)) ? test : test.skip)('runs with image-sr weights (x2 falls back to x4 when needed)', async () => {
    const f = texture(24, 16, 0);
    const up = createTemporalUpscaler({ threads: 1 });
    const a = await up(f, 2, { index: 0 });
    const b = await up(f, 2, { index: 1, previous: f });
    expect([a.width, a.height, b.width, b.height]).toEqual([48, 32, 48, 32]);
  });
});
