/**
 * The interp-ifnet recipe and its task: config resolution and checks, the Laplacian L1 on
 * hand-computed images, the objective's engine gradients against tfjs, a few engine steps
 * that learn a known motion, and a checkpoint exported as interp_ifnet weights.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadOrt, loadWeights, HostBatch, OrtEngine, OrtModule, Rng } from '@diffgan/core-models';
import {
  tf,
  tfOps,
  initBackend,
  createModel,
  disposeModel,
  gradientParity,
  tfjsGradients,
  getRecipe,
  parseTrainArgs,
  resolveConfig,
  Adam,
  Trainer,
} from '@diffgan/core-models/train';
import { IFNET_RECIPE, exportIfnetRun, IfnetTrainConfig } from './ifnet-train';
import { ifnetObjective, laplacianL1 } from './ifnet-train-task';
import { ifnetSpec, IFNET_NAME } from './ifnet';

const d = loadOrt() ? describe : describe.skip;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('interp-ifnet recipe', () => {
  test('registered; defaults; one group g with AdamW and EMA 0.999; warm-up then cosine to a tenth', () => {
    expect(getRecipe('interp-ifnet')).toBe(IFNET_RECIPE);
    const c = parseTrainArgs(['interp-ifnet', '--steps=3000', '--patch', '144', '--lap=0.5'])!.config as IfnetTrainConfig;
    expect(c).toMatchObject({ steps: 3000, batch: 16, patch: 144, pixel: 'l1', lap: 0.5, lapLevels: 4, warp: 1, shift: 16, warmup: 500 });
    expect(IFNET_RECIPE.task(parseTrainArgs(['interp-ifnet', '--pixel', 'l2'])!.config as IfnetTrainConfig).config).toMatchObject({ pixelLoss: 'l2' });
    const groups = IFNET_RECIPE.groups(IFNET_RECIPE.defaults);
    expect(Object.keys(groups)).toEqual(['g']);
    expect(groups.g.model.spec.name).toBe('ifnet');
    expect(groups.g.adam).toEqual({ lr: 5e-4, beta1: 0.9, beta2: 0.999, weightDecay: 1e-3 });
    expect(groups.g.ema).toBe(0.999);
    disposeModel(groups.g.model);
    expect(IFNET_RECIPE.phases(c)).toEqual(['g']);
    const lr = IFNET_RECIPE.lrSchedule!(c);
    expect(lr(0, 3000)).toBeCloseTo(1 / 500, 12);
    expect(lr(499, 3000)).toBeCloseTo(1, 12);
    expect(lr(500 + 1250, 3000)).toBeCloseTo(0.55, 12);
    expect(lr(3000, 3000)).toBeCloseTo(0.1, 12);
  });

  test('unknown keys and bad values are one-line errors', () => {
    expect(() => parseTrainArgs(['interp-ifnet', '--ptach=128'])).toThrow('unknown option --ptach');
    expect(() => resolveConfig(IFNET_RECIPE, [{ source: 'c.json', values: { ptach: 128 } }])).toThrow(
      "c.json: interp-ifnet has no config key 'ptach' (did you mean patch?)",
    );
    expect(() => parseTrainArgs(['interp-ifnet', '--patch=120'])).toThrow('interp-ifnet: patch 120: a multiple of 16, at least 32');
    expect(() => parseTrainArgs(['interp-ifnet', '--patch=144', '--lapLevels=5'])).toThrow('lapLevels 5: a whole number >= 1 that patch 144 halves evenly');
    expect(() => parseTrainArgs(['interp-ifnet', '--lap=-1'])).toThrow('lr > 0; lap, warp, shift and weightDecay >= 0');
    expect(() => parseTrainArgs(['interp-ifnet', '--shift=-2'])).toThrow('lr > 0; lap, warp, shift and weightDecay >= 0');
    expect(() => parseTrainArgs(['interp-ifnet', '--pixel=mse'])).toThrow("interp-ifnet: pixel 'mse': l1 or l2");
  });
});

/** An [n, h, w, c] tensor's values from a function of (y, x, c). */
const image = (h: number, w: number, c: number, f: (y: number, x: number, ch: number) => number) =>
  tf.tensor4d(
    Float32Array.from({ length: h * w * c }, (_, i) => f(Math.floor(i / (w * c)), Math.floor(i / c) % w, i % c)),
    [1, h, w, c],
  );

describe('laplacianL1', () => {
  test('a constant image has no bands; a pixel checkerboard is all finest band (mean |x - c| = 1); the checkerboard of 2x2 blocks adds 1 at band 1', () => {
    const L = (x: tf.Tensor, levels: number) => tf.tidy(() => laplacianL1(tfOps, x, levels).dataSync()[0]);
    expect(
      L(
        image(8, 8, 3, () => 0.7),
        3,
      ),
    ).toBeCloseTo(0, 6);
    // ±1 around 0.5: each 2x2 average is 0.5, so band 0 is the checkerboard and later bands are 0
    const board = image(8, 8, 1, (y, x) => 0.5 + ((x + y) % 2 ? 1 : -1));
    expect(L(board, 1)).toBeCloseTo(1, 6);
    expect(L(board, 3)).toBeCloseTo(1, 6);
    // 2x2 blocks of ±1: their averages are a 4x4 ±1 checkerboard, whose own band (level 1) is all of it
    const blocks = image(8, 8, 1, (y, x) => ((Math.floor(x / 2) + Math.floor(y / 2)) % 2 ? 1 : -1));
    expect(L(blocks, 2) - L(blocks, 1)).toBeCloseTo(1, 6);
    expect(L(blocks, 3)).toBeCloseTo(L(blocks, 2), 6);
  });
});

/** Mean of |a - b| after averaging both over s x s windows (s divides h and w). */
function pooledL1(a: Float32Array, b: Float32Array, n: number, h: number, w: number, s: number): number {
  let sum = 0;
  for (let e = 0; e < n; e++)
    for (let y = 0; y < h; y += s)
      for (let x = 0; x < w; x += s)
        for (let c = 0; c < 3; c++) {
          let d = 0;
          for (let v = 0; v < s; v++) for (let u = 0; u < s; u++) d += a[((e * h + y + v) * w + x + u) * 3 + c] - b[((e * h + y + v) * w + x + u) * 3 + c];
          sum += Math.abs(d / (s * s));
        }
  return sum / ((n * h * w * 3) / (s * s));
}

describe('interp-ifnet objective on tfjs', () => {
  test('zero flows and mask 1/2 (all heads zero): L1 of the mean frame + the warp term, the unwarped frames box-averaged at scales 1, 2, 4', () => {
    const m = createModel(ifnetSpec(), 6);
    for (const [k, v] of m.params) if (k.includes('.head.')) v.assign(tf.zerosLike(v));
    const rng = new Rng(2),
      shape = [1, 16, 16, 3],
      len = 16 * 16 * 3;
    const [i0, i1, target] = [0, 1, 2].map(() => Float32Array.from(rng.normalArray(len), (v) => 0.5 + 0.2 * v));
    const shard: HostBatch = {
      i0: { data: i0, shape },
      i1: { data: i1, shape },
      target: { data: target, shape },
      t: { data: Float32Array.from([0.3]), shape: [1, 1] },
    };
    const { loss } = tfjsGradients({ g: m }, ifnetObjective({ lapWeight: 0, lapLevels: 1, warpWeight: 0.6 }), 'g', shard, new Rng(0));
    disposeModel(m);
    const mid = i0.map((v, k) => (v + i1[k]) / 2);
    let want = pooledL1(mid, target, 1, 16, 16, 1);
    for (const s of [1, 2, 4]) want += (0.6 / 6) * (pooledL1(i0, target, 1, 16, 16, s) + pooledL1(i1, target, 1, 16, 16, s));
    expect(loss).toBeCloseTo(want, 5);
    // pixel l2, no other term: the mean squared error of the mean frame
    const m2 = createModel(ifnetSpec(), 6);
    for (const [k, v] of m2.params) if (k.includes('.head.')) v.assign(tf.zerosLike(v));
    const l2 = tfjsGradients({ g: m2 }, ifnetObjective({ pixelLoss: 'l2', lapWeight: 0, lapLevels: 1, warpWeight: 0 }), 'g', shard, new Rng(0)).loss;
    disposeModel(m2);
    expect(l2).toBeCloseTo(mid.reduce((a, v, k) => a + (v - target[k]) ** 2, 0) / len, 6);
  });
});

/** Frames of a smooth pattern moving right by `v` pixels per frame: frame k is pattern(x - v·k). */
function movingFrames(n: number, h: number, w: number, v: number, frames: number[]): Float32Array[] {
  const pattern = (x: number, y: number, c: number) => 0.5 + 0.3 * Math.sin(0.35 * x + c) * Math.cos(0.25 * y + 0.5 * c);
  return frames.map((k) => {
    const out = new Float32Array(n * h * w * 3);
    for (let i = 0; i < out.length; i++) {
      const c = i % 3,
        p = Math.floor(i / 3) % (h * w);
      out[i] = pattern((p % w) - v * k, Math.floor(p / w), c);
    }
    return out;
  });
}

d('interp-ifnet objective on the onnxruntime engine', () => {
  test('loss and gradients equal tfjs autodiff (L1 + Laplacian L1 + warp L1, 2 x 32 x 32)', async () => {
    const rng = new Rng(5);
    const shape = [2, 32, 32, 3],
      len = 2 * 32 * 32 * 3;
    const noisy = () => ({ data: Float32Array.from(rng.normalArray(len), (v) => 0.5 + 0.1 * v), shape });
    const shard: HostBatch = { i0: noisy(), i1: noisy(), target: noisy(), t: { data: Float32Array.from([0.25, 0.6]), shape: [2, 1] } };
    const m = createModel(ifnetSpec(), 4);
    for (const pixelLoss of ['l1', 'l2'] as const) {
      const r = await gradientParity({ g: m }, ifnetObjective({ pixelLoss, lapWeight: 1, lapLevels: 3, warpWeight: 1 }), 'g', shard, 1);
      expect(r.params).toBe(m.spec.params.length);
      expect(Math.abs(r.ortLoss - r.tfjsLoss) / r.tfjsLoss).toBeLessThan(1e-5);
      if (r.worstRelative >= 1e-3) throw new Error(`${pixelLoss}: ${r.worstParam}: relative gradient error ${r.worstRelative}`);
    }
    disposeModel(m);
  }, 90000);

  test('30 AdamW steps on one batch of a pattern moving 2 px per frame (t = 1/2 and 1/4) more than halve the loss', async () => {
    const n = 2,
      h = 32,
      w = 48,
      shape = [n, h, w, 3];
    const [i0, quarter, mid, i1] = movingFrames(n, h, w, 2, [0, 1, 2, 4]);
    // sample 0 at t = 1/2 (frame 2), sample 1 at t = 1/4 (frame 1)
    const target = new Float32Array(i0.length);
    target.set(mid.subarray(0, h * w * 3));
    target.set(quarter.subarray(h * w * 3), h * w * 3);
    const shard: HostBatch = {
      i0: { data: i0, shape },
      i1: { data: i1, shape },
      target: { data: target, shape },
      t: { data: Float32Array.from([0.5, 0.25]), shape: [n, 1] },
    };
    const m = createModel(ifnetSpec(), 1);
    const engine = new OrtEngine(loadOrt()! as unknown as OrtModule, { g: m.spec });
    const adam = new Adam({ lr: 2e-3, weightDecay: 1e-3 });
    const objective = ifnetObjective({ lapWeight: 1, lapLevels: 3, warpWeight: 1 });
    const losses: number[] = [];
    for (let s = 0; s < 30; s++) {
      const { loss, grads } = await engine.gradients(objective, 'g', shard, new Rng(s), (key) => m.params.get(key.slice(2))!.dataSync() as Float32Array);
      losses.push(loss);
      adam.apply(m.params, grads);
    }
    await engine.dispose();
    disposeModel(m);
    expect(Math.min(...losses.slice(-5))).toBeLessThan(0.5 * losses[0]);
  }, 60000);
});

d('export of a run', () => {
  test('a checkpoint becomes interp_ifnet weights: its EMA, its config and step in the manifest', async () => {
    const run = fs.mkdtempSync(path.join(os.tmpdir(), 'ifnet-run-'));
    const c = parseTrainArgs(['interp-ifnet', '--steps=7', '--lr=0.001'])!.config as IfnetTrainConfig;
    const groups = IFNET_RECIPE.groups(c);
    const tr = new Trainer({
      dir: run,
      steps: c.steps,
      seed: c.seed,
      task: 'interp-ifnet',
      groups,
      meta: { recipeConfig: c, command: 'the command', commit: 'abc' },
    });
    tr.step = 7;
    tr.saveCheckpoint();
    const ema = tr.exportWeights('g', true);
    tr.dispose();
    disposeModel(groups.g.model);
    expect(await exportIfnetRun(run, run)).toBe(7);
    const { manifest, weights } = loadWeights(path.join(run, `${IFNET_NAME}.manifest.json`));
    expect(manifest.training).toMatchObject({ steps: 7, command: 'the command', commit: 'abc', recipe: 'interp-ifnet', config: { steps: 7, lr: 0.001 } });
    expect(manifest.architecture.name).toBe('ifnet');
    for (const [k, v] of ema) expect(weights.get(k)!.data).toEqual(v.data);
    fs.rmSync(run, { recursive: true, force: true });
  });
});
