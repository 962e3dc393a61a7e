/**
 * Trainer checkpoint → shipped weights. Takes the generator's EMA parameters
 * (`g/ema/<name>`), checks them against srGeneratorSpec(scale) and writes
 * `<out>/sr_generator_x{scale}.dgw` + `.manifest.json`. Metrics are left empty here;
 * the benchmark fills them in with updateManifestMetrics().
 *
 *   node dist/export.js --scale 4 [--checkpoint checkpoints/x4/checkpoint.dgw] [--out weights]
 *   node dist/export.js --scale 4 --refiner [--checkpoint checkpoints/refiner_x4/checkpoint.dgw]
 */
import * as fs from 'fs';
import * as path from 'path';
import { decodeTensors, saveWeights, checkAgainstSpec, DiffganError, Manifest, TensorMap } from '@diffgan/core-models';
import { srGeneratorSpec, SR_CONFIGS } from './models';
import { refinerSpec } from './refiner';
import { REFINER_CONFIG, REFINER_T, RES_SCALE, T_EMBED_SCALE, MAX_REFINER_TEMPERATURE } from './refine-sampler';
import { defineCommand } from '@diffgan/core-models';
import { DEFAULT_WEIGHTS_DIR, generatorName, refinerName, modelWeightsName, SR_MODELS, SrModel } from './names';
import {
  measureExample,
  measureRefinerExample,
  writeFloor,
  floorKey,
  refinerFloorKey,
  floorOf,
  EXAMPLE_IMAGE,
  REAL_EXAMPLE_JPEG,
  REFINER_EXAMPLE_STEPS,
  RefinerFloorEntry,
  FloorEntry,
} from './regression';

export { DEFAULT_WEIGHTS_DIR, generatorName, refinerName };

export interface ExportOptions {
  scale: 2 | 4;
  /** Trainer checkpoint. Default `<package>/checkpoints/x{scale}/checkpoint.dgw`. */
  checkpoint?: string;
  /** Output folder. Default `<package>/weights`. */
  out?: string;
  version?: string;
  /** the generator exported: fidelity (sr_generator_x{s}, default) or real (sr_real_x{s}) */
  model?: SrModel;
  /** the refiner's sampling temperature, recorded in its manifest (default 1) */
  temperature?: number;
}

interface CheckpointMeta {
  step?: number;
  savedAt?: string;
  meta?: {
    config?: Record<string, unknown>;
    data?: string[];
    command?: string;
    batch?: number;
    patch?: number;
    lr?: number;
    loss?: string;
    degradation?: string;
  };
}

/** Pulls the EMA generator weights out of a trainer checkpoint and saves them as shipped weights. */
export function exportGenerator(opts: ExportOptions): Manifest {
  const { scale } = opts;
  const ckpt = path.resolve(opts.checkpoint ?? path.resolve(__dirname, '..', 'checkpoints', `x${scale}`, 'checkpoint.dgw'));
  if (!fs.existsSync(ckpt)) throw new DiffganError(`checkpoint not found: ${ckpt}`);
  const { tensors, meta } = decodeTensors(fs.readFileSync(ckpt), ckpt);
  const m = meta as CheckpointMeta;
  const ema: TensorMap = new Map();
  for (const [k, v] of tensors) if (k.startsWith('g/ema/')) ema.set(k.slice('g/ema/'.length), { shape: v.shape, data: Float32Array.from(v.data) });
  if (ema.size === 0) throw new DiffganError(`${ckpt}: no EMA generator parameters (g/ema/*); was it trained with ema?`);
  const model = opts.model ?? 'fidelity';
  const spec = srGeneratorSpec(scale, model);
  checkAgainstSpec(spec, ema, ckpt);
  // ship only what the architecture uses, in the spec's order
  const weights: TensorMap = new Map(spec.params.map((p) => [p.name, ema.get(p.name)!]));
  const trainedCfg = m.meta?.config;
  if (trainedCfg && JSON.stringify(trainedCfg) !== JSON.stringify(SR_CONFIGS[scale])) {
    throw new DiffganError(`${ckpt}: trained with config ${JSON.stringify(trainedCfg)}, but x${scale} is ${JSON.stringify(SR_CONFIGS[scale])}`);
  }
  for (const [k, t] of weights) if (!t.data.every(Number.isFinite)) throw new DiffganError(`${ckpt}: parameter ${k} has non-finite values`);
  const steps = m.step ?? 0;
  const info = m.meta ?? {};
  const lrNote =
    model !== 'real'
      ? 'MATLAB bicubic LR'
      : info.degradation === 'second-order'
        ? "Real-ESRGAN's second-order degradation of HR crops, on the fly (degrade.ts)"
        : "HR crops degraded on the fly at a weak / standard first-order or Real-ESRGAN's second-order level, p 0.3 / 0.3 / 0.4 (degrade.ts degradeMixed)";
  return saveWeights(path.resolve(opts.out ?? DEFAULT_WEIGHTS_DIR), modelWeightsName(model, scale), spec, weights, {
    version: opts.version ?? `0.1.0+step${steps}`,
    config: { ...SR_CONFIGS[scale], input: 'RGB in [0, 1], NHWC', output: 'RGB in [0, 1] (unclamped), NHWC' },
    training: {
      data: (info.data ?? []).join(', ') + ` (${lrNote}; BSD200 302003.jpg excluded)`,
      command: info.command ?? 'unknown',
      steps,
      ...(m.savedAt ? { wallClock: `checkpoint saved ${m.savedAt}` } : {}),
      notes: `${info.loss ?? 'L1'} on ${info.patch ?? '?'}px LR patches, batch ${info.batch ?? '?'}, lr ${info.lr ?? '?'}; EMA 0.999 weights; exported from ${path.basename(path.dirname(ckpt))}/${path.basename(ckpt)}`,
    },
    metrics: {},
    licence: `MIT (weights trained by the diffgan project on ${(info.data ?? ['T91', 'BSD200']).map((d) => path.basename(d)).join(' + ')}; see shared/data/sr/README.md for data terms)`,
  });
}

/**
 * Pulls the refiner's EMA parameters (`g/ema/*` of a train-refiner checkpoint) out and saves
 * them as `sr_refiner_x{scale}` (or, for the real model's, `sr_real_refiner_x{scale}`), recording
 * which generator it was trained against.
 */
export function exportRefiner(opts: ExportOptions): Manifest {
  const { scale } = opts;
  const model = opts.model ?? 'fidelity';
  const folder = model === 'real' ? `real_refiner_x${scale}` : `refiner_x${scale}`;
  const ckpt = path.resolve(opts.checkpoint ?? path.resolve(__dirname, '..', 'checkpoints', folder, 'checkpoint.dgw'));
  if (!fs.existsSync(ckpt)) throw new DiffganError(`checkpoint not found: ${ckpt}`);
  const { tensors, meta } = decodeTensors(fs.readFileSync(ckpt), ckpt);
  const m = meta as CheckpointMeta & { meta?: { generator?: string } };
  const spec = refinerSpec(scale);
  const weights: TensorMap = new Map();
  for (const p of spec.params) {
    const t = tensors.get(`g/ema/${p.name}`);
    if (!t) throw new DiffganError(`${ckpt}: no EMA refiner parameter g/ema/${p.name}; is it a train-refiner checkpoint for x${scale}?`);
    if (t.shape.join('x') !== p.shape.join('x'))
      throw new DiffganError(`${ckpt}: '${p.name}' has shape [${t.shape}], the x${scale} refiner needs [${p.shape}]`);
    if (!t.data.every(Number.isFinite)) throw new DiffganError(`${ckpt}: parameter ${p.name} has non-finite values`);
    weights.set(p.name, { shape: t.shape, data: Float32Array.from(t.data) });
  }
  const steps = m.step ?? 0;
  const info = m.meta ?? {};
  // the generator it trained against (the run records its manifest's path from the working directory), else the one beside it
  const trainedAgainst = info.generator ? path.resolve(info.generator) : '';
  const genManifest = fs.existsSync(trainedAgainst)
    ? trainedAgainst
    : path.join(path.resolve(opts.out ?? DEFAULT_WEIGHTS_DIR), `${modelWeightsName(model, scale)}.manifest.json`);
  const gen = fs.existsSync(genManifest) ? (JSON.parse(fs.readFileSync(genManifest, 'utf8')) as Manifest) : undefined;
  // the folders the run trained on (checkpoints from before the recipe recorded them: its default, T91 + BSD200)
  const data = (info.data ?? ['T91', 'BSD200']).map((d) => path.basename(d));
  const lrNote = model === 'real' ? 'HR crops degraded on the fly as for the real generator: degrade.ts degradeMixed' : 'MATLAB bicubic LR';
  return saveWeights(path.resolve(opts.out ?? DEFAULT_WEIGHTS_DIR), refinerName(scale, model), spec, weights, {
    version: opts.version ?? `0.1.0+step${steps}`,
    config: {
      ...REFINER_CONFIG,
      T: REFINER_T,
      resScale: RES_SCALE,
      tEmbedScale: T_EMBED_SCALE,
      schedule: 'VP-SDE, T = 4',
      input: 'x: residual (HR - G(LR))·resScale at noise level t; cond: G(LR) in [-1, 1]; z: latent; t: index·tEmbedScale',
      generator: gen ? { version: gen.version, sha256: gen.weights.sha256 } : 'unknown',
      temperature: opts.temperature ?? 1,
    },
    training: {
      data: `${data.join(', ')} (${lrNote}; BSD200 302003.jpg excluded)`,
      command: info.command ?? 'unknown',
      steps,
      ...(m.savedAt ? { wallClock: `checkpoint saved ${m.savedAt}` } : {}),
      notes: `DiffGAN (denoising diffusion GAN) on the generator's residual, ${info.patch ?? '?'}px LR patches, batch ${info.batch ?? '?'}, lr ${info.lr ?? '?'}; nonsaturating GAN + L1 on the predicted residual; EMA 0.999 weights`,
    },
    metrics: {},
    licence: `MIT (weights trained by the diffgan project on ${data.join(' + ')}; see shared/data/sr/README.md for data terms)`,
  });
}

export { updateManifestMetrics } from '@diffgan/core-models';

/** The floor's `image`: the example, and for the real model the JPEG quality of its LR. */
const exampleLabel = (model: SrModel): string => {
  const image = path.relative(path.resolve(__dirname, '..'), EXAMPLE_IMAGE);
  return model === 'real' ? `${image}, LR at JPEG ${REAL_EXAMPLE_JPEG}` : image;
};

/** A floor entry of a measurement on the example (`psnr`, `bicubic`) of the weights of manifest `m`. */
const floorEntry = (r: { psnr: number; bicubic: number }, model: SrModel, m: Manifest): FloorEntry => ({
  floor: floorOf(r.psnr),
  measured: +r.psnr.toFixed(3),
  bicubic: +r.bicubic.toFixed(3),
  image: exampleLabel(model),
  step: m.training.steps,
  sha256: m.weights.sha256,
  measuredAt: new Date().toISOString(),
});

/** Measures the shipped refiner of `model` (manifest `m`) with its shipped generator on the example and stores its floor. */
export async function writeRefinerFloor(scale: 2 | 4, m: Manifest, model: SrModel = 'fidelity'): Promise<RefinerFloorEntry> {
  const r = await measureRefinerExample(scale, { model });
  const gen = JSON.parse(fs.readFileSync(path.join(DEFAULT_WEIGHTS_DIR, `${modelWeightsName(model, scale)}.manifest.json`), 'utf8')) as Manifest;
  const entry: RefinerFloorEntry = {
    ...floorEntry(r, model, m),
    refine: REFINER_EXAMPLE_STEPS,
    refine0: +r.refine0.toFixed(3),
    detail: +r.detail.toFixed(3),
    detailRefine0: +r.detailRefine0.toFixed(3),
    generatorSha256: gen.weights.sha256,
  };
  writeFloor(refinerFloorKey(scale, model), entry);
  return entry;
}

export const exportCommand = defineCommand({
  name: 'node dist/export.js',
  summary: "Writes a training checkpoint's EMA weights as the shipped weights (generator, or --refiner).",
  options: {
    scale: { type: 'integer', choices: [2, 4], default: 4, help: 'upscaling factor' },
    refiner: { type: 'boolean', help: 'export the refiner (default: the generator)' },
    model: {
      type: 'enum',
      choices: SR_MODELS,
      default: 'fidelity',
      help: 'the generator exported: fidelity (sr_generator_x<s>) or real (sr_real_x<s>); with --refiner, whose refiner',
    },
    checkpoint: {
      type: 'string',
      placeholder: 'FILE',
      help: "trainer checkpoint (default: this package's checkpoints/x<scale>/checkpoint.dgw,\nor checkpoints/[real_]refiner_x<scale>/checkpoint.dgw with --refiner)",
    },
    out: { type: 'string', placeholder: 'DIR', help: "weights folder (default: this package's weights/)" },
    version: { type: 'string', help: "the manifest's version (default 0.1.0+step<steps>)" },
    temperature: {
      type: 'number',
      min: 0,
      max: MAX_REFINER_TEMPERATURE,
      default: 1,
      help: 'with --refiner: the sampling temperature its manifest records (every draw of refine N is scaled by it)',
    },
    'no-floor': { type: 'boolean', help: 'do not reset the regression floor from the example image' },
  },
});

export async function main(argv: string[]): Promise<void> {
  const args = exportCommand.parse(argv);
  if (args.help) {
    process.stdout.write(exportCommand.help());
    return;
  }
  const scale = args.scale as 2 | 4;
  const model = args.model as SrModel;
  if (args.refiner) {
    const r = exportRefiner({ scale, model, checkpoint: args.checkpoint, out: args.out, version: args.version, temperature: args.temperature });
    const out = path.resolve(args.out ?? DEFAULT_WEIGHTS_DIR);
    process.stdout.write(`wrote ${path.join(out, r.weights.file)} (${r.weights.bytes} bytes, ${r.weights.params} params, step ${r.training.steps})\n`);
    if (!args['no-floor'] && out === DEFAULT_WEIGHTS_DIR) await writeShippedFloor(scale, model, r, true);
    return;
  }
  const m = exportGenerator({ scale, model, checkpoint: args.checkpoint, out: args.out, version: args.version });
  const out = path.resolve(args.out ?? DEFAULT_WEIGHTS_DIR);
  process.stdout.write(
    `wrote ${path.join(out, m.weights.file)} (${m.weights.bytes} bytes, ${m.weights.params} params, step ${m.training.steps}, sha256 ${m.weights.sha256.slice(0, 12)}…)\n`,
  );
  // the regression floor follows the shipped weights (only when exporting into them)
  if (!args['no-floor'] && out === DEFAULT_WEIGHTS_DIR) await writeShippedFloor(scale, model, m, false);
}

/**
 * Re-measures the regression floor of weights just exported into the shipped folder (a generator, or
 * with `refiner` its refiner) and prints it: export.js and the recipes' exports (`--out packages/image-sr/weights`) both do.
 */
export async function writeShippedFloor(scale: 2 | 4, model: SrModel, m: Manifest, refiner: boolean): Promise<void> {
  if (refiner) {
    const f = await writeRefinerFloor(scale, m, model);
    process.stdout.write(
      `example PSNR-Y x${scale} refine ${f.refine}: ${f.measured.toFixed(2)} dB (refine 0 ${f.refine0.toFixed(2)}, bicubic ${f.bicubic.toFixed(2)}), detail ${f.detail.toFixed(2)} (refine 0 ${f.detailRefine0.toFixed(2)}); regression floor set to ${f.floor.toFixed(2)} dB\n`,
    );
    return;
  }
  const r = await measureExample(scale, { weightsDir: DEFAULT_WEIGHTS_DIR, model });
  const entry = floorEntry(r, model, m);
  writeFloor(floorKey(scale, model), entry);
  process.stdout.write(
    `example PSNR-Y x${scale}${model === 'real' ? ` (real, LR at JPEG ${REAL_EXAMPLE_JPEG})` : ''}: ours ${r.psnr.toFixed(2)} dB, bicubic ${r.bicubic.toFixed(2)} dB; regression floor set to ${entry.floor.toFixed(2)} dB\n`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`sr export: ${e instanceof DiffganError ? e.message : e.stack}\n`);
    process.exit(1);
  });
}
