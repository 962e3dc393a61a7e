/**
 * Benchmark: Set5 / Set14, x4 and x2, under the SR protocol of shared/data/sr/README.md
 * (HR mod-crop, MATLAB bicubic LR, Y of BT.601 rounded to integers, `scale` pixels
 * shaved, PSNR/SSIM on Y). Rows: bicubic, ours (refine 0), ours + refinement (when its
 * weights exist), and UpscalerJS esrgan-slim / -medium / -thick on tfjs-wasm, all on the
 * same LR images in one run, with seconds per image and speed relative to esrgan-slim.
 *
 *   npm run bench -w @diffgan/image-sr -- soak   (1,000 upscale calls: RSS and file handles, see soak.ts)
 *   npm run bench -w @diffgan/image-sr -- [options]   (--help: the options, declared in benchCommand)
 *
 * --quick: Set5 only. Writes bench/results.{md,json} (rewritten after every scale/set, so
 * a long run can be read early) and prints the markdown. Unless --no-metrics, the measured
 * numbers of our generator are written into its weights manifest. esrgan-thick dominates
 * the run time (several seconds per x4 Set5 image on tfjs-wasm, about 4x that at x2).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DiffganError, mean } from '@diffgan/core-models';
import { initBackend } from '@diffgan/core-models/train';
import { makeSrPair, bicubicUpscale, psnrY, ssimY, detailRatioY } from '@diffgan/eval';
import { defineCommand, writeBenchReport } from '@diffgan/core-models';
import type { BenchReport, ColumnSpec } from '@diffgan/core-models';
import { createUpscaler, refinerAvailable, Scale, Upscaler } from './upscale';
import { updateManifestMetrics } from './export';
import {
  evalSets,
  f2,
  f3,
  loadUpscalerJs,
  PKG,
  projectTfjs,
  setMetricColumns,
  upscalerJsMethod,
  Img,
  ImageResult,
  Method,
  Row,
  UpscalerDef,
} from './bench-common';

const DEFAULT_OUT = path.join(PKG, 'bench', 'results');

export const benchCommand = defineCommand({
  name: 'npm run bench -w @diffgan/image-sr --',
  usage: ['[options]', 'soak [--calls 1000]   (memory / file-handle soak of upscale; soak --help)'],
  summary: 'Set5 / Set14 x4 and x2 under the SR protocol: bicubic, ours (refine 0 and N), UpscalerJS esrgan-slim/-medium/-thick.',
  description: `Writes bench/results.{md,json} after every (scale, set), marked partial until the run ends; a full
run into bench/ also writes the README's results block. Unless --no-metrics, our generators'
measured numbers go into their weights manifests.`,
  options: {
    data: { type: 'string', placeholder: 'DIR', help: 'folder holding sr/eval (default: the data root, DIFFGAN_DATA)' },
    scales: { type: 'list', choices: ['4', '2'], default: ['4', '2'], help: 'scales to run' },
    refine: { type: 'integer', min: 1, default: 2, help: 'refinement steps for the "ours + refine" row' },
    upscalerjs: {
      type: 'list',
      choices: ['slim', 'medium', 'thick'],
      default: ['slim', 'medium', 'thick'],
      help: 'UpscalerJS models (thick takes 25-90 s per image)',
    },
    'no-upscalerjs': { type: 'boolean', help: 'skip them' },
    threads: { type: 'integer', min: 0, default: 0, help: 'onnxruntime threads (0 = one per core)' },
    quick: { type: 'boolean', help: 'Set5 only' },
    out: { type: 'string', placeholder: 'BASE', help: 'results path without extension (default bench/results)' },
    'no-metrics': { type: 'boolean', help: "do not write the measured numbers into the generators' manifests" },
    degraded: {
      type: 'boolean',
      help: 'the degraded-input section instead (JPEG 40; noise σ 5 + JPEG 60; blur σ 1.2 + JPEG 70\nof the bicubic LR): bench/degraded.{md,json} and its README block',
    },
    verbose: { type: 'boolean', help: 'one line per image' },
  },
});

/** What bench/results.json holds: the rows and everything the report's text says. */
export interface SrBenchResults {
  date: string;
  quick: boolean;
  complete: boolean;
  done: string[];
  generators: Record<string, { version: string; steps: number; sha256: string }>;
  backend: string;
  ourRuntime: Record<string, string>;
  rows: Row[];
  notes: string[];
  /** the sets run, onnxruntime threads, tfjs version and wasm threads (runs before 2026-12 did not record them) */
  sets?: string[];
  threads?: number;
  tfjs?: string;
  wasmThreads?: boolean;
}

/** The report of a run (bench/results.md and the README block): its text and the table. */
export function srBenchReport(r: SrBenchResults & Required<Pick<SrBenchResults, 'sets' | 'threads' | 'tfjs'>>, planned: string[]): BenchReport {
  const has = (set: string) => r.sets.includes(set);
  const columns: ColumnSpec<Row>[] = [
    { key: 'scale', title: 'scale' },
    { key: 'method', title: 'method' },
    { key: 'runtime', title: 'runtime' },
    ...setMetricColumns<Row>(r.sets),
    ...(has('Set5') ? [{ key: 'set5Sec' as const, title: 's/img Set5', format: f3, align: 'right' as const }] : []),
    ...(has('Set14') ? [{ key: 'set14Sec' as const, title: 's/img Set14', format: f3, align: 'right' as const }] : []),
    { key: 'vsSlim', title: 'speed vs esrgan-slim', align: 'right' },
    { key: 'detail', title: 'detail vs HR', format: f2, align: 'right' },
    { key: 'note', title: 'note' },
  ];
  return {
    intro: [
      ...(r.complete ? [] : [`**Partial results** (run in progress or stopped): done ${r.done.join(', ')} of ${planned.join(', ')}.`, '']),
      `${r.date}${r.quick ? ' (--quick: Set5 only)' : ''}. Protocol: HR mod-crop, MATLAB bicubic LR (uint8), PSNR/SSIM on Y (BT.601 studio range, rounded to integers as MATLAB rgb2ycbcr), \`scale\` px shaved, mean over images.`,
      `Our generator: ${Object.entries(r.generators)
        .map(([k, g]) => `${k} ${g.version} (step ${g.steps}, sha256 ${g.sha256.slice(0, 12)})`)
        .join(
          '; ',
        )}; run with upscale() (tile 256) on ${[...new Set(Object.values(r.ourRuntime))].join('/')}, ${r.threads ? `${r.threads} thread(s)` : 'one thread per core'}.`,
      `"detail vs HR" = mean absolute neighbour difference of the output's Y over the original's (detailRatioY; 1 = as much fine detail as the original, blur scores lower; read it next to PSNR: it does not say the detail is right), over Set5 and Set14.`,
      `UpscalerJS models run whole-image on tfjs ${r.backend} (tfjs ${r.tfjs}${r.wasmThreads === false ? ', single-threaded: no wasm threads in Node' : ''}); times are seconds per image after one warm-up call per model, methods interleaved image by image on a shared 2-core machine. "speed vs esrgan-slim" = slim's s/img divided by the row's (>1 = faster), averaged over sets.`,
      ...r.notes.map((n) => `Note: ${n}.`),
    ],
    tables: [{ rows: r.rows, columns }],
  };
}

export type BenchArgs = ReturnType<typeof benchCommand.parse>;

export async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'soak') return (await import('./soak')).main(argv.slice(1));
  const args = benchCommand.parse(argv);
  if (args.help) {
    process.stdout.write(benchCommand.help());
    return;
  }
  if (args.degraded) return (await import('./bench-degraded')).runDegraded(args);
  const { quick, threads, refine: refineSteps } = args;
  const scales = args.scales.map(Number) as Scale[];
  const { setNames, sets } = await evalSets(args.data, quick);

  // methods
  const backend = await initBackend({ verbose: args.verbose });
  // one upscaler per scale, loaded before any timing (the refiner on its first refine call, in the warm-up)
  const ours = new Map<Scale, Upscaler>();
  for (const s of scales) ours.set(s, await createUpscaler({ scale: s, threads }));
  const oursOf = (s: Scale): Upscaler => ours.get(s)!;
  const methods: Method[] = [
    { key: 'bicubic', label: 'bicubic (MATLAB imresize)', runtime: 'js', run: async (lr, s) => bicubicUpscale(lr, s) },
    { key: 'ours', label: 'ours, refine 0', runtime: '', run: async (lr, s) => (await oursOf(s).upscale(lr, { refine: 0 })) as Img },
  ];
  const notes: string[] = [];
  const skipped: Row[] = [];
  // one method row; applicable() skips the scales without refinement weights
  if (scales.some((s) => refinerAvailable(s)))
    methods.push({
      key: `ours+refine${refineSteps}`,
      label: `ours, refine ${refineSteps}`,
      runtime: '',
      run: async (lr, sc) => (await oursOf(sc).upscale(lr, { refine: refineSteps })) as Img,
    });
  for (const s of scales)
    if (!refinerAvailable(s)) skipped.push({ scale: `x${s}`, method: `ours, refine ${refineSteps}`, runtime: '-', note: 'skipped: no refinement weights yet' });
  const ourRuntime: Record<number, string> = {};
  for (const s of scales) ourRuntime[s] = oursOf(s).runtime;
  if (!args['no-upscalerjs']) {
    const tfl = projectTfjs();
    if (tfl.getBackend() !== backend.tfjsBackend)
      throw new Error(`tfjs backend mismatch: layers see ${tfl.getBackend()}, core-models set ${backend.tfjsBackend}`);
    for (const size of args.upscalerjs) {
      const pkg = `@upscalerjs/esrgan-${size}`;
      const models = new Map<Scale, { model: import('@tensorflow/tfjs').LayersModel; def: UpscalerDef }>();
      for (const s of scales) {
        const m = await loadUpscalerJs(tfl, pkg, s).catch((e) => {
          notes.push(`${pkg} x${s}: failed to load (${String(e.message).split('\n')[0]})`);
          return null;
        });
        if (m) models.set(s, m);
      }
      if (models.size) {
        const m = upscalerJsMethod(tfl, `esrgan-${size}`, models);
        m.label = `UpscalerJS esrgan-${size} (${[...models.values()][0].def.meta.architecture}, input ${[...models.values()][0].def.inputRange.join('-')})`;
        m.runtime = `tfjs-${backend.tfjsBackend}`;
        methods.push(m);
      } else notes.push(`${pkg} not installed: row skipped`);
    }
  }

  const report = async (done: string[], final: boolean): Promise<void> => {
    // summary rows
    const rows: Row[] = [];
    for (const s of scales) {
      const slimSec = (set: string) => {
        const r = results.filter((x) => x.scale === s && x.set === set && x.method === 'esrgan-slim');
        return r.length ? mean(r.map((x) => x.seconds)) : undefined;
      };
      for (const m of methods) {
        if (!applicable(m, s)) continue;
        const row: Row = { scale: `x${s}`, method: m.label, runtime: m.runtime || ourRuntime[s] };
        const ratios: number[] = [];
        for (const set of sets) {
          const r = results.filter((x) => x.scale === s && x.set === set.name && x.method === m.key);
          if (!r.length) continue;
          const k = set.name === 'Set5' ? 'set5' : 'set14';
          (row as unknown as Record<string, number>)[`${k}Psnr`] = mean(r.map((x) => x.psnr));
          (row as unknown as Record<string, number>)[`${k}Ssim`] = mean(r.map((x) => x.ssim));
          const sec = mean(r.map((x) => x.seconds));
          (row as unknown as Record<string, number>)[`${k}Sec`] = sec;
          const slim = slimSec(set.name);
          if (slim !== undefined) ratios.push(slim / sec);
        }
        if (ratios.length) row.vsSlim = `${mean(ratios).toFixed(2)}x`;
        const all = results.filter((x) => x.scale === s && x.method === m.key);
        if (all.length) row.detail = mean(all.map((x) => x.detail));
        if (row.set5Psnr !== undefined || row.set14Psnr !== undefined) rows.push(row);
      }
      if (done.some((d) => d.startsWith(`x${s} `))) rows.push(...skipped.filter((r) => r.scale === `x${s}`));
    }

    const gens: Record<string, { version: string; steps: number; sha256: string }> = {};
    for (const s of scales) {
      const mf = JSON.parse(fs.readFileSync(oursOf(s).manifestPath, 'utf8'));
      gens[`x${s}`] = { version: mf.version, steps: mf.training.steps, sha256: mf.weights.sha256 };
    }
    const date = new Date().toISOString();
    const json: SrBenchResults = {
      date,
      quick,
      complete: final,
      done,
      generators: gens,
      backend: backend.tfjsBackend,
      ourRuntime,
      rows,
      notes,
      sets: setNames,
      threads,
      tfjs: projectTfjs().version.tfjs,
      wasmThreads: wasmThreads as boolean | undefined,
    };
    Object.assign(json, { protocol: 'SR protocol of shared/data/sr/README.md, Y rounded', images: results });
    const outBase = path.resolve(args.out ?? DEFAULT_OUT);
    const planned = scales.map((x) => sets.map((t) => `x${x} ${t.name}`).join(', '));
    // a finished full run into bench/ is the README's results block
    const md = writeBenchReport(srBenchReport({ ...json, sets: setNames, threads, tfjs: json.tfjs! }, planned), {
      base: outBase,
      title: 'image-sr benchmark',
      json,
      readme: final && !quick && outBase === DEFAULT_OUT ? path.join(PKG, 'README.md') : undefined,
    });
    if (final) process.stdout.write(`# image-sr benchmark\n\n${md}`);
    else process.stderr.write(`bench: ${done[done.length - 1]} done; partial results in ${path.relative(process.cwd(), outBase)}.md\n`);

    if (!args['no-metrics']) {
      for (const s of scales) {
        const metrics: Record<string, unknown> = {};
        for (const set of setNames) {
          const r = results.filter((x) => x.scale === s && x.set === set && x.method === 'ours');
          if (!r.length) continue;
          metrics[`${set}_x${s}_psnr_y`] = +mean(r.map((x) => x.psnr)).toFixed(3);
          metrics[`${set}_x${s}_ssim_y`] = +mean(r.map((x) => x.ssim)).toFixed(4);
          metrics[`${set}_x${s}_seconds_per_image`] = +mean(r.map((x) => x.seconds)).toFixed(4);
        }
        metrics.protocol = 'MATLAB bicubic LR, Y rounded, scale px shaved (shared/data/sr/README.md); npm run bench -w @diffgan/image-sr';
        metrics.measuredAt = new Date().toISOString();
        updateManifestMetrics(oursOf(s).manifestPath, metrics, { merge: true });
      }
    }
  };

  const wasmThreads = backend.tfjsBackend === 'wasm' ? await projectTfjs().env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') : undefined;
  const results: ImageResult[] = [];
  const done: string[] = [];
  const applicable = (m: Method, s: Scale) => !m.key.startsWith('ours+refine') || refinerAvailable(s);
  for (const s of scales) {
    for (const set of sets) {
      const pairs = set.images.map((i) => ({ name: i.name, ...makeSrPair(i.img, s) }));
      // warm-up: one untimed call per method on the first image (JIT, wasm compile, ORT session)
      for (const m of methods) if (applicable(m, s)) await m.run(pairs[0].lr, s);
      for (const p of pairs) {
        for (const m of methods) {
          if (!applicable(m, s)) continue;
          const t0 = process.hrtime.bigint();
          const sr = await m.run(p.lr, s);
          const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
          if (sr.width !== p.hr.width || sr.height !== p.hr.height)
            throw new Error(`${m.key} x${s} ${p.name}: output ${sr.width}x${sr.height}, HR is ${p.hr.width}x${p.hr.height}`);
          results.push({
            set: set.name,
            image: p.name,
            scale: s,
            method: m.key,
            psnr: psnrY(sr, p.hr, s),
            ssim: ssimY(sr, p.hr, s),
            detail: detailRatioY(sr, p.hr, s),
            seconds,
          });
        }
        if (args.verbose) process.stderr.write(`x${s} ${set.name} ${p.name} done\n`);
        await new Promise((r) => setImmediate(r));
      }
      done.push(`x${s} ${set.name}`);
      // results so far are written after every (scale, set), so a long run can be read early
      await report(done, done.length === scales.length * sets.length);
    }
  }

  for (const sr of ours.values()) await sr.dispose();
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`sr bench: ${e instanceof DiffganError ? e.message : e.stack}\n`);
    process.exit(1);
  });
}
