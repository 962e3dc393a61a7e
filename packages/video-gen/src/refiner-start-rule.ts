/**
 * Which level rule is right for the two few-step refiners (issue #23 §1)? Measures image-sr's
 * refiner (1 and 2 steps, Set5 x4, Y-PSNR shave 4 as image-sr's bench) and video-gen's refiner
 * (1 step: with T = 2 the rules differ only there; carphone's first eval frames, RGB PSNR as
 * video-gen's bench), under both rules, with core-models' sampleDiffgan:
 *   top:   start at the top noise level and visit respace(schedule, n) (image-sr's rule, now the only one)
 *   lower: start at level n-1 and visit n-1..0 without respacing (video-gen's former rule)
 * A measurement, not a test: `nice -n 5 node packages/video-gen/dist/refiner-start-rule.js`.
 */
import * as path from 'path';
import {
  createDenoiser,
  createRunner,
  findDataRoot,
  loadWeights,
  mean,
  runnerNet,
  sampleDiffgan,
  vpSdeSchedule,
  HostTensor,
  Rng,
  Runner,
} from '@diffgan/core-models';
import { makeSrPair, psnr, psnrY } from '@diffgan/eval';
import { readImage } from '@diffgan/image';
import { upscale, Refiner } from '@diffgan/image-sr';
import { readFrames } from './frame-reader';
import { readVideoManifest } from './interp/data';
import { prepareMidpoint, composeHost, padEdge, cropHwc, INTERP_ALIGN, RES_SCALE, vgenWeightsDir } from './interp/net';
import { toFloat, toFrame } from './interp/interpolator';
import type { Frame } from './frame';

type Rule = 'top' | 'lower';

/** The residual r0 sampled under `rule` with n levels, conditioned on `frame` in [0, 1]; returns frame + r0 / resScale. */
async function refineUnder(
  rule: Rule,
  net: Runner,
  frame: Float32Array,
  shape: number[],
  n: number,
  o: { T: number; latentDim: number; resScale: number; rng: Rng },
): Promise<Float32Array> {
  const cond: HostTensor = { data: frame.map((v) => v * 2 - 1), shape };
  const den = createDenoiser({ net: runnerNet(net, { cond }), parameterisation: 'x0', schedule: vpSdeSchedule(o.T), latentDim: o.latentDim });
  const levels = rule === 'top' ? {} : { levels: Array.from({ length: n }, (_, k) => k) };
  const r0 = await sampleDiffgan(den, { shape, rng: o.rng, steps: n, start: 'zero-mean', ...levels });
  return frame.map((v, k) => v + r0[k] / o.resScale);
}

const clamp01 = (x: Float32Array): Float32Array => x.map((v) => Math.min(1, Math.max(0, v)));

async function imageSr(dataRoot: string): Promise<void> {
  const { manifest, weights } = loadWeights(path.join(__dirname, '../../image-sr/weights/sr_refiner_x4.manifest.json'));
  const c = manifest.config as { T: number; latentDim: number; resScale: number };
  const net = await createRunner(manifest.architecture, weights);
  const refiner =
    (rule: Rule): Refiner =>
    async (sr, _lr, steps, rng) => {
      if (sr.shape[1] % 2 || sr.shape[2] % 2) throw new Error('odd tile');
      return clamp01(await refineUnder(rule, net, sr.data, [1, sr.shape[1], sr.shape[2], 3], steps, { ...c, rng }));
    };
  const dir = path.join(dataRoot, 'sr', 'eval', 'Set5');
  const names = ['baby', 'bird', 'butterfly', 'head', 'woman'];
  for (const steps of [1, 2]) {
    for (const rule of ['top', 'lower'] as Rule[]) {
      const p: number[] = [];
      for (const name of names) {
        const pair = makeSrPair(await readImage(path.join(dir, `${name}.png`)), 4);
        const out = await upscale(pair.lr, { scale: 4, refine: steps, refiner: refiner(rule) });
        p.push(psnrY(out as never, pair.hr, 4));
      }
      console.log(`image-sr Set5 x4, refine ${steps}, rule ${rule}: Y-PSNR ${mean(p).toFixed(3)} dB (${p.map((v) => v.toFixed(2)).join(' ')})`);
    }
  }
  await net.dispose();
}

async function videoGen(dataRoot: string, pairs = 12): Promise<void> {
  const wd = vgenWeightsDir();
  const g = loadWeights(path.join(wd, 'interp_g.manifest.json')),
    r = loadWeights(path.join(wd, 'interp_refiner.manifest.json'));
  const gNet = await createRunner(g.manifest.architecture, g.weights),
    rNet = await createRunner(r.manifest.architecture, r.weights);
  const T = (r.manifest.config as { T: number }).T;
  const videoDir = path.join(dataRoot, 'video');
  const clip = readVideoManifest(videoDir).find((x) => x.id === 'carphone') as unknown as { file: string; eval_frames: [number, number] };
  const first = clip.eval_frames[0],
    E: Frame[] = [];
  let i = 0;
  for await (const f of readFrames(path.join(videoDir, clip.file), { maxFrames: first + 2 * pairs + 1 })) if (i++ >= first) E.push(f);
  const scores: Record<string, number[]> = {};
  for (let k = 0; k + 2 < E.length; k += 2) {
    const { width: w, height: h } = E[k],
      W = Math.ceil(w / INTERP_ALIGN) * INTERP_ALIGN,
      H = Math.ceil(h / INTERP_ALIGN) * INTERP_ALIGN;
    const prep = prepareMidpoint(padEdge(toFloat(E[k]), w, h, 3, W, H), padEdge(toFloat(E[k + 2]), w, h, 3, W, H), W, H);
    const frame = composeHost((await gNet.run({ x: { data: prep.x, shape: [1, H, W, 12] } })).out.data, prep.w0, prep.w1);
    const score = (key: string, x: Float32Array) =>
      (scores[key] ??= []).push(
        psnr(
          { data: toFrame(cropHwc(clamp01(x), W, 3, w, h), w, h).data, width: w, height: h, channels: 3 },
          { data: E[k + 1].data, width: w, height: h, channels: 3 },
        ),
      );
    score('GAN only', frame);
    for (const rule of ['top', 'lower'] as Rule[])
      score(`1 step, rule ${rule}`, await refineUnder(rule, rNet, frame, [1, H, W, 3], 1, { T, latentDim: 0, resScale: RES_SCALE, rng: new Rng(0) }));
  }
  for (const [key, p] of Object.entries(scores))
    console.log(`video-gen carphone eval frames ${first}..${first + 2 * pairs} (${p.length} midpoints), ${key}: RGB PSNR ${mean(p).toFixed(3)} dB`);
  await gNet.dispose();
  await rNet.dispose();
}

async function main(): Promise<void> {
  const dataRoot = findDataRoot();
  if (!dataRoot) throw new Error('no data root (set DIFFGAN_DATA)');
  await imageSr(dataRoot);
  await videoGen(dataRoot);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
