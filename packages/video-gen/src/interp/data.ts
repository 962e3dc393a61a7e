/**
 * Training data for the interpolator: the TRAIN frame ranges of the shared clips
 * (manifest.json's train_frames; the last 20 % of every clip is never read here), decoded
 * once into memory as RGB24 (cockatoo at 640×360), then sampled as random crops of
 * 5-frame windows (y0..y4 at stride 1 or 2) that do not straddle a scene cut, with
 * flips and time reversal.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Rng, DiffganError } from '@diffgan/core-models';
import { readFrames } from '../frame-reader';
import { prepareMidpoint, INTERP_IN } from './net';

export interface ClipSpec {
  id: string;
  file: string;
  width: number;
  height: number;
  train: [number, number];
  cuts: number[];
}

/** Clips used for training and the size they are decoded at. */
export const TRAIN_CLIPS: { id: string; size?: [number, number] }[] = [
  { id: 'cockatoo', size: [640, 360] },
  { id: 'tears_of_steel' },
  { id: 'foreman' },
  { id: 'carphone' },
];

interface ManifestClip {
  id: string;
  file: string;
  width: number;
  height: number;
  train_frames: [number, number];
  scene_cut_first_frames: number[];
}

export function readVideoManifest(videoDir: string): ManifestClip[] {
  const p = path.join(videoDir, 'manifest.json');
  if (!fs.existsSync(p)) throw new DiffganError(`no video manifest at ${p}`);
  return (JSON.parse(fs.readFileSync(p, 'utf8')) as { clips: ManifestClip[] }).clips;
}

export interface TrainClip {
  id: string;
  width: number;
  height: number;
  frames: Uint8Array[];
  cuts: number[];
}

/** Decodes the training frames of each clip (never past train_frames[1]). */
export async function loadTrainClips(videoDir: string, ids = TRAIN_CLIPS): Promise<TrainClip[]> {
  const manifest = readVideoManifest(videoDir);
  const out: TrainClip[] = [];
  for (const want of ids) {
    const m = manifest.find((c) => c.id === want.id);
    if (!m) throw new DiffganError(`clip ${want.id} is not in ${videoDir}/manifest.json`);
    const [first, last] = m.train_frames;
    if (first !== 0) throw new DiffganError(`unexpected train range for ${m.id}`);
    const [w, h] = want.size ?? [m.width, m.height];
    const filter = want.size ? `scale=${w}:${h}:flags=area` : undefined;
    const frames: Uint8Array[] = [];
    for await (const f of readFrames(path.join(videoDir, m.file), { maxFrames: last + 1, filter, outputSize: filter ? { width: w, height: h } : undefined }))
      frames.push(f.data);
    if (frames.length !== last + 1) throw new DiffganError(`${m.id}: decoded ${frames.length} training frames, expected ${last + 1}`);
    out.push({ id: m.id, width: w, height: h, frames, cuts: m.scene_cut_first_frames });
  }
  return out;
}

export interface WindowBatch {
  /** Network inputs for the in-betweens y1 (from y0, y2) and y3 (from y2, y4): [n, P, P, 12]. */
  x1: Float32Array;
  x2: Float32Array;
  /** The warped frames w0, w1 for each pair, [n, P, P, 6] (compose the output with them). */
  w1: Float32Array;
  w2: Float32Array;
  /** Ground truth y1, y3 and the inputs y0, y2, y4: [n, P, P, 3] each, RGB in [0, 1]. */
  y1: Float32Array;
  y3: Float32Array;
  y0: Float32Array;
  y2: Float32Array;
  y4: Float32Array;
}

export class WindowSampler {
  private starts: { clip: number; start: number; stride: number }[] = [];
  constructor(
    private clips: TrainClip[],
    readonly patch: number,
  ) {
    clips.forEach((c, ci) => {
      if (c.width < patch || c.height < patch) throw new DiffganError(`${c.id} (${c.width}x${c.height}) is smaller than the ${patch}px patch`);
      for (const stride of [1, 2])
        for (let s = 0; s + 4 * stride < c.frames.length; s++) {
          const end = s + 4 * stride;
          if (c.cuts.some((k) => k > s && k <= end)) continue;
          // weight by area so that large clips give more distinct crops
          const reps = Math.max(1, Math.round((c.width * c.height) / (352 * 288)));
          for (let r = 0; r < (stride === 1 ? 3 * reps : reps); r++) this.starts.push({ clip: ci, start: s, stride });
        }
    });
  }

  get windows(): number {
    return this.starts.length;
  }

  sample(n: number, rng: Rng): WindowBatch {
    const P = this.patch,
      px = P * P;
    const b: WindowBatch = {
      x1: new Float32Array(n * px * INTERP_IN),
      x2: new Float32Array(n * px * INTERP_IN),
      w1: new Float32Array(n * px * 6),
      w2: new Float32Array(n * px * 6),
      y0: new Float32Array(n * px * 3),
      y1: new Float32Array(n * px * 3),
      y2: new Float32Array(n * px * 3),
      y3: new Float32Array(n * px * 3),
      y4: new Float32Array(n * px * 3),
    };
    for (let i = 0; i < n; i++) {
      const w = this.starts[rng.int(this.starts.length)];
      const c = this.clips[w.clip];
      const ox = rng.int(c.width - P + 1),
        oy = rng.int(c.height - P + 1);
      const flipX = rng.uniform() < 0.5,
        flipY = rng.uniform() < 0.2,
        reverse = rng.uniform() < 0.5;
      const crops: Float32Array[] = [];
      for (let k = 0; k < 5; k++) {
        const f = c.frames[w.start + (reverse ? 4 - k : k) * w.stride];
        const out = new Float32Array(px * 3);
        for (let y = 0; y < P; y++) {
          const sy = oy + (flipY ? P - 1 - y : y);
          for (let x = 0; x < P; x++) {
            const sx = ox + (flipX ? P - 1 - x : x),
              s = (sy * c.width + sx) * 3,
              d = (y * P + x) * 3;
            out[d] = f[s] / 255;
            out[d + 1] = f[s + 1] / 255;
            out[d + 2] = f[s + 2] / 255;
          }
        }
        crops.push(out);
      }
      const p1 = prepareMidpoint(crops[0], crops[2], P, P),
        p2 = prepareMidpoint(crops[2], crops[4], P, P);
      b.x1.set(p1.x, i * px * INTERP_IN);
      b.x2.set(p2.x, i * px * INTERP_IN);
      for (let p = 0; p < px; p++)
        for (let ch = 0; ch < 3; ch++) {
          b.w1[(i * px + p) * 6 + ch] = p1.w0[p * 3 + ch];
          b.w1[(i * px + p) * 6 + 3 + ch] = p1.w1[p * 3 + ch];
          b.w2[(i * px + p) * 6 + ch] = p2.w0[p * 3 + ch];
          b.w2[(i * px + p) * 6 + 3 + ch] = p2.w1[p * 3 + ch];
        }
      b.y0.set(crops[0], i * px * 3);
      b.y1.set(crops[1], i * px * 3);
      b.y2.set(crops[2], i * px * 3);
      b.y3.set(crops[3], i * px * 3);
      b.y4.set(crops[4], i * px * 3);
    }
    return b;
  }
}
