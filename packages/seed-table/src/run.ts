/**
 * The seed-table experiment: train every family under one budget (per seed), sample, score
 * against the 2,000 reference images with the MNIST feature classifier, time sampling at
 * batch 64 on one runtime, and write results.md / results.json / grids/*.png.
 *
 * Everything is resumable: training resumes from <run>/<family>/seed<k>/checkpoint.dgw,
 * and metrics/speed already computed for the same trained step count are reused.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  createRunner,
  DiffganError,
  Rng,
  mean,
  saveWeights,
  loadWeights,
  updateManifestMetrics,
  Runner,
  writeFileAtomic,
  defaultWorkerCount,
  resolveTrainRuntime,
  TrainRuntime,
  GraphSpec,
} from '@diffgan/core-models';
import { initBackend, Trainer, paramCount, runParallel, disposeModel, TrainingRecord } from '@diffgan/core-models/train';
import { defineCommand, TRAIN_RUNTIME_OPTIONS } from '@diffgan/core-models';
import { writeBenchReport, renderBenchReport } from '@diffgan/core-models';
import type { BenchReport, BenchMarkers, ColumnSpec } from '@diffgan/core-models';
import { makeGrid, writePng, linePlot, Series, Rgb, PixelImage } from '@diffgan/image';

import {
  DATASETS,
  DATASET_TITLE,
  Dataset,
  datasetDir,
  seedTableData,
  FeatureExtractor,
  classifierManifestPath,
  fid,
  kid,
  precisionRecall,
  FeatureSet,
  measureThroughput,
} from '@diffgan/eval';
import { Family, Nets, PIXELS, SamplerDef, IMG, sampleUnet } from './common';
import { ddpmSchedule } from './ddpm';
import { FAMILIES, familyByName, familyNames } from './families';
import { taskModulePath } from './task';
import { DiscriminatorAccuracy, seedDiscriminatorCheck } from './diagnose';
import { DEFAULT_PLATEAU, PlateauRule, StopReason, plateauReached, readCurve, writeCurve } from './plateau';

/** The seed table's options; the budget defaults depend on --quick and --plateau, so they are resolved in parseSeedTableArgs. */
export const seedTableCommand = defineCommand({
  name: 'npm run bench -w @diffgan/seed-table --',
  summary: 'GAN vs DDPM vs DiffGAN vs the seed pipeline on MNIST.',
  description: `Trains GAN, DDPM, DiffGAN (T=2, T=4) and the seed pipeline on 8,000 MNIST test images,
scores samples against the other 2,000 (FID/KID/precision/recall on the MNIST classifier's
features), times sampling at batch 64 on onnxruntime-node, writes packages/seed-table/results/.`,
  options: {
    quick: { type: 'boolean', help: 'smoke budget: 10 steps, 1 seed, 64 samples (~4 CPU-min)' },
    'budget-steps': { type: 'integer', min: 1, help: 'training steps per model and seed (default 3000; --plateau: the cap, default 150000)' },
    plateau: {
      type: 'boolean',
      help: `train each seed until its FID stops improving: score the EMA weights every
--plateau-every steps on --plateau-samples images (fixed noise) and stop when the best FID
of the last third of the steps is not 5% below the best before it (not before ${DEFAULT_PLATEAU.minSteps} steps);
--budget-steps is then the cap. The curve: <run>/<model>/seed<k>/curve.json`,
    },
    'plateau-every': { type: 'integer', min: 1, help: `steps between curve points, a multiple of 250 (default ${DEFAULT_PLATEAU.every}; quick: 10)` },
    'plateau-samples': { type: 'integer', min: 16, help: `images per curve point (default ${DEFAULT_PLATEAU.samples}; quick: 64)` },
    'budget-minutes': { type: 'number', above: 0, placeholder: 'M', help: "also stop a model's training after M minutes (wall-clock, per seed)" },
    seeds: { type: 'integer', min: 1, placeholder: 'K', help: 'seeds 0..K-1 per model (default 3; quick: 1)' },
    samples: { type: 'integer', min: 16, help: 'generated images per model and seed for the metrics (default 1000; quick: 64)' },
    batch: { type: 'integer', min: 1, default: 32, placeholder: 'B', help: 'training batch' },
    ...TRAIN_RUNTIME_OPTIONS,
    models: {
      type: 'list',
      placeholder: 'a,b',
      validate: (names: string[]) =>
        names.every((n) => familyByName(n)) || `unknown model '${names.find((n) => !familyByName(n))}' (${familyNames().join(', ')})`,
      help: `subset: gan,ddpm,diffgan2,diffgan4,pipeline (default all; the
DiffGAN rows with the deep D); the ablations run only when named:
diffgan2-dbase, diffgan4-dbase (the base D of the 3,000-step table),
diffgan4-nor1-dbase (without R1), diffgan4-lsgan-dbase (the GAN's
LSGAN loss, no R1), diffgan4-dwide (a wider D)`,
    },
    dataset: {
      type: 'enum',
      choices: DATASETS,
      default: 'mnist',
      placeholder: 'NAME',
      help: 'mnist or fashion-mnist: its t10k split 8,000 / 2,000 the same way,\nscored with its own feature classifier (weights/<dataset>-classifier)',
    },
    run: {
      type: 'string',
      placeholder: 'DIR',
      help: 'checkpoints and per-run files (default runs/seed-table; --plateau: runs/plateau, so the finished\n3,000-step runs are not trained on; quick: + -quick; fashion-mnist: + -fashion-mnist)',
    },
    out: {
      type: 'string',
      placeholder: 'DIR',
      help: 'results (default packages/seed-table/results; --plateau: results-plateau; fashion-mnist: + -fashion-mnist)',
    },
    'no-readme': { type: 'boolean', help: 'do not update the table in packages/seed-table/README.md' },
    retime: {
      type: 'boolean',
      help: "time every sampler in this run instead of reusing the speed cached beside its\nrun (cached speeds may be from other sessions and machine loads:\nthe final table's speed columns should come from one run, nothing else running)",
    },
    'report-only': {
      type: 'boolean',
      help: 'train nothing: the table of the seeds whose training has finished\n(an interim table while a long run is still going)',
    },
  },
  epilog: "Diagnostics: npm run bench -w @diffgan/seed-table -- d-accuracy --help (a trained discriminator's accuracy).",
});

export interface SeedTableOptions {
  quick: boolean;
  reportOnly?: boolean;
  /** time every sampler now, ignoring the speeds cached beside the runs */
  retime?: boolean;
  steps: number;
  minutes?: number;
  seeds: number;
  samples: number;
  batch: number;
  workers?: number;
  /** training runtime; undefined = auto (or DIFFGAN_TRAIN_RUNTIME) */
  runtime?: TrainRuntime | 'auto';
  /** onnxruntime: intra-op threads per worker, and the execution provider */
  threads: number;
  ep: string;
  models: Family[];
  run: string;
  out: string;
  readme: boolean;
  command: string;
  /** the 28x28 dataset whose t10k is split (default mnist) */
  dataset?: Dataset;
  /** train each seed until its curve FID flattens (plateau.ts), --budget-steps being the cap */
  plateau?: PlateauRule;
}

/** packages/seed-table (from src/ and from dist/): the results folder and the README are its. */
const PKG_DIR = path.resolve(__dirname, '..');

export function parseSeedTableArgs(argv: string[]): SeedTableOptions | null {
  const a = seedTableCommand.parse(argv);
  if (a.help) return null;
  const { quick, plateau } = a;
  if (!quick && a['plateau-every'] !== undefined && a['plateau-every'] % 250 !== 0)
    throw new DiffganError(`invalid value for --plateau-every: ${a['plateau-every']} (a multiple of 250)`);
  const dataset = a.dataset;
  const suffix = dataset === 'mnist' ? '' : `-${dataset}`;
  const steps = a['budget-steps'] ?? (quick ? 10 : plateau ? DEFAULT_PLATEAU.capSteps : 3000);
  return {
    quick,
    steps,
    plateau: plateau
      ? {
          ...DEFAULT_PLATEAU,
          capSteps: steps,
          every: a['plateau-every'] ?? (quick ? 10 : DEFAULT_PLATEAU.every),
          minSteps: quick ? 30 : DEFAULT_PLATEAU.minSteps,
          samples: a['plateau-samples'] ?? (quick ? 64 : DEFAULT_PLATEAU.samples),
        }
      : undefined,
    minutes: a['budget-minutes'],
    seeds: a.seeds ?? (quick ? 1 : 3),
    samples: a.samples ?? (quick ? 64 : 1000),
    batch: a.batch,
    workers: a.workers,
    runtime: a.runtime,
    threads: a.threads,
    ep: a.ep,
    models: (a.models ?? FAMILIES.map((f) => f.id)).map((n) => familyByName(n)!),
    dataset,
    run: path.resolve(a.run ?? `runs/${plateau ? 'plateau' : 'seed-table'}${suffix}${quick ? '-quick' : ''}`),
    // a plateau run (long, in pieces) writes beside the finished budget table, not over its results and grids
    out: path.resolve(a.out ?? path.join(PKG_DIR, `results${plateau ? '-plateau' : ''}${suffix}`)),
    readme: !a['no-readme'],
    reportOnly: a['report-only'],
    retime: a.retime,
    command: `npm run bench -w @diffgan/seed-table -- ${argv.join(' ')}`.trim(),
  };
}

export async function seedTableMain(argv: string[]): Promise<void> {
  const o = parseSeedTableArgs(argv);
  if (!o) {
    process.stdout.write(seedTableCommand.help());
    return;
  }
  await runSeedTable(o);
}

// ---------------------------------------------------------------------------------------

/** seconds = wall-clock; cpuSeconds = this process's CPU time (user + system), comparable across machine loads */
interface TrainState {
  steps: number;
  seconds: number;
  cpuSeconds: number;
  done: boolean;
  failed?: string;
  budgetSteps: number;
  stopped?: StopReason;
}

/** A run file's JSON, undefined when it does not exist; a file that is not JSON is a one-line error naming it. */
export function readJson<T>(f: string): T | undefined {
  if (!fs.existsSync(f)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8')) as T;
  } catch (e) {
    throw new DiffganError(`${f}: not valid JSON (${(e as Error).message}); delete it to start that step again`);
  }
}
const log = (msg: string) => process.stderr.write(`[seed-table ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** How a family trains: batch, data-parallel workers and the runtime (core-models runParallel options). */
export interface TrainOptions {
  batch: number;
  /** default: defaultWorkerCount(runtime), one per core */
  workers?: number;
  /** default auto (or DIFFGAN_TRAIN_RUNTIME): onnxruntime when it loads */
  runtime?: TrainRuntime | 'auto';
  /** onnxruntime: intra-op threads per worker (default 1) and execution provider (default cpu) */
  threads?: number;
  executionProvider?: string;
  /** the dataset whose seed-table train split trains (default mnist) */
  dataset?: Dataset;
}

/**
 * Trains (or resumes) one family/seed up to the budget on the seed-table train split, data
 * parallel over `train.workers` (core-models runParallel; default one per core) on
 * `train.runtime`; exports the sampling nets next to the checkpoint.
 */
export async function trainFamily(
  fam: Family,
  seed: number,
  dir: string,
  train: TrainOptions,
  budget: { steps: number; minutes?: number },
  o: { progress?: boolean; command?: string; curve?: CurveOptions; record?: RecipeRecord } = {},
): Promise<TrainState> {
  fs.mkdirSync(dir, { recursive: true });
  const stateFile = path.join(dir, 'train.json');
  const prev = readJson<TrainState>(stateFile);
  if (
    prev &&
    (prev.failed ||
      (prev.done && (prev.steps >= budget.steps || prev.stopped === 'plateau')) ||
      (prev.done && budget.minutes !== undefined && prev.budgetSteps === budget.steps))
  )
    return prev;
  const tr = new Trainer({
    dir,
    steps: budget.steps,
    seed,
    task: fam.id,
    groups: fam.groups(seed),
    checkpointEvery: 250,
    logEvery: 25,
    progress: o.progress ?? true,
    meta: { family: fam.id, seed, batch: train.batch, ...o.record },
  });
  let seconds = prev?.seconds ?? 0,
    cpuSeconds = prev?.cpuSeconds ?? 0;
  let failed: string | undefined, stopped: StopReason | undefined;
  const limit = budget.minutes !== undefined ? budget.minutes * 60 : Infinity;
  const curve = o.curve ? readCurve(dir, tr.step) : [];
  const meta = { batch: train.batch, command: o.command, seconds: () => seconds, dataset: train.dataset ?? 'mnist', record: o.record };
  try {
    while (tr.step < budget.steps && seconds < limit) {
      const t0 = Date.now(),
        c0 = process.cpuUsage();
      // chunks, so the wall-clock limit is checked and train.json stays current across interruptions
      await runParallel(tr, {
        until: Math.min(budget.steps, tr.step + (limit !== Infinity ? 25 : 250)),
        taskModule: taskModulePath,
        taskConfig: { family: fam.id, dataset: train.dataset ?? 'mnist' },
        batchSize: train.batch,
        workers: train.workers,
        runtime: train.runtime,
        threads: train.threads,
        executionProvider: train.executionProvider,
      });
      seconds += (Date.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      cpuSeconds += (c.user + c.system) / 1e6;
      writeFileAtomic(stateFile, JSON.stringify({ steps: tr.step, seconds, cpuSeconds, done: false, budgetSteps: budget.steps }));
      if (o.curve && tr.step % o.curve.rule.every === 0 && curve[curve.length - 1]?.step !== tr.step) {
        // score the EMA weights as they are now (exported beside the run, then sampled on ORT)
        const netDir = path.join(dir, 'curve-net');
        exportFamilyNets(fam, tr, netDir, seed, meta);
        const m = await o.curve.score(fam, netDir);
        curve.push({ step: tr.step, fid: m.fid, precision: m.precision, recall: m.recall, seconds, cpuSeconds });
        writeCurve(dir, curve);
        o.curve.log?.(
          `${fam.id} seed ${seed}: step ${tr.step}: curve FID ${m.fid.toFixed(2)} (precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)})`,
        );
        if (plateauReached(curve, o.curve.rule)) {
          stopped = 'plateau';
          break;
        }
      }
    }
    if (!stopped && o.curve && tr.step >= budget.steps) stopped = 'cap';
  } catch (e) {
    if (!(e instanceof DiffganError) || !/loss became/.test(e.message)) throw e;
    failed = e.message; // a non-finite loss: the run diverged
  }
  const state: TrainState = { steps: tr.step, seconds, cpuSeconds, done: true, failed, budgetSteps: budget.steps, ...(stopped ? { stopped } : {}) };
  if (!failed) exportFamilyNets(fam, tr, dir, seed, meta);
  writeFileAtomic(stateFile, JSON.stringify(state));
  tr.dispose();
  for (const g of Object.values(tr.groups)) for (const v of g.model.params.values()) v.dispose();
  return state;
}

/** What `diffgan train` adds to the checkpoint and the exported manifests: the recipe, its resolved config and the commit. */
export type RecipeRecord = Pick<TrainingRecord, 'recipe' | 'config' | 'commit'>;

/** Scoring a seed's EMA weights every `rule.every` steps, to train to a plateau (plateau.ts). */
export interface CurveOptions {
  rule: PlateauRule;
  /** FID and precision/recall of the nets exported in `netDir` */
  score(fam: Family, netDir: string): Promise<Pick<SampleMetrics, 'fid' | 'precision' | 'recall'>>;
  log?: (msg: string) => void;
}

/** Writes the family's sampling nets (EMA where the family says so) with their manifests into `dir`. */
function exportFamilyNets(
  fam: Family,
  tr: Trainer,
  dir: string,
  seed: number,
  meta: { batch: number; command?: string; seconds: () => number; dataset: Dataset; record?: RecipeRecord },
): void {
  for (const [name, x] of Object.entries(fam.exports)) {
    const g = tr.groups[x.group];
    saveWeights(dir, name, g.model.spec, tr.exportWeights(x.group, x.ema), {
      version: '0',
      config: { family: fam.id, seed, group: x.group, ema: x.ema, batch: meta.batch },
      training: {
        data: `${DATASET_TITLE[meta.dataset]} t10k, seed-table train split (8,000 images; packages/eval/src/mnist.ts)`,
        command: meta.command ?? 'seed-table',
        steps: tr.step,
        wallClock: `${(meta.seconds() / 60).toFixed(1)} min`,
        ...meta.record,
      },
      metrics: {},
    });
  }
}

const specsOf = new WeakMap<Family, Record<string, GraphSpec>>();
/** The descriptions a family's groups train, by group (its nets are built and freed once per family; only the specs are kept). */
function familySpecs(fam: Family): Record<string, GraphSpec> {
  let specs = specsOf.get(fam);
  if (!specs) {
    const groups = fam.groups(0);
    specs = Object.fromEntries(Object.entries(groups).map(([g, c]) => [g, c.model.spec]));
    for (const g of Object.values(groups)) disposeModel(g.model);
    specsOf.set(fam, specs);
  }
  return specs;
}

/** Loads a trained family's sampling nets (ORT runners) from its run directory. */
export async function loadNets(fam: Family, dir: string): Promise<{ nets: Nets; params: number; runtime: string }> {
  const nets: Nets = {};
  let params = 0,
    runtime = '';
  for (const name of Object.keys(fam.exports)) {
    const mf = path.join(dir, `${name}.manifest.json`);
    if (!fs.existsSync(mf)) throw new DiffganError(`${mf}: no trained ${fam.id} weights (train first: diffgan train ${fam.id} --run ...)`);
    const { manifest, weights } = loadWeights(mf);
    // weights of another model under their own manifest: name the file and what it holds, before any run fails on its inputs
    const family = (manifest.config as { family?: string } | undefined)?.family;
    if (family !== undefined && family !== fam.id) throw new DiffganError(`${mf}: weights of '${family}', not of '${fam.id}'`);
    const want = fam.exports[name].group,
      spec = familySpecs(fam)[want] as GraphSpec | undefined;
    if (spec && JSON.stringify(manifest.architecture.inputs) !== JSON.stringify(spec.inputs)) {
      const io = (s: GraphSpec) => s.inputs.map((i) => `${i.name}:${s.values[i.value].kind}${s.values[i.value].channels}`).join(', ');
      throw new DiffganError(
        `${mf}: architecture '${manifest.architecture.name}' (inputs ${io(manifest.architecture)}) is not ${fam.id}'s ${want} net (inputs ${io(spec)})`,
      );
    }
    nets[name] = await createRunner(manifest.architecture, weights);
    runtime = nets[name].runtime;
    params += paramCount(manifest.architecture);
  }
  return { nets, params, runtime };
}

export async function disposeNets(nets: Nets): Promise<void> {
  for (const r of Object.values(nets) as Runner[]) await r.dispose();
}

/**
 * The sampler a family's plateau curve is scored with: its sampler with the most steps up to 50
 * (DDPM: DDIM-50, 20x cheaper than DDPM-1000 on the same net; the others: their one sampler).
 */
export function curveSampler(fam: Pick<Family, 'samplers'>): SamplerDef {
  const cheap = fam.samplers.filter((s) => s.nfe <= 50).sort((a, b) => b.nfe - a.nfe);
  return cheap[0] ?? fam.samplers[0];
}

/** n samples in batches of 64, clipped to [-1, 1] (the range written to PNG and scored). */
export async function sampleMany(s: SamplerDef, nets: Nets, n: number, rng: Rng, batch = 64): Promise<Float32Array> {
  const out = new Float32Array(n * PIXELS);
  for (let k = 0; k < n; k += batch) {
    const m = Math.min(batch, n - k);
    const x = await s.sample(nets, m, rng);
    for (let i = 0; i < m * PIXELS; i++) out[k * PIXELS + i] = Math.max(-1, Math.min(1, x[i]));
  }
  return out;
}

/** 64 images in [-1, 1] → an 8x8 grid PNG. */
export async function writeSampleGrid(file: string, images: Float32Array, cols = 8): Promise<void> {
  const n = images.length / PIXELS;
  const tiles = Array.from({ length: n }, (_, k) => ({
    data: Float32Array.from(images.subarray(k * PIXELS, (k + 1) * PIXELS), (v) => (v + 1) * 127.5),
    width: IMG,
    height: IMG,
    channels: 1,
  }));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await writePng(file, makeGrid(tiles, cols, { pad: 2, background: [128, 128, 128] }));
}

export interface SampleMetrics {
  fid: number;
  kid: number;
  kidStd: number;
  precision: number;
  recall: number;
  topClassShare: number;
  collapsed: boolean;
  collapseReason?: string;
  samples: number;
}

/** Collapse criterion: recall < 0.05, or precision < 0.05, or > 50% of samples in one predicted class. */
export function collapseOf(m: Pick<SampleMetrics, 'precision' | 'recall' | 'topClassShare'>): string | undefined {
  if (m.recall < 0.05) return `recall ${m.recall.toFixed(3)} < 0.05`;
  if (m.precision < 0.05) return `precision ${m.precision.toFixed(3)} < 0.05`;
  if (m.topClassShare > 0.5) return `${(m.topClassShare * 100).toFixed(0)}% of samples in one class`;
  return undefined;
}

/**
 * Writes a seed's scores (per sampler id) into the manifests of the weights they sampled, so
 * each committed weight file states what it measured: one verified rewrite per manifest, after
 * every sampler is scored. Cached scores write the same bytes, so a re-run leaves git clean.
 */
export function recordSeedTableMetrics(dir: string, names: string[], scores: Record<string, SampleMetrics>, referenceImages: number): void {
  const metrics: Record<string, unknown> = {
    protocol:
      'seed table (packages/seed-table README): samples vs the reference split of MNIST t10k, features of the eval MNIST classifier; k-NN precision/recall, k = 3',
  };
  for (const [id, m] of Object.entries(scores))
    metrics[id] = {
      fid: +m.fid.toFixed(2),
      kid: +m.kid.toFixed(3),
      precision: m.precision,
      recall: m.recall,
      collapsed: m.collapsed,
      samples: m.samples,
      referenceImages,
    };
  for (const name of names) updateManifestMetrics(path.join(dir, `${name}.manifest.json`), metrics, { merge: true });
}

/** Seeded subset of rows of a feature set. */
function subsetFeatures(f: FeatureSet, n: number, seed: number): FeatureSet {
  if (n >= f.count) return f;
  const rng = new Rng(seed),
    idx = Array.from({ length: f.count }, (_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const data = new Float64Array(n * f.dim);
  for (let k = 0; k < n; k++) for (let d = 0; d < f.dim; d++) data[k * f.dim + d] = f.data[idx[k] * f.dim + d];
  return { data, count: n, dim: f.dim };
}

/** FID/KID/PR of generated images against the reference features, plus the class histogram. */
export async function scoreImages(fx: FeatureExtractor, images: Float32Array, ref: FeatureSet): Promise<SampleMetrics> {
  const gen = await fx.features(images);
  const n = gen.count;
  const k = kid(gen, ref, { subsets: 20, subsetSize: Math.min(500, n), seed: 0 });
  // precision/recall with equally sized sets (k-NN radii depend on the set size)
  const pr = precisionRecall(subsetFeatures(ref, n, 7), subsetFeatures(gen, Math.min(n, ref.count), 7), { k: 3 });
  const pred = await fx.predict(images);
  const hist = new Array(10).fill(0);
  for (const c of pred) hist[c]++;
  const m = { fid: fid(gen, ref), kid: k.mean, kidStd: k.std, precision: pr.precision, recall: pr.recall, topClassShare: Math.max(...hist) / n, samples: n };
  const reason = collapseOf(m);
  return { ...m, collapsed: reason !== undefined, collapseReason: reason };
}

interface SpeedResult {
  imagesPerSecond: number;
  method: string;
}

/** images/s at batch 64 (median of timed calls after a warm-up); slow samplers are extrapolated in --quick. */
async function samplerSpeed(s: SamplerDef, nets: Nets, quick: boolean): Promise<SpeedResult> {
  const rng = new Rng(99);
  if (s.nfe > 100 && quick) {
    // one timed batch of a 20-step DDPM run, scaled to the sampler's NFE (per-step cost is the same)
    const t = await measureThroughput(() => sampleUnet(nets.den, ddpmSchedule(), 64, rng, { sampler: 'ddpm', steps: 20, clip: [-1, 1] }), {
      warmup: 1,
      repeats: 2,
      itemsPerCall: 64,
    });
    return { imagesPerSecond: (t.itemsPerSecond * 20) / s.nfe, method: `extrapolated from 20 steps x ${s.nfe / 20}` };
  }
  const repeats = s.nfe > 100 || (quick && s.nfe > 20) ? 1 : s.nfe > 20 ? 3 : 5;
  const t = await measureThroughput(() => s.sample(nets, 64, rng), { warmup: s.nfe > 100 ? 0 : 1, repeats, itemsPerCall: 64 });
  return { imagesPerSecond: t.itemsPerSecond, method: `measured, median of ${repeats}` };
}

export interface SeedTableRow {
  model: string;
  sampler: string;
  nfe: number;
  params: number;
  fid: number;
  fidStd: number;
  fidMin: number;
  fidMax: number;
  kid: number;
  precision: number;
  recall: number;
  imagesPerSecond: number;
  speedMethod: string;
  trainSteps: number;
  trainMinutes: number;
  trainCpuMinutes: number;
  okRuns: number;
  runs: number;
  /** --plateau: how many seeds stopped at their plateau (the others at the cap) */
  plateauRuns?: number;
  /** adversarial families: mean 'd' phase loss over the last 10% of training steps (mean of seeds), and its value at chance */
  dLossEnd?: number;
  dLossAtChance?: number;
  /** the discriminator's AUC (real vs generated) per condition after training, mean over the seeds that have it */
  dAuc?: { condition: string; auc: number; seeds: number }[];
  perSeed: ({ seed: number } & Partial<SampleMetrics> & { failed?: string })[];
}

/**
 * Why a seed's run cannot be reported without computing anything (--report-only), or null when
 * it can: training finished (or failed) at the budget and every sampler scored on that model.
 */
export function notReportable(dir: string, fam: Pick<Family, 'samplers'>, steps: number, samples: number, plateau = false): string | null {
  const st = readJson<TrainState>(path.join(dir, 'train.json'));
  if (st?.failed) return null;
  if (!st?.done || (st.steps < steps && !(plateau && st.stopped === 'plateau')))
    return `not finished (${st?.steps ?? 0} of ${plateau ? `at most ${steps}` : steps} steps)`;
  const scored = (id: string) => readJson<{ trainedSteps: number; samples: number }>(path.join(dir, `metrics-${id}.json`));
  if (fam.samplers.some((s) => scored(s.id)?.trainedSteps !== st.steps || scored(s.id)?.samples !== samples)) return 'trained, not scored yet';
  return null;
}

/** Per-condition mean AUC over seeds (conditions in the first seed's order). */
export function meanAuc(checks: DiscriminatorAccuracy[][]): { condition: string; auc: number; seeds: number }[] {
  if (!checks.length) return [];
  return checks[0].map((c) => {
    const v = checks.map((rows) => rows.find((r) => r.condition === c.condition)?.auc).filter((x): x is number => x !== undefined);
    return { condition: c.condition, auc: mean(v), seeds: v.length };
  });
}

/**
 * Mean of the logged loss of `phase` over the last `share` of the steps (the run's log.jsonl,
 * one line per 25 steps), or NaN without such lines: how far a discriminator still is from
 * chance when the budget ends.
 */
export function lossTail(dir: string, phase: string, steps: number, share = 0.1): number {
  const file = path.join(dir, 'log.jsonl');
  if (!fs.existsSync(file)) return NaN;
  const vals = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, number>)
    .filter((e) => e.step > steps * (1 - share) && e.step <= steps && Number.isFinite(e[phase]))
    .map((e) => e[phase]);
  return mean(vals);
}

/** The training runtimes a run's log.jsonl records up to `steps` (lines written before the runtime was logged: tfjs). */
export function loggedRuntimes(dir: string, steps: number): string[] {
  const file = path.join(dir, 'log.jsonl');
  if (!fs.existsSync(file)) return [];
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { step: number; runtime?: string });
  return [...new Set(lines.filter((e) => e.step <= steps).map((e) => e.runtime ?? 'tfjs'))];
}

const std = (a: number[]) => {
  const m = mean(a);
  return a.length > 1 ? Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1)) : 0;
};

export async function runSeedTable(o: SeedTableOptions): Promise<{ rows: SeedTableRow[]; floor: SampleMetrics }> {
  const started = Date.now();
  const backend = await initBackend();
  const dataset = o.dataset ?? 'mnist';
  const data = seedTableData(datasetDir(dataset));
  const fx = await FeatureExtractor.load(classifierManifestPath(dataset));
  const ref = await fx.features(data.reference);
  log(
    `data: ${data.train.length / PIXELS} train / ${data.reference.length / PIXELS} reference images (split sha256 ${data.split.sha256.slice(0, 12)}); features on ${fx.runtime}`,
  );
  // the real-vs-real floor: N train-split images against the reference
  const floorIdx = subsetFeatures(
    { data: Float64Array.from({ length: data.train.length / PIXELS }, (_, i) => i), count: data.train.length / PIXELS, dim: 1 },
    o.samples,
    11,
  );
  const floorImgs = new Float32Array(floorIdx.count * PIXELS);
  for (let k = 0; k < floorIdx.count; k++) floorImgs.set(data.train.subarray(floorIdx.data[k] * PIXELS, (floorIdx.data[k] + 1) * PIXELS), k * PIXELS);
  const floor = await scoreImages(fx, floorImgs, ref);
  const noise = await scoreImages(
    fx,
    Float32Array.from(new Rng(5).normalArray(o.samples * PIXELS), (v) => Math.max(-1, Math.min(1, v))),
    ref,
  );
  log(`floor (train split vs reference, N=${o.samples}): FID ${floor.fid.toFixed(2)}; clipped Gaussian noise: FID ${noise.fid.toFixed(1)}`);

  // the training runtime, resolved once (an unavailable onnxruntime fails here, before any training)
  const trainRuntime = resolveTrainRuntime(o.runtime, { objective: o.models[0]?.objective }, 'seed-table', log);
  const train: TrainOptions = { dataset, batch: o.batch, workers: o.workers, runtime: trainRuntime, threads: o.threads, executionProvider: o.ep };
  // --plateau: each seed's EMA weights scored every rule.every steps on one fixed sample (noise seed 4242)
  const curve: CurveOptions | undefined = o.plateau && {
    rule: o.plateau,
    log,
    async score(fam, netDir) {
      const loaded = await loadNets(fam, netDir);
      try {
        const imgs = await sampleMany(curveSampler(fam), loaded.nets, o.plateau!.samples, new Rng(4242));
        return await scoreImages(fx, imgs, ref);
      } finally {
        await disposeNets(loaded.nets);
      }
    },
  };
  const usedRuntimes = new Set<string>(); // as the seeds' logs record them (seeds may have been trained by earlier invocations)
  const rows: SeedTableRow[] = [];
  let runtime = '';
  for (const fam of o.models) {
    const perSampler = new Map<string, SeedTableRow['perSeed']>();
    const trainStats: TrainState[] = [];
    const dTails: number[] = [];
    const dChecks: DiscriminatorAccuracy[][] = [];
    let params = 0;
    const speeds = new Map<string, SpeedResult>();
    for (let seed = 0; seed < o.seeds; seed++) {
      const dir = path.join(o.run, fam.id, `seed${seed}`);
      if (o.reportOnly) {
        const why = notReportable(dir, fam, o.steps, o.samples, o.plateau !== undefined);
        if (why) {
          log(`${fam.id} seed ${seed}: ${why}, left out`);
          continue;
        }
      }
      log(
        `${fam.id} seed ${seed}: training (budget ${o.steps} steps${o.minutes ? ` or ${o.minutes} min` : ''}, batch ${o.batch}, ${o.workers ?? defaultWorkerCount(trainRuntime)} worker(s) on ${trainRuntime})`,
      );
      const st = await trainFamily(
        fam,
        seed,
        dir,
        train,
        { steps: o.steps, minutes: o.minutes },
        { progress: process.stderr.isTTY, command: o.command, curve },
      );
      trainStats.push(st);
      for (const r of loggedRuntimes(dir, st.steps)) usedRuntimes.add(r);
      if (fam.discriminator && !st.failed) {
        dTails.push(lossTail(dir, 'd', st.steps));
        const acc = seedDiscriminatorCheck(fam, seed, dir, st.steps, data.train);
        if (acc) dChecks.push(acc);
      }
      log(
        `${fam.id} seed ${seed}: ${st.steps} steps in ${(st.seconds / 60).toFixed(1)} min (${(st.cpuSeconds / 60).toFixed(1)} CPU min)${st.failed ? ` — FAILED: ${st.failed}` : ''}`,
      );
      if (st.failed) {
        for (const s of fam.samplers) perSampler.set(s.id, [...(perSampler.get(s.id) ?? []), { seed, failed: st.failed, collapsed: true }]);
        continue;
      }
      const loaded = await loadNets(fam, dir);
      params = loaded.params;
      runtime = loaded.runtime;
      const scores: Record<string, SampleMetrics> = {};
      for (const s of fam.samplers) {
        const cacheFile = path.join(dir, `metrics-${s.id}.json`);
        const cached = readJson<SampleMetrics & { trainedSteps: number }>(cacheFile);
        let m: SampleMetrics;
        if (cached && cached.trainedSteps === st.steps && cached.samples === o.samples) m = cached;
        else {
          const t0 = Date.now();
          const imgs = await sampleMany(s, loaded.nets, o.samples, new Rng(1000 + seed));
          m = await scoreImages(fx, imgs, ref);
          writeFileAtomic(cacheFile, JSON.stringify({ ...m, trainedSteps: st.steps }, null, 1));
          await writeSampleGrid(path.join(dir, `grid-${s.id}.png`), imgs.subarray(0, 64 * PIXELS));
          log(
            `${s.id} seed ${seed}: ${o.samples} samples in ${((Date.now() - t0) / 1000).toFixed(0)} s; FID ${m.fid.toFixed(2)} precision ${m.precision.toFixed(3)} recall ${m.recall.toFixed(3)}${m.collapsed ? ` (collapsed: ${m.collapseReason})` : ''}`,
          );
        }
        scores[s.id] = m;
        perSampler.set(s.id, [...(perSampler.get(s.id) ?? []), { seed, ...m }]);
        if (!speeds.has(s.id)) {
          const speedFile = path.join(dir, `speed-${s.id}.json`);
          const sc = readJson<SpeedResult & { trainedSteps: number; quick: boolean }>(speedFile);
          const sp = sc && sc.quick === o.quick && !o.retime ? sc : await samplerSpeed(s, loaded.nets, o.quick);
          writeFileAtomic(speedFile, JSON.stringify({ ...sp, quick: o.quick }));
          speeds.set(s.id, sp);
          log(`${s.id}: ${sp.imagesPerSecond.toFixed(2)} images/s at batch 64 (${sp.method})`);
          const gridFile = path.join(o.out, 'grids', `${s.id}.png`);
          fs.mkdirSync(path.dirname(gridFile), { recursive: true });
          const srcGrid = path.join(dir, `grid-${s.id}.png`);
          if (fs.existsSync(srcGrid)) fs.copyFileSync(srcGrid, gridFile);
        }
      }
      recordSeedTableMetrics(dir, Object.keys(fam.exports), scores, data.reference.length / PIXELS);
      await disposeNets(loaded.nets);
    }
    for (const s of fam.samplers) {
      const per = perSampler.get(s.id) ?? [];
      if (!per.length) continue; // --report-only: no finished seed yet
      const ok = per.filter((p) => !p.failed && !p.collapsed && p.fid !== undefined);
      const all = per.filter((p) => p.fid !== undefined);
      const fids = all.map((p) => p.fid!);
      rows.push({
        model: fam.id,
        sampler: s.id,
        nfe: s.nfe,
        params,
        fid: mean(fids),
        fidStd: std(fids),
        fidMin: Math.min(...fids),
        fidMax: Math.max(...fids),
        kid: mean(all.map((p) => p.kid!)),
        precision: mean(all.map((p) => p.precision!)),
        recall: mean(all.map((p) => p.recall!)),
        imagesPerSecond: speeds.get(s.id)?.imagesPerSecond ?? NaN,
        speedMethod: speeds.get(s.id)?.method ?? '-',
        trainSteps: mean(trainStats.map((t) => t.steps)),
        trainMinutes: mean(trainStats.map((t) => t.seconds / 60)),
        trainCpuMinutes: mean(trainStats.map((t) => (t.cpuSeconds ?? NaN) / 60)),
        okRuns: ok.length,
        runs: per.length,
        perSeed: per,
        ...(o.plateau ? { plateauRuns: trainStats.filter((t) => t.stopped === 'plateau').length } : {}),
        ...(fam.discriminator ? { dLossEnd: mean(dTails), dLossAtChance: fam.discriminator.lossAtChance, dAuc: meanAuc(dChecks) } : {}),
      });
    }
  }
  await fx.dispose();
  const minutes = (Date.now() - started) / 60000;
  const runtimeLabel = (r: string) => (r === 'onnxruntime' ? 'onnxruntime-node' : `tfjs-${backend.name}`);
  const training =
    [...(usedRuntimes.size ? usedRuntimes : [trainRuntime])]
      .sort((a, b) => b.localeCompare(a))
      .map(runtimeLabel)
      .join(' and ') + (usedRuntimes.size > 1 ? ' (per seed: its log.jsonl)' : '');
  const timing = `intra-op threads: one per core, ${os.cpus().length} cores; ${o.retime ? 'every sampler timed in this run' : 'speeds as timed when each run was first scored, possibly in another session'}`;
  await writeResults(o, rows, floor, noise, { backend: backend.name, training, runtime, minutes, classifier: fx.runtime, timing });
  log(`done in ${minutes.toFixed(1)} min: ${path.join(o.out, 'results.md')}`);
  return { rows, floor };
}

// ---------------------------------------------------------------------------------------

interface Target {
  what: string;
  met: boolean | undefined;
  detail: string;
}

export function evaluateTargets(rows: SeedTableRow[]): Target[] {
  const r = (id: string) => rows.find((x) => x.sampler === id);
  const d4 = r('diffgan-4'),
    dd = r('ddpm-1000'),
    gan = r('gan');
  const out: Target[] = [];
  const fmt = (v: number, k = 2) => (Number.isFinite(v) ? v.toFixed(k) : 'n/a');
  // quality targets mean nothing when every run of a model collapsed (e.g. --quick: both are noise)
  const judged = (...rs: SeedTableRow[]) => rs.every((x) => x.okRuns === undefined || x.okRuns > 0);
  const why = ' — not judged: every run of a model in the comparison collapsed';
  if (d4 && dd) {
    const ratio = d4.fid / dd.fid;
    out.push({
      what: 'DiffGAN-4 FID within 10% of DDPM-1000',
      met: Number.isFinite(ratio) && judged(d4, dd) ? ratio <= 1.1 : undefined,
      detail: `${fmt(d4.fid)} vs ${fmt(dd.fid)} (ratio ${fmt(ratio)})${judged(d4, dd) ? '' : why}`,
    });
    const sp = d4.imagesPerSecond / dd.imagesPerSecond;
    out.push({
      what: 'DiffGAN-4 >= 100x DDPM-1000 images/s',
      met: Number.isFinite(sp) ? sp >= 100 : undefined,
      detail: `${fmt(d4.imagesPerSecond, 1)} vs ${fmt(dd.imagesPerSecond, 3)} images/s (${fmt(sp, 0)}x)`,
    });
  }
  if (d4 && gan)
    out.push({
      what: 'DiffGAN-4 recall > GAN recall',
      met: Number.isFinite(d4.recall) && Number.isFinite(gan.recall) && judged(d4, gan) ? d4.recall > gan.recall : undefined,
      detail: `${fmt(d4.recall, 3)} vs ${fmt(gan.recall, 3)}${judged(d4, gan) ? '' : why}`,
    });
  return out;
}

/** The targets block; a subset run without the rows they compare (e.g. an ablation) says so instead of an empty list. */
export function targetLines(targets: Target[], interim: boolean): string[] {
  if (!targets.length) return ['Targets: not judged in this run (they compare the diffgan-4, ddpm-1000 and gan rows; this run has not all of them).', ''];
  return [
    interim ? 'Targets (interim, on the finished seeds):' : 'Targets:',
    '',
    ...targets.map((t) => `- ${t.met === undefined ? 'n/a' : t.met ? 'met' : '**missed**'}: ${t.what}: ${t.detail}.`),
  ];
}

/**
 * Lines under the targets: each adversarial model's discriminator loss at the end of training
 * against its value at chance, and for every missed target the measured numbers that bear on
 * it. Facts from this run only; the interpretation is in the README's text.
 */
export function measuredContext(rows: SeedTableRow[], targets: Target[], steps: number): string[] {
  const out: string[] = [];
  const seeds = (n: number) => `${n} seed${n > 1 ? 's' : ''}`;
  const byModel = [...new Map(rows.filter((r) => r.dLossAtChance !== undefined && Number.isFinite(r.dLossEnd)).map((r) => [r.model, r])).values()];
  if (byModel.length) {
    out.push(
      '',
      "Discriminator loss over the last 10% of training steps, mean of seeds (in brackets: its value when D cannot tell real from fake; DiffGAN's includes the small R1 term): " +
        byModel.map((r) => `${r.model} ${r.dLossEnd!.toFixed(3)} (${r.dLossAtChance!.toFixed(3)})`).join(', ') +
        '.',
    );
    const aucs = byModel.filter((r) => r.dAuc?.length);
    if (aucs.length) {
      out.push(
        '',
        'How well each discriminator separates real from generated inputs after training (AUC, 0.5 = not at all; `d-accuracy`, 256 + 256 inputs per condition, mean of the seeds whose checkpoint was checked): ' +
          aucs
            .map(
              (r) =>
                `${r.model} ${r.dAuc!.map((c) => `${c.condition === 'all' ? '' : `${c.condition.replace(/ \(.*\)$/, '')} `}${c.auc.toFixed(2)}`).join(', ')} (${seeds(r.dAuc![0].seeds)})`,
            )
            .join('; ') +
          '.',
      );
    }
  }
  const missed = targets.filter((t) => t.met === false);
  if (!missed.length) return out;
  const r = (id: string) => rows.find((x) => x.sampler === id);
  const d4 = r('diffgan-4'),
    dd = r('ddpm-1000'),
    gan = r('gan');
  const facts: string[] = [];
  if (steps < 1000)
    facts.push(`the budget (${steps} steps) is far too small for any model to learn the digits, so the FIDs mostly measure how fast each model leaves noise`);
  for (const t of missed) {
    if (t.what.startsWith('DiffGAN-4 FID') && d4 && dd) {
      const others = rows.filter((x) => x !== d4 && Number.isFinite(x.fid));
      const near = others.reduce<SeedTableRow | undefined>((b, x) => (!b || Math.abs(x.fid - d4.fid) < Math.abs(b.fid - d4.fid) ? x : b), undefined);
      facts.push(
        `DiffGAN-4's FID ${d4.fid.toFixed(1)} is nearest to ${near ? `${near.sampler}'s ${near.fid.toFixed(1)}` : 'no other row'}; ` +
          `its ${d4.trainSteps.toFixed(0)} steps took ${(d4.trainCpuMinutes / dd.trainCpuMinutes).toFixed(1)}x DDPM's training CPU time` +
          (Number.isFinite(d4.dLossEnd) ? `; its discriminator ended at ${d4.dLossEnd!.toFixed(3)} (chance ${d4.dLossAtChance!.toFixed(3)})` : ''),
      );
      // the target is DiffGAN-4's, but the other adversarial few-step rows show whether the idea or this variant misses it
      const kin = rows.filter((x) => x !== d4 && x !== gan && x.dLossAtChance !== undefined && Number.isFinite(x.fid));
      if (kin.length)
        facts.push(
          `the other DiffGAN-style rows: ${kin.map((x) => `${x.sampler}'s FID ${x.fid.toFixed(1)} is ${(x.fid / dd.fid).toFixed(2)}x DDPM-1000's`).join(', ')}`,
        );
    } else if (t.what.includes('images/s') && d4 && dd) {
      facts.push(
        `DiffGAN-4 makes ${d4.nfe} network calls per image and DDPM-1000 ${dd.nfe} (${(dd.nfe / d4.nfe).toFixed(0)}x fewer), measured ${(d4.imagesPerSecond / dd.imagesPerSecond).toFixed(0)}x the images/s`,
      );
    } else if (t.what.includes('recall') && d4 && gan) {
      facts.push(
        `precision ${d4.precision.toFixed(3)} (DiffGAN-4) vs ${gan.precision.toFixed(3)} (GAN), runs not collapsed ${d4.okRuns}/${d4.runs} vs ${gan.okRuns}/${gan.runs}`,
      );
      const above = rows.filter((x) => x !== gan && x.recall > gan.recall);
      facts.push(
        `rows with recall above the GAN's ${gan.recall.toFixed(3)}: ${above.length ? above.map((x) => `${x.sampler} ${x.recall.toFixed(3)} (${seeds(x.runs)})`).join(', ') : 'none'}`,
      );
    }
  }
  if (facts.length) out.push('', `Measured context for the missed targets: ${facts.join('; ')}. Per-seed numbers: results.json.`);
  return out;
}

const CURVE_COLORS: Rgb[] = [
  [31, 119, 180],
  [214, 39, 40],
  [44, 160, 44],
  [148, 103, 189],
  [255, 127, 14],
  [140, 86, 75],
  [23, 190, 207],
];

/** Every seed's curve FID against steps (log FID), one colour per model. */
export function curvePlot(o: Pick<SeedTableOptions, 'models' | 'seeds' | 'run' | 'dataset'>): PixelImage<Uint8Array> {
  const series: Series[] = [];
  o.models.forEach((fam, k) => {
    for (let seed = 0; seed < o.seeds; seed++) {
      const pts = readCurve(path.join(o.run, fam.id, `seed${seed}`)).map((p): [number, number] => [p.step, p.fid]);
      if (pts.length) series.push({ label: series.some((s) => s.label === fam.id) ? '' : fam.id, color: CURVE_COLORS[k % CURVE_COLORS.length], points: pts });
    }
  });
  return linePlot(series, {
    width: 720,
    height: 420,
    logY: true,
    title: `${DATASET_TITLE[o.dataset ?? 'mnist']}: curve FID vs training steps`,
    xLabel: 'training steps (batch 32)',
    yLabel: 'FID',
  });
}

/** The plateau rule in words, for the report. */
export const plateauText = (r: PlateauRule): string =>
  `EMA weights scored every ${r.every} steps on ${r.samples} fixed-noise samples; stopped when the best FID of the last third of the steps was not ${(r.improvement * 100).toFixed(0)}% below the best before it, at ${r.minSteps} steps at the earliest, cap ${r.capSteps}`;

/**
 * timing: how the images/s were measured (absent in results written before it was recorded:
 * those ran with ORT's default threads, one on this VM)
 */
type SeedTableEnv = { backend: string; training: string; runtime: string; minutes: number; classifier: string; timing?: string };
type ReportOptions = Pick<SeedTableOptions, 'quick' | 'reportOnly' | 'steps' | 'minutes' | 'seeds' | 'samples' | 'batch' | 'command' | 'dataset' | 'plateau'>;

/** The markers of the dataset's README block (the MNIST and Fashion-MNIST tables each have their own). */
export const seedTableMarkers = (dataset: Dataset = 'mnist'): BenchMarkers => {
  const tag = `seed-table${dataset !== 'mnist' ? `-${dataset}` : ''}`;
  return { start: `<!-- ${tag}:begin -->`, end: `<!-- ${tag}:end -->` };
};

/**
 * The seed table's report: its heading and command, the table, the reference rows, the targets
 * and the measured context; `curve` is the FID-vs-steps picture's path as the file showing it sees it.
 */
export function seedTableReport(
  o: ReportOptions,
  rows: SeedTableRow[],
  floor: SampleMetrics,
  noise: SampleMetrics,
  env: SeedTableEnv,
  date: string,
  curve?: string,
): BenchReport {
  const columns: ColumnSpec<SeedTableRow>[] = [
    { key: 'sampler', title: 'model / sampler' },
    { key: 'nfe', title: 'NFE' },
    { key: 'params', title: 'params', format: (v) => `${((v as number) / 1000).toFixed(0)}k` },
    {
      key: 'fid',
      title: 'FID',
      format: (v, r) => (Number.isFinite(v as number) ? `${(v as number).toFixed(2)}${r.runs > 1 ? ` ± ${r.fidStd.toFixed(2)}` : ''}` : 'n/a'),
    },
    { key: 'kid', title: 'KID', format: (v) => (Number.isFinite(v as number) ? (v as number).toPrecision(3) : 'n/a') },
    { key: 'precision', digits: 3 },
    { key: 'recall', digits: 3 },
    {
      key: 'imagesPerSecond',
      title: 'images/s',
      format: (v, r) =>
        Number.isFinite(v as number)
          ? `${(v as number) >= 10 ? (v as number).toFixed(0) : (v as number).toPrecision(2)}${r.speedMethod.startsWith('extrap') ? ' *' : ''}`
          : 'n/a',
    },
    { key: 'trainSteps', title: 'train steps', digits: 0 },
    { key: 'trainMinutes', title: 'train min', digits: 1 },
    { key: 'trainCpuMinutes', title: 'train CPU min', format: (v) => (Number.isFinite(v as number) ? (v as number).toFixed(1) : '-') },
    { key: 'fidMax', title: 'FID range', format: (_v, r) => (r.runs > 1 ? `${r.fidMin.toFixed(1)}-${r.fidMax.toFixed(1)}` : '-') },
    { key: 'okRuns', title: 'not collapsed', format: (_v, r) => `${r.okRuns}/${r.runs}` },
    ...(o.plateau
      ? [{ key: 'plateauRuns', title: 'at plateau', format: (_v: unknown, r: SeedTableRow) => `${r.plateauRuns ?? 0}/${r.runs}` } as ColumnSpec<SeedTableRow>]
      : []),
  ];
  const targets = evaluateTargets(rows);
  const budget = `${o.steps} steps${o.minutes ? ` (or ${o.minutes} min)` : ''} x batch ${o.batch} per model and seed`;
  return {
    intro: [
      `### Seed table${o.dataset && o.dataset !== 'mnist' ? ` (${DATASET_TITLE[o.dataset]})` : ''}${o.quick ? ' (--quick smoke run: tiny budget, numbers are not meaningful)' : o.reportOnly ? ' (interim: the seeds finished so far; the run is still going)' : ''}`,
      '',
      `Command: \`${o.command}\`. Budget: ${budget}; seeds: ${o.seeds}${o.reportOnly ? ' planned (a row\'s finished seeds are the denominator of "not collapsed")' : ''}; ${o.samples} samples per model and seed vs the 2,000 reference images. ` +
        `Training on ${env.training}; sampling and timing on ${env.runtime} (batch 64, ${env.timing ?? 'intra-op threads = ORT default, shared 2-core CPU'}). ` +
        `Features: ${DATASET_TITLE[o.dataset ?? 'mnist']} classifier (${env.classifier}).${o.plateau ? ` Each seed trained until its FID stopped improving (${plateauText(o.plateau)}).` : ''} Generated on ${date.slice(0, 10)} in ${env.minutes.toFixed(0)} min.`,
    ],
    tables: [{ rows, columns }],
    notes: [
      `Reference rows (N = ${o.samples}): real train-split images vs reference: FID ${floor.fid.toFixed(2)}, KID ${floor.kid.toPrecision(3)}, precision ${floor.precision.toFixed(3)}, recall ${floor.recall.toFixed(3)}; ` +
        `clipped Gaussian noise: FID ${noise.fid.toFixed(1)}, precision ${noise.precision.toFixed(3)}, recall ${noise.recall.toFixed(3)}.`,
      '',
      `FID is mean ± std over seeds; KID, precision, recall are means; train min = wall-clock per seed, train CPU min = CPU time of the training process per seed (load-independent). "*" = images/s extrapolated from a 20-step run (per-step cost is the same), not timed end to end. ` +
        'Collapse = recall < 0.05, precision < 0.05, more than 50% of samples in one predicted class, or a diverged (non-finite) loss.',
      '',
      ...targetLines(targets, o.reportOnly === true),
      ...measuredContext(rows, targets, o.steps),
      ...(curve && o.plateau
        ? [
            '',
            `FID of the fixed ${o.plateau.samples}-sample curve against training steps, every seed (DDPM's is DDIM-50 on the same net):`,
            '',
            `![FID vs steps](${curve})`,
          ]
        : []),
    ],
  };
}

/**
 * A package file's address on the repository's raw host: the README is also the registry page,
 * where a relative image is broken (scripts/readme-links.mjs writes the other READMEs' links the same way).
 */
export function readmeAssetUrl(relativeToPackage: string): string {
  const { repository } = JSON.parse(fs.readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8')) as { repository: { url: string; directory: string } };
  const repo = repository.url
    .replace(/^git\+/, '')
    .replace(/\.git$/, '')
    .replace('https://github.com/', '');
  return `https://raw.githubusercontent.com/${repo}/main/${repository.directory}/${relativeToPackage.split(path.sep).join('/')}`;
}

/** The README block: the report and the sample grids, images by absolute address (readmeAssetUrl). */
export function seedTableReadmeBlock(report: BenchReport, rows: SeedTableRow[], gridsDir: string): string {
  const grids = rows.map((r) => `| ${r.sampler} | ![${r.sampler}](${readmeAssetUrl(`${gridsDir}/grids/${r.sampler}.png`)}) |`);
  return `${renderBenchReport(report)}\nSample grids (seed 0, first 64 samples):\n\n| model | samples |\n| --- | --- |\n${grids.join('\n')}\n`;
}

async function writeResults(o: SeedTableOptions, rows: SeedTableRow[], floor: SampleMetrics, noise: SampleMetrics, env: SeedTableEnv): Promise<void> {
  fs.mkdirSync(o.out, { recursive: true });
  const date = new Date().toISOString();
  if (o.plateau) await writePng(path.join(o.out, 'curves.png'), curvePlot(o));
  // the FID-vs-steps picture's link is written relative to each file that shows it
  const curve = (from: string) => path.relative(from, path.join(o.out, 'curves.png'));
  const readmeReport = seedTableReport(o, rows, floor, noise, env, date, readmeAssetUrl(curve(PKG_DIR)));
  writeBenchReport(seedTableReport(o, rows, floor, noise, env, date, curve(o.out)), {
    base: path.join(o.out, 'results'),
    json: { options: { ...o, models: o.models.map((m) => m.id) }, env, floor, noise, targets: evaluateTargets(rows), rows },
    readme: o.readme ? path.join(PKG_DIR, 'README.md') : undefined,
    markers: seedTableMarkers(o.dataset),
    readmeBlock: seedTableReadmeBlock(readmeReport, rows, path.relative(PKG_DIR, o.out)),
  });
}
