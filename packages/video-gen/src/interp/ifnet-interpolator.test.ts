/**
 * The IFNet interpolator at inference: weights with known flows and mask give the hand-computed
 * frame at a size that is not a multiple of 16 (edge padding, crop back), the time position
 * reaches the network, and missing weights are a one-line MODEL_UNAVAILABLE error.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadOrt, saveWeights, TensorMap } from '@diffgan/core-models';
import { tf, initBackend, createModel, disposeModel, Model } from '@diffgan/core-models/train';
import type { Frame } from '../frame';
import { VideoError } from '../errors';
import { loadIfnetInterpolator } from '../model';
import { createIfnetInterpolator, mirror } from './ifnet-interpolator';
import { ifnetSpec, IFNET_NAME } from './ifnet';
import { toFloat } from './interpolator';

const d = loadOrt() ? describe : describe.skip;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const spec = ifnetSpec();

/** A smooth RGB24 pattern. */
const frame = (w: number, h: number, phase: number): Frame => ({
  width: w,
  height: h,
  data: Uint8Array.from({ length: w * h * 3 }, (_, i) => {
    const p = Math.floor(i / 3),
      x = p % w,
      y = Math.floor(p / w);
    return Math.round(255 * (0.5 + 0.4 * Math.sin(0.5 * x + phase + (i % 3)) * Math.cos(0.3 * y)));
  }),
});

/** A model's weights saved as interp_ifnet in a new folder. */
function saveModel(m: Model): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ifnet-weights-'));
  const weights: TensorMap = new Map([...m.params].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync() as Float32Array }]));
  saveWeights(dir, IFNET_NAME, spec, weights, { version: 'test', config: {}, training: { data: 'none', command: '', steps: 0, wallClock: '' }, metrics: {} });
  return dir;
}

/**
 * Weights whose flows are (1, 0) / (-1, 0) and mask logit ln 3 whatever the input: every head
 * zero but block 2's bias (pixel shuffle DCR: channel phase·5 + c; block 2's flow leaves the head scaled by 2).
 */
function knownFlowWeights(): string {
  const m = createModel(spec, 2);
  for (const [k, v] of m.params) if (k.includes('.head.')) v.assign(tf.zerosLike(v));
  const bias = new Float32Array(20);
  for (let p = 0; p < 4; p++) bias.set([0.5, 0, -0.5, 0, Math.log(3)], 5 * p);
  m.params.get('block2.head.b')!.assign(tf.tensor(bias));
  const dir = saveModel(m);
  disposeModel(m);
  return dir;
}

d('IFNet interpolator', () => {
  test('flows (1, 0) / (-1, 0) and mask logit ln 3: ¾·a(x+1) + ¼·b(x-1) at 20x13 (padded to 32x16 by repeating the edge)', async () => {
    const dir = knownFlowWeights();
    const w = 20,
      h = 13;
    const a = frame(w, h, 0),
      b = frame(w, h, 1);
    // the net's own frame: no test-time flow refinement (flow-refine.test.ts)
    const interp = await createIfnetInterpolator({ weightsDir: dir, threads: 1, refineSteps: 0, blockCandidate: false });
    const out = await interp(a, b, 0.3);
    await interp.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    expect([out.width, out.height]).toEqual([w, h]);
    let off = 0,
      worst = 0;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < 3; c++) {
          const want = Math.round(0.75 * a.data[(y * w + Math.min(x + 1, w - 1)) * 3 + c] + 0.25 * b.data[(y * w + Math.max(x - 1, 0)) * 3 + c]);
          const e = Math.abs(out.data[(y * w + x) * 3 + c] - want);
          worst = Math.max(worst, e);
          if (e) off++;
        }
    // float rounding may move a value sitting on .5 by one
    expect(worst).toBeLessThanOrEqual(1);
    expect(off).toBeLessThan(0.02 * w * h * 3);
  });

  test('flipAverage: the mirror pair gives flows (1, 0) / (-1, 0) too, so the frame is ½(¾·a(x+1) + ¼·b(x-1)) + ½(¾·a(x-1) + ¼·b(x+1))', async () => {
    const dir = knownFlowWeights();
    const w = 20,
      h = 13;
    const a = toFloat(frame(w, h, 0)),
      b = toFloat(frame(w, h, 1));
    const interp = await createIfnetInterpolator({ weightsDir: dir, threads: 1, refineSteps: 0, blockCandidate: false, flipAverage: true });
    const out = await interp.frameAt(a, b, w, h, 0.3);
    await interp.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    const at = (img: Float32Array, x: number, y: number, c: number) => img[(y * w + Math.min(w - 1, Math.max(0, x))) * 3 + c];
    let worst = 0;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < 3; c++) {
          const want = 0.5 * (0.75 * at(a, x + 1, y, c) + 0.25 * at(b, x - 1, y, c)) + 0.5 * (0.75 * at(a, x - 1, y, c) + 0.25 * at(b, x + 1, y, c));
          worst = Math.max(worst, Math.abs(out[(y * w + x) * 3 + c] - want));
        }
    expect(worst).toBeLessThan(1e-4);
    expect(Array.from(mirror(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 1))).toEqual([4, 5, 6, 1, 2, 3]);
  });

  test('t reaches the network: frames at t = 0.2 and 0.8 differ, and the Interpolator returns frameAt rounded', async () => {
    const m = createModel(spec, 5);
    const dir = saveModel(m);
    disposeModel(m);
    const a = frame(32, 16, 0),
      b = frame(32, 16, 2);
    const interp = await createIfnetInterpolator({ weightsDir: dir, threads: 1 });
    const early = await interp.frameAt(toFloat(a), toFloat(b), 32, 16, 0.2),
      late = await interp.frameAt(toFloat(a), toFloat(b), 32, 16, 0.8);
    let diff = 0;
    early.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - late[i]))));
    expect(diff).toBeGreaterThan(1e-4);
    const viaInterpolator = await interp(a, b, 0.2);
    expect(Array.from(viaInterpolator.data)).toEqual(Array.from(early, (v) => Math.round(v * 255)));
    await interp.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('block candidate (the default): on a textured pair moved 6 px right, the frame at ½ is the pattern moved 3 px, whatever an untrained net says', async () => {
    const m = createModel(spec, 7);
    const dir = saveModel(m);
    disposeModel(m);
    const w = 64,
      h = 48;
    // interp.test.ts's pattern: a texture the block matcher locks onto
    const tex = (x: number, y: number) => 0.5 + 0.22 * Math.sin(x * 0.21 + Math.sin(y * 0.13) * 2) + 0.18 * Math.cos(y * 0.17 + x * 0.05);
    const img = (shift: number) =>
      Float32Array.from({ length: w * h * 3 }, (_, i) => tex((Math.floor(i / 3) % w) - shift, Math.floor(i / 3 / w)) * (0.75 + 0.1 * (i % 3)) + 0.05 * (i % 3));
    const a = img(0),
      b = img(6),
      truth = img(3);
    const psnr = (y: Float32Array) => {
      let s = 0,
        n = 0;
      // away from the borders the motion uncovers
      for (let yy = 8; yy < h - 8; yy++)
        for (let x = 10; x < w - 10; x++)
          for (let c = 0; c < 3; c++) {
            const e = y[(yy * w + x) * 3 + c] - truth[(yy * w + x) * 3 + c];
            s += e * e;
            n++;
          }
      return 10 * Math.log10(n / s);
    };
    const interp = await createIfnetInterpolator({ weightsDir: dir, threads: 1 });
    const withBlock = psnr(await interp.frameAt(a, b, w, h, 0.5)),
      netOnly = psnr(await interp.frameAt(a, b, w, h, 0.5, { blockCandidate: false, refineSteps: 0 }));
    await interp.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(netOnly).toBeLessThan(31);
    expect(withBlock).toBeGreaterThan(50);
  });

  test('no interp_ifnet in the folder: a one-line MODEL_UNAVAILABLE error naming the manifest', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ifnet-none-'));
    const err = await loadIfnetInterpolator({ weights: dir }).catch((e) => e);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(err).toBeInstanceOf(VideoError);
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toBe(
      `model weights not available: ${path.join(dir, 'interp_ifnet.manifest.json')} is missing; use --method model or train it (diffgan train interp-ifnet, then its export)`,
    );
  });
});
