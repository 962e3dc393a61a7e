/**
 * Training data for an IFNet-like interpolator (#25): every frame range marked for training in
 * the shared video folder, i.e. the four original clips' train_frames (their eval ranges are
 * never decoded: decoding stops at train_frames[1]) and every clip of more/manifest.json with
 * use "train" (never an eval_only clip), decoded once at a long side of at most 640 px as RGB24.
 * Samples triplets at arbitrary time positions: two frames i < j (j - i in 2..6 by default) and
 * a target i < m < j at t = (m - i)/(j - i), never straddling a scene cut, as random crops with
 * flips and time reversal (frames swapped, t -> 1 - t). The shipped recipe's WindowSampler
 * (data.ts) is separate and unchanged.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Rng, DiffganError } from '@diffgan/core-models';
import { readFrames } from '../frame-reader';
import type { TrainClip } from './data';

/** One training source: a clip and the frames of it that may be trained on. */
export interface TrainingSource {
  id: string;
  /** the video file, absolute */
  file: string;
  width: number;
  height: number;
  fps: number;
  /** first and last frame that may be trained on (inclusive) */
  frames: [number, number];
  /** first frames of new scenes (a window must not contain one after its first frame) */
  cuts: number[];
}

interface OriginalClip {
  id: string;
  file: string;
  width: number;
  height: number;
  fps_float: number;
  train_frames: [number, number];
  eval_frames: [number, number];
  scene_cut_first_frames: number[];
}
interface MoreClip {
  id: string;
  file: string;
  use: 'train' | 'eval_only';
  width: number;
  height: number;
  fps_float: number;
  train_frames: [number, number] | null;
  eval_frames: [number, number] | null;
  scene_cut_times_s: number[];
}

/** The original clips that have train ranges (the same four as the shipped recipe's TRAIN_CLIPS). */
export const ORIGINAL_TRAIN_CLIPS = ['cockatoo', 'tears_of_steel', 'foreman', 'carphone'];

const readJson = <T>(p: string): T => {
  if (!fs.existsSync(p)) throw new DiffganError(`no video manifest at ${p}`);
  return JSON.parse(fs.readFileSync(p, 'utf8')) as T;
};

/**
 * Every training source under `videoDir` (manifest.json's four clips' train ranges, then
 * more/manifest.json's use "train" clips), in manifest order. `ids` narrows the list; asking for
 * an eval_only clip or an unknown id throws, and a train range that overlaps an eval range throws.
 */
export function trainingSources(videoDir: string, ids?: string[]): TrainingSource[] {
  const out: TrainingSource[] = [];
  const originals = readJson<{ clips: OriginalClip[] }>(path.join(videoDir, 'manifest.json')).clips;
  for (const id of ORIGINAL_TRAIN_CLIPS) {
    const c = originals.find((x) => x.id === id);
    if (!c) throw new DiffganError(`clip ${id} is not in ${videoDir}/manifest.json`);
    if (c.eval_frames && c.train_frames[1] >= c.eval_frames[0] && c.train_frames[0] <= c.eval_frames[1])
      throw new DiffganError(`${id}: train_frames ${c.train_frames} overlap eval_frames ${c.eval_frames}`);
    out.push({
      id,
      file: path.join(videoDir, c.file),
      width: c.width,
      height: c.height,
      fps: c.fps_float,
      frames: c.train_frames,
      cuts: c.scene_cut_first_frames,
    });
  }
  const more = readJson<{ clips: MoreClip[] }>(path.join(videoDir, 'more', 'manifest.json')).clips;
  const evalOnly = new Set(more.filter((c) => c.use !== 'train').map((c) => c.id));
  for (const c of more) {
    if (c.use !== 'train') continue;
    if (!c.train_frames) throw new DiffganError(`${c.id}: use "train" without train_frames`);
    if (c.eval_frames && c.train_frames[1] >= c.eval_frames[0] && c.train_frames[0] <= c.eval_frames[1])
      throw new DiffganError(`${c.id}: train_frames ${c.train_frames} overlap eval_frames ${c.eval_frames}`);
    // the manifest gives cut times; the first frame of the new scene is the one shown at that time
    const cuts = c.scene_cut_times_s.map((t) => Math.round(t * c.fps_float));
    out.push({ id: c.id, file: path.join(videoDir, 'more', c.file), width: c.width, height: c.height, fps: c.fps_float, frames: c.train_frames, cuts });
  }
  if (!ids) return out;
  return ids.map((id) => {
    if (evalOnly.has(id)) throw new DiffganError(`${id} is eval_only: never trained on`);
    const s = out.find((x) => x.id === id);
    if (!s) throw new DiffganError(`${id} is not a training clip of ${videoDir}`);
    return s;
  });
}

/** The decode size: the long side at most `maxLongSide`, aspect kept, even width and height. */
export function decodeSize(width: number, height: number, maxLongSide = 640): [number, number] {
  const s = Math.min(1, maxLongSide / Math.max(width, height));
  const even = (v: number) => Math.max(2, 2 * Math.round((v * s) / 2));
  return s === 1 ? [width, height] : [even(width), even(height)];
}

/**
 * Decodes each source's training frames (frames[0]..frames[1], nothing after: decoding stops
 * there) at decodeSize. Frame k of the returned clip is source frame frames[0] + k; cuts are
 * shifted the same way. About 3.1 GB for every source at 640.
 */
export async function loadTrainingClips(sources: TrainingSource[], maxLongSide = 640): Promise<TrainClip[]> {
  const out: TrainClip[] = [];
  for (const s of sources) {
    const [w, h] = decodeSize(s.width, s.height, maxLongSide);
    const filter = w !== s.width || h !== s.height ? `scale=${w}:${h}:flags=area` : undefined;
    const [first, last] = s.frames;
    const frames: Uint8Array[] = [];
    let k = 0;
    for await (const f of readFrames(s.file, { maxFrames: last + 1, filter, outputSize: filter ? { width: w, height: h } : undefined })) {
      if (k++ >= first) frames.push(f.data);
    }
    if (frames.length !== last - first + 1) throw new DiffganError(`${s.id}: decoded ${frames.length} training frames, expected ${last - first + 1}`);
    out.push({ id: s.id, width: w, height: h, frames, cuts: s.cuts.map((c) => c - first) });
  }
  return out;
}

/** Bytes of frame data held. */
export const clipBytes = (clips: TrainClip[]): number => clips.reduce((t, c) => t + c.frames.length * c.width * c.height * 3, 0);

export interface TripletBatch {
  /** the two input frames and the target between them, [n, P, P, 3] each, RGB in [0, 1] */
  i0: Float32Array;
  i1: Float32Array;
  target: Float32Array;
  /** the target's time position in (0, 1), from i0 (0) to i1 (1), [n] */
  t: Float32Array;
}

/** How one batch entry was drawn (tests and logs). */
export interface TripletDraw {
  clip: number;
  /** frame indices in the clip of i0, the target and i1 (after time reversal: i0 may be the later frame) */
  f0: number;
  ft: number;
  f1: number;
  ox: number;
  oy: number;
  flipX: boolean;
  flipY: boolean;
  reversed: boolean;
  /** a synthetic camera pan (TripletOptions.shift): the crop of the frame at time τ sits at (ox, oy) + round((τ - t)·pan), τ = 0, t, 1 */
  pan?: [number, number];
}

export interface TripletOptions {
  /** j - i: from minSpan to maxSpan frames (default 2..6) */
  minSpan?: number;
  maxSpan?: number;
  /** probabilities of a horizontal flip, a vertical flip and time reversal (default 0.5, 0.2, 0.5) */
  flipX?: number;
  flipY?: number;
  reverse?: number;
  /**
   * A synthetic camera pan on top of the footage's motion: with probability 1/2 the three crops
   * move linearly in time by up to `shift` pixels per axis from i0 to i1 (default 0: none).
   * Most training windows hold little motion; a pan makes flow pay off in every such sample.
   */
  shift?: number;
}

/**
 * Random triplets (i, m, j) from loaded clips: every window [i, j] with a span in
 * minSpan..maxSpan that holds no scene cut after i, drawn with probability proportional to
 * its clip's area (large clips give more distinct crops), then a target m uniform in (i, j).
 */
export class TripletSampler {
  /** windows as [clip, i, span] triples, and the cumulative weight up to each */
  private windows: Int32Array;
  private cumulative: Float64Array;
  private opts: Required<TripletOptions>;

  constructor(
    private clips: TrainClip[],
    readonly patch: number,
    options: TripletOptions = {},
  ) {
    this.opts = { minSpan: 2, maxSpan: 6, flipX: 0.5, flipY: 0.2, reverse: 0.5, shift: 0, ...options };
    const { minSpan, maxSpan } = this.opts;
    if (minSpan < 2 || maxSpan < minSpan) throw new DiffganError(`triplets: spans ${minSpan}..${maxSpan} (need 2 <= min <= max)`);
    const list: number[] = [],
      weights: number[] = [];
    clips.forEach((c, ci) => {
      if (c.width < patch || c.height < patch) throw new DiffganError(`${c.id} (${c.width}x${c.height}) is smaller than the ${patch}px patch`);
      for (let span = minSpan; span <= maxSpan; span++)
        for (let i = 0; i + span < c.frames.length; i++) {
          if (c.cuts.some((k) => k > i && k <= i + span)) continue;
          list.push(ci, i, span);
          weights.push(c.width * c.height);
        }
    });
    if (!weights.length) throw new DiffganError('triplets: no window without a scene cut');
    this.windows = Int32Array.from(list);
    this.cumulative = new Float64Array(weights.length);
    weights.reduce((s, w, k) => (this.cumulative[k] = s + w), 0);
  }

  get windowCount(): number {
    return this.cumulative.length;
  }

  private pickWindow(rng: Rng): number {
    const u = rng.uniform() * this.cumulative[this.cumulative.length - 1];
    let lo = 0,
      hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** n triplets; `draws` (when given) receives how each was drawn. */
  sample(n: number, rng: Rng, draws?: TripletDraw[]): TripletBatch {
    const P = this.patch,
      px = P * P * 3;
    const b: TripletBatch = { i0: new Float32Array(n * px), i1: new Float32Array(n * px), target: new Float32Array(n * px), t: new Float32Array(n) };
    for (let e = 0; e < n; e++) {
      const w = this.pickWindow(rng),
        ci = this.windows[3 * w],
        i = this.windows[3 * w + 1],
        span = this.windows[3 * w + 2];
      const c = this.clips[ci];
      const m = i + 1 + rng.int(span - 1);
      const d: TripletDraw = {
        clip: ci,
        f0: i,
        ft: m,
        f1: i + span,
        ox: rng.int(c.width - P + 1),
        oy: rng.int(c.height - P + 1),
        flipX: rng.uniform() < this.opts.flipX,
        flipY: rng.uniform() < this.opts.flipY,
        reversed: rng.uniform() < this.opts.reverse,
      };
      if (d.reversed) [d.f0, d.f1] = [d.f1, d.f0];
      const t = (b.t[e] = (d.ft - d.f0) / (d.f1 - d.f0));
      if (this.opts.shift > 0 && rng.uniform() < 0.5) this.pan(d, t, c.width, c.height, rng);
      const at = (tau: number): [number, number] => (d.pan ? [Math.round((tau - t) * d.pan[0]), Math.round((tau - t) * d.pan[1])] : [0, 0]);
      this.crop(c.frames[d.f0], c.width, d, b.i0, e * px, at(0));
      this.crop(c.frames[d.ft], c.width, d, b.target, e * px, at(t));
      this.crop(c.frames[d.f1], c.width, d, b.i1, e * px, at(1));
      draws?.push(d);
    }
    return b;
  }

  /**
   * Draws a pan of up to `shift` pixels per axis (as far as the clip leaves room) and moves the
   * target's crop so that the crops at τ = 0 and 1, round((τ - t)·pan) from it, stay inside.
   */
  private pan(d: TripletDraw, t: number, width: number, height: number, rng: Rng): void {
    const P = this.patch,
      axis = (room: number) => {
        const m = Math.min(this.opts.shift, room);
        return Math.round((2 * rng.uniform() - 1) * m);
      };
    const pan: [number, number] = [axis(width - P), axis(height - P)];
    const place = (o: number, v: number, size: number) => {
      const lo = -Math.min(0, Math.round(-t * v), Math.round((1 - t) * v)),
        hi = size - P - Math.max(0, Math.round(-t * v), Math.round((1 - t) * v));
      return lo + Math.floor((o / Math.max(1, size - P)) * (hi - lo + 1 - 1e-9));
    };
    d.ox = place(d.ox, pan[0], width);
    d.oy = place(d.oy, pan[1], height);
    d.pan = pan;
  }

  private crop(f: Uint8Array, width: number, d: TripletDraw, out: Float32Array, at: number, [dx, dy]: [number, number] = [0, 0]): void {
    const P = this.patch,
      ox = d.ox + dx,
      oy = d.oy + dy;
    for (let y = 0; y < P; y++) {
      const sy = oy + (d.flipY ? P - 1 - y : y);
      for (let x = 0; x < P; x++) {
        const s = (sy * width + ox + (d.flipX ? P - 1 - x : x)) * 3,
          o = at + (y * P + x) * 3;
        out[o] = f[s] / 255;
        out[o + 1] = f[s + 1] / 255;
        out[o + 2] = f[s + 2] / 255;
      }
    }
  }
}
