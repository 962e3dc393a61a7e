/**
 * The IFNet training data: which clips and frames are read (every train range, never an
 * eval_only clip or an eval range), decode sizes, and the triplet sampler's draws checked
 * against frames whose pixels encode their own frame index and position.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Rng, findDataRoot } from '@diffgan/core-models';
import { readFrames } from '../frame-reader';
import type { TrainClip } from './data';
import { trainingSources, decodeSize, loadTrainingClips, TripletSampler, TripletDraw, ORIGINAL_TRAIN_CLIPS } from './triplets';

const root = findDataRoot();
const videoDir = root ? path.join(root, 'video') : '';
const withData = root && fs.existsSync(path.join(videoDir, 'more', 'manifest.json')) ? describe : describe.skip;

withData('training sources of the shared video folder', () => {
  test('the four train ranges and every use "train" clip of more/, never an eval_only clip or an eval range', () => {
    const sources = trainingSources(videoDir);
    const more = JSON.parse(fs.readFileSync(path.join(videoDir, 'more', 'manifest.json'), 'utf8')).clips as {
      id: string;
      use: string;
      train_frames: number[];
    }[];
    const ids = sources.map((s) => s.id);
    expect(ids).toEqual([...ORIGINAL_TRAIN_CLIPS, ...more.filter((c) => c.use === 'train').map((c) => c.id)]);
    expect(ids).toHaveLength(25);
    expect(ids).not.toContain('heldout_kivy_city_skyscrapers');
    expect(ids).not.toContain('heldout_mecavideo_ball_throw');
    const originals = JSON.parse(fs.readFileSync(path.join(videoDir, 'manifest.json'), 'utf8')).clips as {
      id: string;
      train_frames: number[];
      eval_frames: number[];
    }[];
    for (const id of ORIGINAL_TRAIN_CLIPS) {
      const s = sources.find((x) => x.id === id)!,
        o = originals.find((x) => x.id === id)!;
      expect(s.frames).toEqual(o.train_frames);
      expect(s.frames[1]).toBeLessThan(o.eval_frames[0]);
    }
    for (const c of more.filter((x) => x.use === 'train')) expect(sources.find((s) => s.id === c.id)!.frames).toEqual(c.train_frames);
    // cut times -> first frames of the new scene: 3.083 s at 24 fps, 9.792 s at 24 fps
    expect(sources.find((s) => s.id === 'renpy_nasa_oa4_launch')!.cuts).toEqual([74]);
    expect(sources.find((s) => s.id === 'blender_bbb_opening')!.cuts).toEqual([235]);
    expect(sources.find((s) => s.id === 'tears_of_steel')!.cuts).toEqual([21, 65, 185]);
  });

  test('asking for an eval_only clip or an unknown one throws', () => {
    expect(() => trainingSources(videoDir, ['carphone', 'heldout_kivy_city_skyscrapers'])).toThrow(/eval_only/);
    expect(() => trainingSources(videoDir, ['heldout_mecavideo_ball_throw'])).toThrow(/eval_only/);
    expect(() => trainingSources(videoDir, ['no_such_clip'])).toThrow(/not a training clip/);
    expect(trainingSources(videoDir, ['visp_cube_handheld_gray', 'carphone']).map((s) => s.id)).toEqual(['visp_cube_handheld_gray', 'carphone']);
  });

  test('decoding stops at the last training frame: carphone gives frames 0..95 (its eval range starts at 96), a sub-range its own frames', async () => {
    const [s] = trainingSources(videoDir, ['carphone']);
    const all: Uint8Array[] = [];
    for await (const f of readFrames(s.file, { maxFrames: 98 })) all.push(f.data);
    const [clip] = await loadTrainingClips([s]);
    expect([clip.width, clip.height, clip.frames.length]).toEqual([176, 144, 96]);
    expect(Buffer.compare(clip.frames[95], all[95])).toBe(0);
    expect(Buffer.compare(clip.frames[95], all[96])).not.toBe(0);
    const [part] = await loadTrainingClips([{ ...s, frames: [10, 20], cuts: [15] }]);
    expect(part.frames).toHaveLength(11);
    part.frames.forEach((f, k) => expect(Buffer.compare(f, all[10 + k])).toBe(0));
    expect(part.cuts).toEqual([5]);
  });
});

test('a train range overlapping an eval range is refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triplets-'));
  try {
    const clip = (id: string, train: number[], evalR: number[]) => ({
      id,
      file: `${id}.mp4`,
      width: 64,
      height: 64,
      fps_float: 25,
      train_frames: train,
      eval_frames: evalR,
      scene_cut_first_frames: [],
    });
    fs.mkdirSync(path.join(dir, 'more'));
    fs.writeFileSync(path.join(dir, 'more', 'manifest.json'), JSON.stringify({ clips: [] }));
    const write = (bad: boolean) =>
      fs.writeFileSync(
        path.join(dir, 'manifest.json'),
        JSON.stringify({ clips: ORIGINAL_TRAIN_CLIPS.map((id) => clip(id, [0, bad && id === 'foreman' ? 50 : 39], [40, 59])) }),
      );
    write(false);
    expect(trainingSources(dir).map((s) => s.frames)).toEqual([
      [0, 39],
      [0, 39],
      [0, 39],
      [0, 39],
    ]);
    write(true);
    expect(() => trainingSources(dir)).toThrow(/foreman: train_frames 0,50 overlap eval_frames 40,59/);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('decode size: long side at most 640, aspect kept, even sizes', () => {
  expect(decodeSize(1280, 720)).toEqual([640, 360]);
  expect(decodeSize(854, 480)).toEqual([640, 360]);
  expect(decodeSize(720, 404)).toEqual([640, 360]);
  expect(decodeSize(768, 576)).toEqual([640, 480]);
  expect(decodeSize(568, 320)).toEqual([568, 320]);
  expect(decodeSize(176, 144)).toEqual([176, 144]);
});

/** A clip whose frame f has pixel (x, y) = (10·f, x, y): each crop tells which frame and where it came from. */
function codedClip(id: string, w: number, h: number, frames: number, cuts: number[]): TrainClip {
  return {
    id,
    width: w,
    height: h,
    cuts,
    frames: Array.from({ length: frames }, (_, f) => {
      const d = new Uint8Array(w * h * 3);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const p = (y * w + x) * 3;
          d[p] = 10 * f;
          d[p + 1] = x;
          d[p + 2] = y;
        }
      return d;
    }),
  };
}

describe('TripletSampler', () => {
  const P = 8;
  const clips = [codedClip('a', 40, 30, 20, [12]), codedClip('b', 20, 10, 10, [])];
  const sampler = new TripletSampler(clips, P);
  const draws: TripletDraw[] = [];
  const n = 3000;
  const batch = sampler.sample(n, new Rng(4), draws);
  const at = (a: Float32Array, e: number, y: number, x: number, ch: number) => Math.round(a[e * P * P * 3 + (y * P + x) * 3 + ch] * 255);

  test('windows: spans 2..6 that hold no scene cut after their first frame', () => {
    // clip a: 20 frames, cut at 12; clip b: 10 frames
    let want = 0;
    for (let span = 2; span <= 6; span++) {
      for (let i = 0; i + span < 20; i++) if (!(12 > i && 12 <= i + span)) want++;
      want += Math.max(0, 10 - span);
    }
    expect(sampler.windowCount).toBe(want);
  });

  test('each crop holds the drawn frames at the drawn place; t = (m - i)/(j - i), reversed with the frames', () => {
    // the first 500 draws in detail (jest's expect is slow)
    for (let e = 0; e < 500; e++) {
      const d = draws[e],
        c = clips[d.clip];
      expect([at(batch.i0, e, 0, 0, 0), at(batch.target, e, 0, 0, 0), at(batch.i1, e, 0, 0, 0)]).toEqual([10 * d.f0, 10 * d.ft, 10 * d.f1]);
      const lo = Math.min(d.f0, d.f1),
        hi = Math.max(d.f0, d.f1);
      expect(hi - lo).toBeGreaterThanOrEqual(2);
      expect(hi - lo).toBeLessThanOrEqual(6);
      expect(d.ft > lo && d.ft < hi).toBe(true);
      expect(c.cuts.some((k) => k > lo && k <= hi)).toBe(false);
      expect(d.reversed).toBe(d.f0 > d.f1);
      expect(batch.t[e]).toBeCloseTo((d.ft - d.f0) / (d.f1 - d.f0), 6);
      // the crop's corner: (ox, oy) unless flipped, then the far side of the patch
      expect(at(batch.i0, e, 0, 0, 1)).toBe(d.flipX ? d.ox + P - 1 : d.ox);
      expect(at(batch.i0, e, 0, 0, 2)).toBe(d.flipY ? d.oy + P - 1 : d.oy);
      expect(at(batch.target, e, P - 1, P - 1, 1)).toBe(d.flipX ? d.ox : d.ox + P - 1);
      expect(d.ox + P).toBeLessThanOrEqual(c.width);
      expect(d.oy + P).toBeLessThanOrEqual(c.height);
    }
  });

  test('t covers (0, 1) in steps of 1/span, symmetric under reversal; flips and reversal at their rates; clips by area', () => {
    const ts = new Set(Array.from(batch.t, (t) => Math.round(t * 60)));
    // every k/span for spans 2..6
    const want = new Set<number>();
    for (let s = 2; s <= 6; s++) for (let k = 1; k < s; k++) want.add(Math.round((60 * k) / s));
    expect([...ts].sort((p, q) => p - q)).toEqual([...want].sort((p, q) => p - q));
    const mean = Array.from(batch.t).reduce((s, t) => s + t, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    const rate = (f: (d: TripletDraw) => boolean) => draws.filter(f).length / n;
    expect(Math.abs(rate((d) => d.reversed) - 0.5)).toBeLessThan(0.04);
    expect(Math.abs(rate((d) => d.flipX) - 0.5)).toBeLessThan(0.04);
    expect(Math.abs(rate((d) => d.flipY) - 0.2)).toBeLessThan(0.03);
    // windows weigh by area: clip a has 16 + 14 + 12 + 10 + 8 windows at 1200 px, clip b 8 + 7 + 6 + 5 + 4 at 200 px
    const aWeight = 60 * 1200,
      bWeight = 30 * 200;
    expect(Math.abs(rate((d) => d.clip === 1) - bWeight / (aWeight + bWeight))).toBeLessThan(0.02);
  });

  test('shift: half the triplets pan; each crop sits at (ox, oy) + round((τ - t)·pan) for τ = 0, t, 1, inside the clip', () => {
    const panning = new TripletSampler(clips, P, { shift: 6 });
    const ds: TripletDraw[] = [];
    const m = 2000,
      b = panning.sample(m, new Rng(8), ds);
    const panned = ds.filter((d) => d.pan);
    expect(Math.abs(panned.length / m - 0.5)).toBeLessThan(0.04);
    // clip b is 20x10: 2 rows of room for an 8px patch, so its vertical pans stay within 2
    expect(Math.max(...panned.map((d) => Math.abs(d.pan![0])))).toBe(6);
    expect(Math.max(...panned.filter((d) => d.clip === 1).map((d) => Math.abs(d.pan![1])))).toBe(2);
    const at = (a: Float32Array, e: number, ch: number) => Math.round(a[e * P * P * 3 + ch] * 255);
    for (let e = 0; e < 400; e++) {
      const d = ds[e],
        c = clips[d.clip],
        t = b.t[e];
      const [px, py] = d.pan ?? [0, 0];
      for (const [img, tau] of [
        [b.i0, 0],
        [b.target, t],
        [b.i1, 1],
      ] as const) {
        const x0 = d.ox + Math.round((tau - t) * px),
          y0 = d.oy + Math.round((tau - t) * py);
        expect(x0 >= 0 && x0 + P <= c.width && y0 >= 0 && y0 + P <= c.height).toBe(true);
        // pixel (0, 0) of the crop: its corner, or the far side when flipped
        expect([at(img, e, 1), at(img, e, 2)]).toEqual([d.flipX ? x0 + P - 1 : x0, d.flipY ? y0 + P - 1 : y0]);
      }
    }
  });

  test('refuses clips smaller than the patch and impossible spans', () => {
    expect(() => new TripletSampler(clips, 16)).toThrow(/smaller than the 16px patch/);
    expect(() => new TripletSampler(clips, P, { minSpan: 1 })).toThrow(/spans/);
    expect(() => new TripletSampler([codedClip('c', 8, 8, 3, [1])], P)).toThrow(/no window/);
  });
});
