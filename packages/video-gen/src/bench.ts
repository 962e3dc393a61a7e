/**
 * Benchmark (one run, one report): `npm run bench -w @diffgan/video-gen [-- --quick]` (--help: the options).
 * Writes bench/results.md, bench/results.json and bench/strip.png; a full run also copies
 * the interpolation numbers into weights/interp_g.manifest.json's metrics
 * (`--update-manifest` does only that, from an existing bench/results.json). Eval frames only
 * (the last 20 % of every clip, manifest.json's eval_frames, and the whole of more/'s eval_only clips).
 *
 * Interpolation: keep the even eval frames E0, E2, E4, …, regenerate E1, E3, … from
 * their neighbours, PSNR (RGB), Y-PSNR and SSIM (Y) against the dropped frames. Methods: ours
 * (GAN frame, and GAN + diffusion refinement), ifnet (interp_ifnet from --weights or the
 * package's weights/, when present), the motion-compensated average our net
 * starts from (no net), duplication, blending, ffmpeg minterpolate (mi_mode=mci, run on
 * the same decimated frames straight from the source file, no re-encode). Pairs that
 * straddle a scene cut (manifest cuts, or our detector on the decimated frames) are not
 * scored, nor the last pair(s) when minterpolate stops short (it emits a few frames fewer
 * than 2N); all methods are scored on the same pairs. Speed: wall time of our midpoint at 640×360 on this machine (load reported).
 *
 * Upscaling: eval frames downscaled ×2/×4 (MATLAB bicubic, as image-sr is trained), then
 * ffmpeg Lanczos, per-frame image-sr, and image-sr + temporal stabilisation. PSNR (RGB)
 * vs the originals, flicker = MATD(output) − MATD(original) (0 is ideal) and the
 * temporal error TE = mean |(o_t − o_{t−1}) − (y_t − y_{t−1})| (the temporal-consistency
 * loss, 0..255 units; flicker that MATD cannot see because it is signed).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { updateManifestMetrics, requireDataRoot, mean, defineCommand, writeBenchReport, writeReadmeBlock, renderBenchReport } from '@diffgan/core-models';
import type { BenchReport, BenchTable, ColumnSpec } from '@diffgan/core-models';
import { psnr, ssim } from '@diffgan/eval';
import { rgbToY, imresize, sideBySide, makeGrid, writePng } from '@diffgan/image';
import { Frame } from './frame';
import { readFrames } from './frame-reader';
import { locateFfmpeg } from './ffmpeg';
import { SceneCutDetector } from './scenecut';
import { blendInterpolator, duplicateInterpolator } from './interpolators';
import { createModelInterpolator, toFloat, toFrame, generatorManifestPath } from './interp/interpolator';
import { createIfnetInterpolator, ifnetManifestPath } from './interp/ifnet-interpolator';
import { prepareMidpoint } from './interp/net';
import { readVideoManifest } from './interp/data';
import { interpolateVideo } from './interpolate';
import type { Interpolator } from './interpolate';
import { minterpolateVideo } from './minterpolate';
import { loadIfnetInterpolator, loadModelInterpolator } from './model';
import { createTemporalUpscaler } from './upscale-temporal';
import { meanAbsTemporalDifference, temporalConsistencyLoss } from './temporal';

interface ClipInfo {
  id: string;
  file: string;
  width: number;
  height: number;
  fps: string;
  eval_frames: [number, number];
  scene_cut_first_frames: number[];
}

/** A clip of a bench section: decoded at `size` (default its own), its first `limit` eval frames (default all). */
interface BenchClip {
  id: string;
  size?: [number, number];
  limit?: number;
}

interface InterpRow {
  clip: string;
  size: string;
  pairs: number;
  method: string;
  psnr: number;
  /** PSNR of the luma (rgbToY), #25's measure; absent in results written before it */
  psnrY?: number;
  ssim: number;
  sPerFrame?: number;
}
interface UpRow {
  clip: string;
  scale: string;
  frames: number;
  method: string;
  psnr: number;
  flicker: number;
  te: number;
  sPerFrame?: number;
}

// the interpolation rows the README, the manifests and the speed line name
const IFNET_ROW = 'ifnet';
const IFNET_NET_ROW = "ifnet (the net's flows, no refinement)";
const IFNET_REFINED_ROW = "ifnet, the net's flows refined (no block candidate)";
const IFNET_FLIP_ROW = 'ifnet + flip average';
const GAN_ROW = 'model (GAN only)';
const ganRefinedRow = (steps: number) => `model (GAN + ${steps}-step diffusion)`;
const MINTERPOLATE_ROW = 'ffmpeg minterpolate (mci)';

const img = (f: Frame) => ({ data: f.data, width: f.width, height: f.height, channels: 3 });
const ssimY = (a: Frame, b: Frame) => ssim(rgbToY(img(a)), rgbToY(img(b)));
const psnrY = (a: Frame, b: Frame) => psnr(rgbToY(img(a)), rgbToY(img(b)));

interface MoreClip {
  id: string;
  file: string;
  use: string;
  width: number;
  height: number;
  fps: string;
  fps_float: number;
  eval_frames: [number, number] | null;
  scene_cut_times_s: number[];
}

/** more/manifest.json's eval_only clips (never trained on: #25's held-out footage) as bench clips, their whole length the eval range. */
function evalOnlyClips(videoDir: string): ClipInfo[] {
  const more = JSON.parse(fs.readFileSync(path.join(videoDir, 'more', 'manifest.json'), 'utf8')).clips as MoreClip[];
  return more
    .filter((c) => c.use === 'eval_only' && c.eval_frames)
    .map((c) => ({
      id: c.id,
      file: path.join('more', c.file),
      width: c.width,
      height: c.height,
      fps: c.fps,
      eval_frames: c.eval_frames!,
      scene_cut_first_frames: c.scene_cut_times_s.map((t) => Math.round(t * c.fps_float)),
    }));
}

async function readEval(videoDir: string, clip: ClipInfo, size?: [number, number], limit?: number): Promise<Frame[]> {
  const [first, last] = clip.eval_frames;
  const end = limit ? Math.min(last, first + limit - 1) : last;
  const filter = size ? `scale=${size[0]}:${size[1]}:flags=area` : undefined;
  const frames: Frame[] = [];
  let i = 0;
  for await (const f of readFrames(path.join(videoDir, clip.file), {
    maxFrames: end + 1,
    filter,
    outputSize: size ? { width: size[0], height: size[1] } : undefined,
  })) {
    if (i++ >= first) frames.push(f);
  }
  return frames;
}

/** minterpolate on the even eval frames (select → setpts → [scale] → minterpolate), decoded as RGB24. */
async function minterpolateEval(videoDir: string, clip: ClipInfo, count: number, size?: [number, number]): Promise<Frame[]> {
  const [first] = clip.eval_frames;
  const [num, den] = clip.fps.split('/').map(Number);
  const last = first + 2 * (count - 1);
  const chain = [
    `select='between(n,${first},${last})*not(mod(n-${first},2))'`,
    `setpts=N*${2 * den}/(${num}*TB)`,
    ...(size ? [`scale=${size[0]}:${size[1]}:flags=area`] : []),
    `minterpolate=fps=${num}/${den}:mi_mode=mci`,
  ].join(',');
  const w = size ? size[0] : clip.width,
    h = size ? size[1] : clip.height;
  const out: Frame[] = [];
  for await (const f of readFrames(path.join(videoDir, clip.file), { filter: chain, outputSize: { width: w, height: h } })) out.push(f);
  return out;
}

function ffmpegLanczos(frames: Frame[], scale: number): Frame[] {
  const { width: w, height: h } = frames[0];
  const input = Buffer.concat(frames.map((f) => Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength)));
  const r = spawnSync(
    locateFfmpeg().ffmpeg,
    [
      '-v',
      'error',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${w}x${h}`,
      '-i',
      'pipe:0',
      '-vf',
      `scale=${w * scale}:${h * scale}:flags=lanczos`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { input, maxBuffer: 1 << 30 },
  );
  if (r.status !== 0) throw new Error(`ffmpeg lanczos failed: ${r.stderr}`);
  const size = w * scale * h * scale * 3;
  return frames.map((_, i) => ({ data: new Uint8Array(r.stdout.subarray(i * size, (i + 1) * size)), width: w * scale, height: h * scale }));
}

const asFloat = (f: Frame) => Float32Array.from(f.data);

/** One method's `vgen interpolate --factor 2` throughput at 640x360. */
interface StreamingRow {
  method: string;
  inputFrames: number;
  outputFrames: number;
  seconds: number;
  outputFps: number;
}

/**
 * #25's speed measure: `vgen interpolate --factor 2` as a user runs it (decode, interpolate,
 * encode with libx264 at its defaults, streaming), on the whole cockatoo clip scaled to 640x360
 * (280 frames, strong hand-held motion, no scene cut: every pair is interpolated). Wall time from
 * the call to the finished file, loading the weights included.
 */
async function streamingSpeed(
  videoDir: string,
  methods: [string, (() => Promise<Interpolator>) | 'minterpolate'][],
  log: (s: string) => void,
): Promise<StreamingRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vgen-bench-'));
  try {
    const input = path.join(dir, 'cockatoo_640x360.mkv');
    const scaled = spawnSync(locateFfmpeg().ffmpeg, [
      '-v',
      'error',
      '-i',
      path.join(videoDir, 'cockatoo_1280x720_20fps.mp4'),
      '-vf',
      'scale=640:360:flags=area',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '0',
      input,
    ]);
    if (scaled.status !== 0) throw new Error(`ffmpeg could not make the 640x360 speed clip: ${scaled.stderr}`);
    const rows: StreamingRow[] = [];
    for (const [method, make] of methods) {
      const output = path.join(dir, `${method}.mp4`);
      let inputFrames = 0;
      const onStart = (info: { frameCount: number }) => (inputFrames = info.frameCount);
      const t0 = Date.now();
      let outputFrames: number;
      if (make === 'minterpolate') outputFrames = (await minterpolateVideo({ input, output, factor: 2, onStart })).framesWritten;
      else {
        const interpolator = await make();
        outputFrames = (await interpolateVideo({ input, output, factor: 2, interpolator, onStart })).framesWritten;
        await (interpolator as { dispose?: () => Promise<void> }).dispose?.();
      }
      const seconds = (Date.now() - t0) / 1000;
      rows.push({ method, inputFrames, outputFrames, seconds, outputFps: outputFrames / seconds });
      log(`speed: ${method} ${outputFrames} frames in ${seconds.toFixed(1)} s`);
    }
    return rows;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies the interpolation results of a full run into interp_g's manifest (metrics; the weights' sha256 is unaffected). */
function recordInterpolationMetrics(results: {
  env: { date: string; quick: boolean; clips?: string[] };
  interpolation: InterpRow[];
  speed640x360?: unknown;
  streaming640x360?: unknown;
}): void {
  if (results.env.quick || results.env.clips) return;
  // the rows of the method named `method` (or, ending in '*', starting with it), by clip
  const pick = (method: string) =>
    Object.fromEntries(
      results.interpolation
        .filter((r) => (method.endsWith('*') ? r.method.startsWith(method.slice(0, -1)) : r.method === method))
        .map((r) => [
          r.clip,
          { psnr: +r.psnr.toFixed(2), ...(r.psnrY !== undefined ? { psnrY: +r.psnrY.toFixed(2) } : {}), ssim: +r.ssim.toFixed(4), pairs: r.pairs },
        ]),
    );
  if (results.interpolation.some((r) => r.method === IFNET_ROW) && fs.existsSync(ifnetManifestPath()))
    updateManifestMetrics(ifnetManifestPath(), {
      benchmark: `npm run bench -w @diffgan/video-gen (${results.env.date}): eval frames only (and the eval_only clips), every other frame dropped and regenerated, RGB PSNR, Y-PSNR, Y SSIM`,
      ifnet: pick(IFNET_ROW),
      minterpolate: pick(MINTERPOLATE_ROW),
      streaming640x360: results.streaming640x360,
    });
  updateManifestMetrics(generatorManifestPath(), {
    benchmark: `npm run bench -w @diffgan/video-gen (${results.env.date}): eval frames only, every other frame dropped and regenerated, RGB PSNR / Y SSIM`,
    gan: pick(GAN_ROW),
    ganPlusRefinement: pick('ours (GAN +*'),
    minterpolate: pick(MINTERPOLATE_ROW),
    speed640x360: results.speed640x360,
  });
}

const DEFAULT_OUT = path.resolve(__dirname, '..', 'bench');

export const benchCommand = defineCommand({
  name: 'npm run bench -w @diffgan/video-gen --',
  summary: 'Interpolation and upscaling benchmark on the eval frames; writes results.{md,json} and strip.png.',
  options: {
    quick: { type: 'boolean', help: 'two short interpolation clips' },
    clips: {
      type: 'string',
      placeholder: 'IDS',
      help: 'only these clips (comma-separated ids, e.g. heldout_kivy_city_skyscrapers); such a partial run writes neither the README block nor manifest metrics',
    },
    out: { type: 'string', placeholder: 'DIR', help: "results folder (default: this package's bench/)" },
    refine: { type: 'integer', min: 0, default: 1, help: 'refinement steps of the "GAN + refinement" row' },
    weights: {
      type: 'string',
      placeholder: 'DIR',
      help: "folder holding interp_ifnet for the ifnet rows (default: this package's weights/ or $DIFFGAN_VGEN_WEIGHTS; no rows without it)",
    },
    'update-manifest': { type: 'boolean', help: "only copy the interpolation numbers of <out>/results.json into the weights' manifest" },
  },
});

async function main(argv: string[]): Promise<void> {
  const args = benchCommand.parse(argv);
  if (args.help) {
    process.stdout.write(benchCommand.help());
    return;
  }
  const { quick, refine } = args;
  const only = args.clips
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const chosen = <C extends { id: string }>(list: C[]) => (only ? list.filter((c) => only.includes(c.id)) : list);
  const outDir = path.resolve(args.out ?? DEFAULT_OUT);
  if (args['update-manifest']) {
    recordInterpolationMetrics(JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8')));
    return;
  }
  const videoDir = path.join(requireDataRoot(undefined, 'video'), 'video');
  const clips = [...(readVideoManifest(videoDir) as unknown as ClipInfo[]), ...evalOnlyClips(videoDir)];
  const clip = (id: string) => clips.find((c) => c.id === id)!;
  for (const id of only ?? []) if (!clips.some((c) => c.id === id)) throw new Error(`--clips: no clip ${id} (${clips.map((c) => c.id).join(', ')})`);
  fs.mkdirSync(outDir, { recursive: true });
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const started = Date.now();

  // ---------------- speed (first: nothing else of the bench is running) ----------------
  const ifnetManifest = ifnetManifestPath(args.weights);
  const hasIfnet = fs.existsSync(ifnetManifest);
  const streaming = quick
    ? undefined
    : await streamingSpeed(
        videoDir,
        [
          ...(hasIfnet ? [[IFNET_ROW, () => loadIfnetInterpolator({ weights: args.weights })] as [string, () => Promise<Interpolator>]] : []),
          [GAN_ROW, () => loadModelInterpolator({ refineSteps: 0 })],
          [MINTERPOLATE_ROW, 'minterpolate'],
        ],
        log,
      );

  // ---------------- interpolation ----------------
  const gan = await createModelInterpolator({ refineSteps: 0 });
  const refined = await createModelInterpolator({ refineSteps: refine });
  const ifnet = hasIfnet ? await createIfnetInterpolator({ weightsDir: args.weights }) : undefined;
  if (!ifnet) log(`no ${ifnetManifest}: no ifnet rows`);
  const interpClips: BenchClip[] = chosen<BenchClip>(
    quick
      ? [
          { id: 'tears_of_steel', limit: 17 },
          { id: 'carphone', limit: 13 },
        ]
      : [
          { id: 'tears_of_steel' },
          { id: 'cockatoo', size: [640, 360] },
          { id: 'foreman' },
          { id: 'carphone' },
          ...evalOnlyClips(videoDir).map((c) => ({ id: c.id })),
        ],
  );
  const interpRows: InterpRow[] = [];
  const timing: { clip: string; gan: number[]; refined: number[]; ifnet: number[] }[] = [];
  let strip: { gt: Frame[]; ours: Frame[]; mi: Frame[]; blend: Frame[] } | undefined;
  const oursLabel = ifnet ? 'ifnet (ours)' : 'GAN model (ours)';
  let stripInfo = '';
  for (const ic of interpClips) {
    const c = clip(ic.id);
    const E = await readEval(videoDir, c, ic.size, ic.limit);
    const pairs = Math.floor((E.length - 1) / 2);
    const inputs = Array.from({ length: pairs + 1 }, (_, k) => E[2 * k]);
    // scene cuts: manifest cuts inside the window, and our detector on the decimated frames
    const det = new SceneCutDetector();
    const cutPairs = new Set<number>();
    const mark = (d: { index: number; cut: boolean } | undefined) => {
      if (d?.cut) cutPairs.add(d.index - 1);
    };
    for (const f of inputs) mark(det.push(f));
    mark(det.flush());
    const first = c.eval_frames[0];
    for (const k of c.scene_cut_first_frames) {
      const rel = k - first;
      if (rel > 0 && rel <= 2 * pairs) cutPairs.add(Math.floor((rel - 1) / 2));
    }
    const mi = await minterpolateEval(videoDir, c, pairs + 1, ic.size);
    const aligned = mean(inputs.slice(0, Math.min(inputs.length, Math.floor(mi.length / 2))).map((f, k) => psnr(img(f), img(mi[2 * k]))));
    log(
      `${c.id}: ${E.length} eval frames ${E[0].width}x${E[0].height}, ${pairs} pairs, cuts at pairs [${[...cutPairs]}], minterpolate ${mi.length} frames (even frames vs inputs ${aligned.toFixed(1)} dB)`,
    );
    const scores: Record<string, { p: number[]; y: number[]; s: number[] }> = {};
    const add = (m: string, out: Frame, gt: Frame) => {
      (scores[m] ??= { p: [], y: [], s: [] }).p.push(psnr(img(out), img(gt)));
      scores[m].y.push(psnrY(out, gt));
      scores[m].s.push(ssimY(out, gt));
    };
    const tGan: number[] = [],
      tRef: number[] = [],
      tIfnet: number[] = [],
      tIfnetFlip: number[] = [];
    const stripClip = quick ? 'tears_of_steel' : 'cockatoo';
    const all: { gt: Frame; ours: Frame; mi: Frame; blend: Frame; err: number }[] = [];
    for (let k = 0; k < pairs; k++) {
      // score every method on the same pairs: not across a cut, and minterpolate made the frame
      if (cutPairs.has(k) || 2 * k + 1 >= mi.length) continue;
      const a = E[2 * k],
        b = E[2 * k + 2],
        gt = E[2 * k + 1];
      const fa = toFloat(a),
        fb = toFloat(b),
        { width: w, height: h } = a;
      let t0 = Date.now();
      const og = toFrame(await gan.midpoint(fa, fb, w, h), w, h);
      tGan.push((Date.now() - t0) / 1000);
      t0 = Date.now();
      const or = toFrame(await refined.midpoint(fa, fb, w, h), w, h);
      tRef.push((Date.now() - t0) / 1000);
      let oi: Frame | undefined, oiNet: Frame | undefined, oiRefined: Frame | undefined, oiFlip: Frame | undefined;
      if (ifnet) {
        t0 = Date.now();
        oi = toFrame(await ifnet.frameAt(fa, fb, w, h, 0.5), w, h);
        tIfnet.push((Date.now() - t0) / 1000);
        oiNet = toFrame(await ifnet.frameAt(fa, fb, w, h, 0.5, { refineSteps: 0, blockCandidate: false }), w, h);
        oiRefined = toFrame(await ifnet.frameAt(fa, fb, w, h, 0.5, { blockCandidate: false }), w, h);
        t0 = Date.now();
        oiFlip = toFrame(await ifnet.frameAt(fa, fb, w, h, 0.5, { flipAverage: true }), w, h);
        tIfnetFlip.push((Date.now() - t0) / 1000);
      }
      const p = prepareMidpoint(fa, fb, w, h);
      if (oi) add(IFNET_ROW, oi, gt);
      if (oiNet) add(IFNET_NET_ROW, oiNet, gt);
      if (oiRefined) add(IFNET_REFINED_ROW, oiRefined, gt);
      if (oiFlip) add(IFNET_FLIP_ROW, oiFlip, gt);
      add(ganRefinedRow(refined.refineSteps), or, gt);
      add(GAN_ROW, og, gt);
      add(
        'motion-comp. average (no net)',
        toFrame(
          p.w0.map((v, i) => (v + p.w1[i]) / 2),
          w,
          h,
        ),
        gt,
      );
      add(MINTERPOLATE_ROW, mi[2 * k + 1], gt);
      add('blend', await blendInterpolator(a, b, 0.5), gt);
      add('duplicate', await duplicateInterpolator(a, b, 0.5), gt);
      if (c.id === stripClip) {
        const bl = await blendInterpolator(a, b, 0.5);
        all.push({ gt, ours: oi ?? og, mi: mi[2 * k + 1], blend: bl, err: -psnr(img(bl), img(gt)) });
      }
    }
    if (all.length >= 4 && !strip) {
      // the 4 consecutive scored pairs with the most motion (worst blend)
      let best = 0;
      for (let i = 0; i + 4 <= all.length; i++)
        if (all.slice(i, i + 4).reduce((t, x) => t + x.err, 0) > all.slice(best, best + 4).reduce((t, x) => t + x.err, 0)) best = i;
      const sel = all.slice(best, best + 4);
      strip = { gt: sel.map((x) => x.gt), ours: sel.map((x) => x.ours), mi: sel.map((x) => x.mi), blend: sel.map((x) => x.blend) };
      stripInfo = `${c.id}, the 4 consecutive dropped frames with the most motion among the scored pairs (eval range, centre crop 320x180); rows: blend of the two kept neighbours (what the input gives), ${oursLabel}, minterpolate, ground truth`;
    }
    // seconds per interpolated frame of the timed rows
    const timed = (m: string): number | undefined => {
      const t = { [GAN_ROW]: tGan, [ganRefinedRow(refined.refineSteps)]: tRef, [IFNET_ROW]: tIfnet, [IFNET_FLIP_ROW]: tIfnetFlip }[m];
      return t?.length ? mean(t) : undefined;
    };
    for (const [m, s] of Object.entries(scores)) {
      interpRows.push({
        clip: c.id,
        size: `${E[0].width}x${E[0].height}`,
        pairs: s.p.length,
        method: m,
        psnr: mean(s.p),
        psnrY: mean(s.y),
        ssim: mean(s.s),
        sPerFrame: timed(m),
      });
    }
    timing.push({ clip: c.id, gan: tGan, refined: tRef, ifnet: tIfnet });
  }
  await gan.dispose();
  await refined.dispose();
  await ifnet?.dispose();

  // ---------------- upscaling ----------------
  const upClips: BenchClip[] = chosen<BenchClip>(
    quick
      ? [
          { id: 'carphone', limit: 12 },
          { id: 'tears_of_steel', limit: 8 },
        ]
      : [{ id: 'carphone' }, { id: 'foreman' }, { id: 'tears_of_steel', limit: 24 }],
  );
  const upRows: UpRow[] = [];
  for (const uc of upClips) {
    const c = clip(uc.id);
    const E = await readEval(videoDir, c, undefined, uc.limit);
    for (const scale of [2, 4] as const) {
      const W = E[0].width - (E[0].width % scale),
        H = E[0].height - (E[0].height % scale);
      const hr = E.map((f) => (W === f.width && H === f.height ? f : cropFrame(f, W, H)));
      const lr: Frame[] = hr.map((f) => {
        const r = imresize(img(f), { scale: 1 / scale, output: 'uint8' });
        return { data: r.data, width: r.width, height: r.height };
      });
      const runs: Record<string, { frames: Frame[]; s?: number }> = { 'ffmpeg lanczos': { frames: ffmpegLanczos(lr, scale) } };
      for (const [name, temporal] of [
        ['image-sr per frame', false],
        ['image-sr + temporal (ours)', true],
      ] as const) {
        const up = createTemporalUpscaler({ temporal });
        const frames: Frame[] = [];
        const t0 = Date.now();
        for (let i = 0; i < lr.length; i++) frames.push(await up(lr[i], scale, { index: i, previous: lr[i - 1], next: lr[i + 1] }));
        runs[name] = { frames, s: (Date.now() - t0) / 1000 / lr.length };
      }
      const refMatd = await meanAbsTemporalDifference(hr.map(asFloat));
      for (const [name, r] of Object.entries(runs)) {
        upRows.push({
          clip: c.id,
          scale: `x${scale} (${lr[0].width}x${lr[0].height} → ${W}x${H})`,
          frames: r.frames.length,
          method: name,
          psnr: mean(r.frames.map((f, i) => psnr(img(f), img(hr[i])))),
          flicker: (await meanAbsTemporalDifference(r.frames.map(asFloat))) - refMatd,
          te: temporalConsistencyLoss(r.frames.map(asFloat), hr.map(asFloat)),
          sPerFrame: r.s,
        });
      }
      log(`${c.id} x${scale}: done`);
    }
  }

  // ---------------- strip ----------------
  if (strip) {
    const row = (label: string, fs_: Frame[]) =>
      sideBySide(
        fs_.map((f, i) => ({ image: cropCentre(f, 320, 180), label: i === 0 ? label : '' })),
        { pad: 2 },
      );
    const grid = makeGrid(
      [row('input: blend of neighbours', strip.blend), row(oursLabel, strip.ours), row('minterpolate', strip.mi), row('ground truth', strip.gt)],
      1,
      2,
    );
    await writePng(path.join(outDir, 'strip.png'), grid);
  }

  // ---------------- report ----------------
  const gm = JSON.parse(fs.readFileSync(generatorManifestPath(), 'utf8'));
  const tears = timing.find((t) => t.clip === 'tears_of_steel');
  const speed = tears ? { gan: mean(tears.gan), refined: mean(tears.refined), ...(ifnet ? { ifnet: mean(tears.ifnet) } : {}) } : undefined;
  const im = ifnet ? JSON.parse(fs.readFileSync(ifnetManifest, 'utf8')) : undefined;
  const env = {
    date: new Date().toISOString(),
    quick,
    ...(only ? { clips: only } : {}),
    cpus: os.cpus().length,
    loadavg: os.loadavg().map((x) => +x.toFixed(2)),
    weights: `${gm.name} ${gm.version} (${gm.training?.steps} steps)${im ? `, ${im.name} ${im.version} (${im.training?.steps} steps, ${path.relative(process.cwd(), ifnetManifest)})` : ''}`,
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
  const results = { env, interpolation: interpRows, speed640x360: speed, ...(streaming ? { streaming640x360: streaming } : {}), upscaling: upRows };
  const md = writeBenchReport(benchReport(results, strip ? stripInfo : undefined), {
    base: path.join(outDir, 'results'),
    title: `video-gen benchmark${quick ? ' (--quick)' : ''}${only ? ` (--clips ${only.join(',')})` : ''}`,
    json: results,
  });
  // a full run into the package's bench/ is the README's: its results block
  if (!quick && !only && outDir === DEFAULT_OUT) writeReadmeBlock(path.join(__dirname, '..', 'README.md'), readmeBlock(results));
  recordInterpolationMetrics(results);
  log(md);
}

const seconds = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : '');

type BenchResults = {
  env: { date: string; cpus: number; loadavg: number[]; weights: string; wallSeconds: number };
  interpolation: InterpRow[];
  speed640x360?: { gan: number; refined: number; ifnet?: number };
  streaming640x360?: StreamingRow[];
  upscaling: UpRow[];
};

/** A results table's columns: the plain ones that name a row, PSNR, the other measurements, then seconds per frame. */
function resultColumns<Row extends { psnr: number; sPerFrame?: number }>(names: (keyof Row & string)[], measured: ColumnSpec<Row>[]): ColumnSpec<Row>[] {
  return [
    ...names.map((key) => ({ key })),
    { key: 'psnr', title: 'PSNR (dB)', digits: 2 },
    ...measured,
    { key: 'sPerFrame', title: 's / frame', format: seconds },
  ];
}

const interpolationTable = (r: BenchResults): BenchTable<InterpRow> => ({
  rows: r.interpolation,
  columns: resultColumns<InterpRow>(
    ['clip', 'size', 'pairs', 'method'],
    [
      // results written before #25's luma measure have no Y-PSNR: no empty column for them
      ...(r.interpolation.some((x) => x.psnrY !== undefined) ? [{ key: 'psnrY' as const, title: 'Y-PSNR (dB)', digits: 2 }] : []),
      { key: 'ssim', title: 'SSIM (Y)', digits: 4 },
    ],
  ),
});

const upscalingTable = (r: BenchResults): BenchTable<UpRow> => ({
  rows: r.upscaling,
  columns: resultColumns<UpRow>(
    ['clip', 'scale', 'frames', 'method'],
    [
      { key: 'flicker', title: 'flicker (MATD diff)', digits: 3 },
      { key: 'te', title: 'temporal error', digits: 3 },
    ],
  ),
});

const speedLine = ({ speed640x360: speed, streaming640x360: streaming }: BenchResults): string[] => [
  ...(streaming?.length
    ? [
        `Speed, \`vgen interpolate --factor 2\` at 640x360 (cockatoo scaled, ${streaming[0].inputFrames} → ${streaming[0].outputFrames} frames; decode, interpolate, encode; weights loading included), output frames per second on this machine's 2 cores: ${streaming
          .map((x) => `${x.method} **${x.outputFps.toFixed(1)}**`)
          .join(', ')}.`,
      ]
    : []),
  ...(speed
    ? [
        `Seconds per interpolated frame at 640x360 (tears_of_steel, the frame alone): GAN ${speed.gan.toFixed(2)}, GAN + refinement ${speed.refined.toFixed(2)}${speed.ifnet !== undefined ? `, ifnet ${speed.ifnet.toFixed(2)}` : ''}.`,
      ]
    : []),
];

/** The report of a run: its two tables (interpolation, upscaling) with the speed line and notes. */
export function benchReport(r: BenchResults, stripInfo?: string): BenchReport {
  const { env } = r;
  return {
    intro: [`${env.date}; ${env.cpus} cores, load average ${env.loadavg.join(' / ')} at the end; weights ${env.weights}; ${env.wallSeconds} s.`],
    tables: [
      { before: ['## Interpolation (drop every other eval frame, regenerate it)'], ...interpolationTable(r) },
      { before: [...speedLine(r).flatMap((l) => [l, '']), '## Upscaling (eval frames downscaled with MATLAB bicubic, then upscaled)'], ...upscalingTable(r) },
    ],
    notes: [
      'flicker = MATD(output) − MATD(original), 0 is ideal; temporal error = mean |(o_t − o_{t−1}) − (y_t − y_{t−1})| (0..255), lower is better.',
      ...(stripInfo !== undefined ? ['', '![strip](strip.png)', '', `Strip: ${stripInfo}.`] : []),
    ],
  };
}

/** A README column: `method`'s `value` in each row group, with its title and decimals. */
type MethodColumn<Row> = { title: string; method: string; value: (r: Row) => number | undefined; digits: number; signed?: boolean };

/** Rows grouped by clip and `setting` (size, scale), one column per method: the compact form of a results table. */
function byMethod<Row extends { clip: string; method: string }>(
  rows: readonly Row[],
  setting: keyof Row & string,
  columns: readonly MethodColumn<Row>[],
): BenchTable<Record<string, string | number | undefined>> {
  const groups = new Map<string, Record<string, string | number | undefined>>();
  for (const r of rows) {
    const key = `${r.clip}\t${r[setting]}`;
    if (!groups.has(key)) groups.set(key, { clip: r.clip, [setting]: String(r[setting]) });
    columns.forEach((c, i) => {
      if (c.method === r.method) groups.get(key)![`c${i}`] = c.value(r);
    });
  }
  return {
    rows: [...groups.values()],
    columns: [
      { key: 'clip' },
      { key: setting },
      ...columns.map((c, i) => ({
        key: `c${i}`,
        title: c.title,
        digits: c.digits,
        align: 'right' as const,
        ...(c.signed ? { format: (v: unknown) => (typeof v === 'number' ? `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(c.digits)}` : '') } : {}),
      })),
    ],
  };
}

const psnrOf = (method: string, title: string) => ({ title, method, value: (r: { psnr: number }) => r.psnr, digits: 2 });

/** The README's one results block: PSNR per clip and method, and the temporal error of upscaling (every row and metric: bench/results.md). */
export function readmeBlock(r: BenchResults): string {
  // #25's measure: Y-PSNR; ifnet's margin over minterpolate as its own column
  const yOf = (method: string, title: string): MethodColumn<InterpRow> => ({ title, method, value: (x) => x.psnrY, digits: 2 });
  const margin = 'ifnet − minterpolate';
  const margins: InterpRow[] = r.interpolation.flatMap((x) => {
    const mi = x.method === IFNET_ROW ? r.interpolation.find((m) => m.clip === x.clip && m.method === MINTERPOLATE_ROW) : undefined;
    return mi && x.psnrY !== undefined && mi.psnrY !== undefined ? [{ ...x, method: margin, psnrY: x.psnrY - mi.psnrY }] : [];
  });
  const interpolation = byMethod<InterpRow>([...r.interpolation, ...margins], 'size', [
    yOf(IFNET_ROW, 'ifnet (ours)'),
    yOf(MINTERPOLATE_ROW, 'minterpolate'),
    { ...yOf(margin, margin), signed: true },
    yOf(IFNET_REFINED_ROW, 'ifnet, no block candidate'),
    yOf(IFNET_NET_ROW, "ifnet, the net's flows"),
    yOf(IFNET_FLIP_ROW, 'ifnet + flip average'),
    yOf(GAN_ROW, 'GAN model'),
    yOf('blend', 'blend'),
    yOf('duplicate', 'duplicate'),
  ]);
  const teOf = (method: string, title: string): MethodColumn<UpRow> => ({ title, method, value: (x) => x.te, digits: 3 });
  const upscaling = byMethod<UpRow>(r.upscaling, 'scale', [
    psnrOf('ffmpeg lanczos', 'lanczos'),
    psnrOf('image-sr per frame', 'image-sr per frame'),
    psnrOf('image-sr + temporal (ours)', 'ours'),
    teOf('image-sr per frame', 'temporal error: per frame'),
    teOf('image-sr + temporal (ours)', 'temporal error: ours'),
  ]);
  return renderBenchReport({
    tables: [
      { before: ['Interpolation, Y-PSNR (dB) of the regenerated eval frames (every other frame dropped):'], ...interpolation },
      {
        before: [
          "heldout_*: more/'s `eval_only` clips, whole (never trained on); the other four: their eval ranges (the last 20 %), whose earlier frames both nets trained on (the GAN model on these four clips only, ifnet on 25 clips).",
          '',
          ...speedLine(r).flatMap((l) => [l, '']),
          'Upscaling, PSNR (dB) and temporal error (0..255, lower is better):',
        ],
        ...upscaling,
      },
    ],
  });
}

function cropFrame(f: Frame, w: number, h: number, x0 = 0, y0 = 0): Frame {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) data.set(f.data.subarray(((y0 + y) * f.width + x0) * 3, ((y0 + y) * f.width + x0 + w) * 3), y * w * 3);
  return { data, width: w, height: h };
}

function cropCentre(f: Frame, w: number, h: number) {
  const cw = Math.min(w, f.width),
    ch = Math.min(h, f.height);
  return img(cropFrame(f, cw, ch, (f.width - cw) >> 1, (f.height - ch) >> 1));
}

if (require.main === module)
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`bench: ${e.stack ?? e}\n`);
    process.exit(1);
  });
