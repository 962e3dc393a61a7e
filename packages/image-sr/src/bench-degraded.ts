/**
 * The degraded-input section of the benchmark (`npm run bench -w @diffgan/image-sr -- --degraded`):
 * what the models do with the inputs real photos are, JPEG-compressed, noisy or soft. A fixed,
 * seeded set of degradations of the MATLAB-bicubic LR of Set5 / Set14 (the main table's LR):
 *
 *   jpeg40         JPEG quality 40 (libjpeg's scale, via sharp, 4:2:0)
 *   noise5+jpeg60  Gaussian noise σ = 5 on the 0-255 scale, rounded to 8 bits, then JPEG 60
 *                  (noise first: sensor noise is in the picture before the camera compresses it)
 *   blur1.2+jpeg70 Gaussian blur σ = 1.2 (9x9, reflected borders), rounded, then JPEG 70
 *
 * PSNR-Y / SSIM-Y against the clean HR under the main table's protocol, for bicubic, the
 * fidelity generator, the real generator at refine 0 and refine N (when its weights exist)
 * and the UpscalerJS models. Writes bench/degraded.{md,json} and, for a full run into bench/,
 * the README block between the bench-degraded markers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Rng, mean, writeBenchReport } from '@diffgan/core-models';
import { initBackend } from '@diffgan/core-models/train';
import type { BenchReport, BenchMarkers, ColumnSpec } from '@diffgan/core-models';
import { makeSrPair, bicubicUpscale, psnrY, ssimY, detailRatioY } from '@diffgan/eval';
import { gaussianKernel, filter2dDirect } from './degrade';
import { createUpscaler, generatorAvailable, refinerAvailable, Scale, Upscaler } from './upscale';
import { sharpJpeg } from './io';
export { sharpJpeg };
import { evalSets, f2, loadUpscalerJs, projectTfjs, setMetricColumns, upscalerJsMethod, Img, Method, UpscalerDef } from './bench-common';
import type { BenchArgs } from './bench';

const PKG = path.resolve(__dirname, '..');
const DEFAULT_OUT = path.join(PKG, 'bench', 'degraded');
export const DEGRADED_MARKERS: BenchMarkers = { start: '<!-- bench-degraded:start -->', end: '<!-- bench-degraded:end -->' };

/** A real JPEG encode + decode (sharp: libjpeg-turbo/mozjpeg with libjpeg's quality scaling), 4:2:0. */
const toU8 = (v: number): number => Math.min(255, Math.max(0, Math.round(v)));

/** img + N(0, σ²) per value (0-255 scale), rounded and clipped to 8 bits. */
export function gaussianNoiseU8(img: Img, sigma: number, rng: Rng): Img {
  return { ...img, data: Uint8Array.from(img.data, (v) => toU8(v + sigma * rng.normal())) };
}

/** A Gaussian blur of σ (size 2·ceil(3σ) + 1, reflected borders), rounded to 8 bits. */
export function gaussianBlurU8(img: Img, sigma: number): Img {
  const size = 2 * Math.ceil(3 * sigma) + 1;
  const out = filter2dDirect({ data: Float32Array.from(img.data), width: img.width, height: img.height }, gaussianKernel(size, sigma));
  return { ...img, data: Uint8Array.from(out.data, toU8) };
}

/** FNV-1a of a string: the noise seed of one (set, image, scale). */
function seedOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export interface Degradation {
  key: string;
  label: string;
  apply(lr: Img, seed: string): Promise<Img>;
}

export const DEGRADATIONS: Degradation[] = [
  { key: 'jpeg40', label: 'JPEG 40', apply: (lr) => sharpJpeg(lr, 40) },
  { key: 'noise5+jpeg60', label: 'noise σ 5 + JPEG 60', apply: (lr, seed) => sharpJpeg(gaussianNoiseU8(lr, 5, new Rng(seedOf(seed))), 60) },
  { key: 'blur1.2+jpeg70', label: 'blur σ 1.2 + JPEG 70', apply: (lr) => sharpJpeg(gaussianBlurU8(lr, 1.2), 70) },
];

export interface DegradedRow {
  scale: string;
  degradation: string;
  method: string;
  runtime: string;
  set5Psnr?: number;
  set5Ssim?: number;
  set14Psnr?: number;
  set14Ssim?: number;
  detail?: number;
  note?: string;
}

export interface DegradedResults {
  date: string;
  quick: boolean;
  complete: boolean;
  done: string[];
  sets: string[];
  generators: Record<string, { version: string; steps: number; sha256: string }>;
  rows: DegradedRow[];
  notes: string[];
}

export function degradedReport(r: DegradedResults, planned: string[]): BenchReport {
  const columns: ColumnSpec<DegradedRow>[] = [
    { key: 'scale', title: 'scale' },
    { key: 'degradation', title: 'LR degradation' },
    { key: 'method', title: 'method' },
    { key: 'runtime', title: 'runtime' },
    ...setMetricColumns<DegradedRow>(r.sets),
    { key: 'detail', title: 'detail vs HR', format: f2, align: 'right' },
    { key: 'note', title: 'note' },
  ];
  return {
    intro: [
      ...(r.complete ? [] : [`**Partial results** (run in progress or stopped): done ${r.done.join(', ')} of ${planned.join(', ')}.`, '']),
      `${r.date}${r.quick ? ' (--quick: Set5 only)' : ''}. Inputs: the MATLAB-bicubic LR of the main table, degraded with a fixed seed: ${DEGRADATIONS.map((d) => d.label).join('; ')} (JPEG by sharp at libjpeg quality, 4:2:0; noise on the 0-255 scale before the JPEG; blur 9x9 with reflected borders). PSNR/SSIM on Y against the clean HR, same protocol as the main table.`,
      `Generators: ${Object.entries(r.generators)
        .map(([k, g]) => `${k} ${g.version} (step ${g.steps}, sha256 ${g.sha256.slice(0, 12)})`)
        .join('; ')}.`,
      ...r.notes.map((n) => `Note: ${n}.`),
    ],
    tables: [{ rows: r.rows, columns }],
  };
}

interface Result {
  set: string;
  image: string;
  scale: number;
  degradation: string;
  method: string;
  psnr: number;
  ssim: number;
  detail: number;
}

export async function runDegraded(args: BenchArgs): Promise<void> {
  const { quick, threads, refine: refineSteps } = args;
  const scales = args.scales.map(Number) as Scale[];
  const { setNames, sets } = await evalSets(args.data, quick);
  const backend = await initBackend({ verbose: args.verbose });
  const notes: string[] = [];
  const fidelity = new Map<Scale, Upscaler>(),
    real = new Map<Scale, Upscaler>();
  for (const s of scales) {
    fidelity.set(s, await createUpscaler({ scale: s, threads }));
    if (generatorAvailable('real', s)) real.set(s, await createUpscaler({ scale: s, model: 'real', threads }));
    else notes.push(`x${s}: no real weights yet (sr_real_x${s}), its rows are skipped`);
  }
  const methods: (Method & { applies: (s: Scale) => boolean })[] = [
    { key: 'bicubic', label: 'bicubic (MATLAB imresize)', runtime: 'js', run: async (lr, s) => bicubicUpscale(lr, s), applies: () => true },
    {
      key: 'fidelity',
      label: 'fidelity, refine 0',
      runtime: fidelity.get(scales[0])!.runtime,
      run: async (lr, s) => (await fidelity.get(s)!.upscale(lr, { refine: 0 })) as Img,
      applies: () => true,
    },
    {
      key: 'real',
      label: 'real, refine 0',
      runtime: fidelity.get(scales[0])!.runtime,
      run: async (lr, s) => (await real.get(s)!.upscale(lr, { refine: 0 })) as Img,
      applies: (s) => real.has(s),
    },
    {
      key: `real+refine${refineSteps}`,
      label: `real, refine ${refineSteps}`,
      runtime: fidelity.get(scales[0])!.runtime,
      run: async (lr, s) => (await real.get(s)!.upscale(lr, { refine: refineSteps })) as Img,
      applies: (s) => real.has(s) && refinerAvailable(s, undefined, 'real'),
    },
  ];
  if (!args['no-upscalerjs']) {
    const tfl = projectTfjs();
    for (const size of args.upscalerjs) {
      const pkg = `@upscalerjs/esrgan-${size}`;
      const models = new Map<Scale, { model: import('@tensorflow/tfjs').LayersModel; def: UpscalerDef }>();
      for (const s of scales) {
        const m = await loadUpscalerJs(tfl, pkg, s).catch(() => null);
        if (m) models.set(s, m);
      }
      if (!models.size) {
        notes.push(`${pkg} not installed: row skipped`);
        continue;
      }
      const m = upscalerJsMethod(tfl, `esrgan-${size}`, models);
      methods.push({ ...m, label: `UpscalerJS esrgan-${size}`, runtime: `tfjs-${backend.tfjsBackend}`, applies: (s) => models.has(s) });
    }
  }

  const results: Result[] = [];
  const done: string[] = [];
  const planned = scales.flatMap((s) => sets.map((t) => `x${s} ${t.name}`));
  const report = (final: boolean): void => {
    const rows: DegradedRow[] = [];
    for (const s of scales)
      for (const d of DEGRADATIONS)
        for (const m of methods) {
          if (!m.applies(s)) continue;
          const row: DegradedRow = { scale: `x${s}`, degradation: d.label, method: m.label, runtime: m.runtime };
          for (const set of setNames) {
            const r = results.filter((x) => x.scale === s && x.set === set && x.degradation === d.key && x.method === m.key);
            if (!r.length) continue;
            const k = set === 'Set5' ? 'set5' : 'set14';
            (row as unknown as Record<string, number>)[`${k}Psnr`] = mean(r.map((x) => x.psnr));
            (row as unknown as Record<string, number>)[`${k}Ssim`] = mean(r.map((x) => x.ssim));
          }
          const all = results.filter((x) => x.scale === s && x.degradation === d.key && x.method === m.key);
          if (all.length) row.detail = mean(all.map((x) => x.detail));
          if (row.set5Psnr !== undefined || row.set14Psnr !== undefined) rows.push(row);
        }
    const generators: DegradedResults['generators'] = {};
    for (const [model, ups] of [
      ['fidelity', fidelity],
      ['real', real],
    ] as const)
      for (const [s, u] of ups) {
        const mf = JSON.parse(fs.readFileSync(u.manifestPath, 'utf8'));
        generators[`${model} x${s}`] = { version: mf.version, steps: mf.training.steps, sha256: mf.weights.sha256 };
      }
    const json: DegradedResults = { date: new Date().toISOString(), quick, complete: final, done: [...done], sets: setNames, generators, rows, notes };
    const outBase = path.resolve(args.out ?? DEFAULT_OUT);
    const md = writeBenchReport(degradedReport(json, planned), {
      base: outBase,
      title: 'image-sr benchmark: degraded inputs',
      json: { ...json, images: results },
      readme: final && !quick && outBase === DEFAULT_OUT ? path.join(PKG, 'README.md') : undefined,
      markers: DEGRADED_MARKERS,
    });
    if (final) process.stdout.write(`# image-sr benchmark: degraded inputs\n\n${md}`);
    else process.stderr.write(`bench: ${done[done.length - 1]} done; partial results in ${path.relative(process.cwd(), outBase)}.md\n`);
  };

  try {
    for (const s of scales)
      for (const set of sets) {
        for (const img of set.images) {
          const { hr, lr } = makeSrPair(img.img, s);
          for (const d of DEGRADATIONS) {
            const input = await d.apply(lr, `${set.name}/${img.name}/x${s}`);
            for (const m of methods) {
              if (!m.applies(s)) continue;
              const sr = await m.run(input, s);
              results.push({
                set: set.name,
                image: img.name,
                scale: s,
                degradation: d.key,
                method: m.key,
                psnr: psnrY(sr, hr, s),
                ssim: ssimY(sr, hr, s),
                detail: detailRatioY(sr, hr, s),
              });
            }
          }
          if (args.verbose) process.stderr.write(`x${s} ${set.name} ${img.name} done\n`);
        }
        done.push(`x${s} ${set.name}`);
        report(done.length === planned.length);
      }
  } finally {
    for (const u of [...fidelity.values(), ...real.values()]) await u.dispose();
  }
}
