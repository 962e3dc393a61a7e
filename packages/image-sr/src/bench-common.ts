/**
 * What the main bench table (bench.ts) and the degraded-input table (bench-degraded.ts) share: the
 * evaluation sets, the UpscalerJS rows and the PSNR/SSIM columns.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DiffganError, findDataRoot } from '@diffgan/core-models';
import { readImage, PixelImage } from '@diffgan/image';
import type { ColumnSpec } from '@diffgan/core-models';
import type { Scale } from './upscale';
export type Img = PixelImage<Uint8Array>;
export type Method = {
  key: string;
  label: string;
  runtime: string;
  run: (lr: Img, scale: Scale) => Promise<Img>;
  warm?: (lr: Img, scale: Scale) => Promise<void>;
};

export interface ImageResult {
  set: string;
  image: string;
  scale: number;
  method: string;
  psnr: number;
  ssim: number;
  detail: number;
  seconds: number;
}
export interface Row {
  scale: string;
  method: string;
  runtime: string;
  detail?: number;
  set5Psnr?: number;
  set5Ssim?: number;
  set14Psnr?: number;
  set14Ssim?: number;
  set5Sec?: number;
  set14Sec?: number;
  vsSlim?: string;
  note?: string;
}

export const PKG = path.resolve(__dirname, '..');

/**
 * The project's tfjs (the one core-models initialised with the wasm backend). This
 * package's own node_modules holds tfjs 4.11 (pulled in as UpscalerJS's peer
 * dependency); a plain require('@tensorflow/tfjs') from here would load that second
 * copy, whose layers would not run on our wasm backend.
 */
export function projectTfjs(): typeof import('@tensorflow/tfjs') {
  const load: (m: string) => unknown = require;
  return load(require.resolve('@tensorflow/tfjs', { paths: [path.dirname(require.resolve('@diffgan/core-models'))] })) as typeof import('@tensorflow/tfjs');
}

export interface UpscalerDef {
  scale: number;
  inputRange: [number, number];
  outputRange: [number, number];
  setup?: (tf: unknown) => void;
  meta: { architecture: string };
}

/** Loads an UpscalerJS layers model from its package files (model.json + shards) through an fs-backed IOHandler. */
export async function loadUpscalerJs(
  tfl: typeof import('@tensorflow/tfjs'),
  pkg: string,
  scale: Scale,
): Promise<{ model: import('@tensorflow/tfjs').LayersModel; def: UpscalerDef } | null> {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [PKG] }));
  } catch {
    // the package's "exports" hides package.json; find the folder from the main entry
    try {
      const main = require.resolve(pkg, { paths: [PKG] });
      pkgDir = main.slice(0, main.indexOf(path.join('node_modules', pkg)) + path.join('node_modules', pkg).length);
    } catch {
      return null;
    }
  }
  const modelJson = path.join(pkgDir, 'models', `x${scale}`, 'model.json');
  if (!fs.existsSync(modelJson)) return null;
  const load: (m: string) => unknown = require;
  const defMod = load(require.resolve(`${pkg}/${scale}x`, { paths: [PKG] })) as UpscalerDef | { default: UpscalerDef };
  const def = ('default' in defMod ? defMod.default : defMod) as UpscalerDef;
  def.setup?.(tfl); // registers custom layers (MultiplyBeta, PixelShuffle4x) for the RRDN models
  const json = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const dir = path.dirname(modelJson);
  const weightSpecs = json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
  const shards = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const handler: import('@tensorflow/tfjs').io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs,
      weightData,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
    }),
  };
  const model = await tfl.loadLayersModel(handler);
  return { model, def };
}

export function upscalerJsMethod(
  tfl: typeof import('@tensorflow/tfjs'),
  key: string,
  models: Map<Scale, { model: import('@tensorflow/tfjs').LayersModel; def: UpscalerDef }>,
): Method {
  const run = async (lr: Img, scale: Scale): Promise<Img> => {
    const m = models.get(scale);
    if (!m) throw new Error(`${key} has no x${scale} model`);
    const [i0, i1] = m.def.inputRange,
      [o0, o1] = m.def.outputRange;
    const out = tfl.tidy(() => {
      const x = tfl
        .tensor4d(Float32Array.from(lr.data), [1, lr.height, lr.width, 3])
        .div(255 / (i1 - i0))
        .add(i0);
      const y = m.model.predict(x) as import('@tensorflow/tfjs').Tensor4D;
      return y
        .sub(o0)
        .mul(255 / (o1 - o0))
        .clipByValue(0, 255)
        .round();
    });
    const data = await out.data();
    const [, h, w] = out.shape;
    out.dispose();
    return { data: Uint8Array.from(data), width: w, height: h, channels: 3 };
  };
  return { key, label: key, runtime: 'tfjs-wasm', run };
}

export async function loadSet(dir: string): Promise<{ name: string; img: Img }[]> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(png|jpe?g|bmp|webp)$/i.test(f))
    .sort();
  const out = [];
  for (const f of files) out.push({ name: f, img: (await readImage(path.join(dir, f))) as Img });
  return out;
}

export const f2 = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : '');
const f4 = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : '');
export const f3 = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : '');

/** The PSNR-Y / SSIM-Y columns of the sets a run measured (the main and the degraded tables). */
export function setMetricColumns<R extends { set5Psnr?: number; set5Ssim?: number; set14Psnr?: number; set14Ssim?: number }>(sets: string[]): ColumnSpec<R>[] {
  return [
    ...(sets.includes('Set5')
      ? [
          { key: 'set5Psnr' as const, title: 'Set5 PSNR-Y', format: f2, align: 'right' as const },
          { key: 'set5Ssim' as const, title: 'Set5 SSIM-Y', format: f4, align: 'right' as const },
        ]
      : []),
    ...(sets.includes('Set14')
      ? [
          { key: 'set14Psnr' as const, title: 'Set14 PSNR-Y', format: f2, align: 'right' as const },
          { key: 'set14Ssim' as const, title: 'Set14 SSIM-Y', format: f4, align: 'right' as const },
        ]
      : []),
  ];
}

/** Set5 (and Set14 unless quick) from --data or the data root, each image loaded. */
export async function evalSets(
  data: string | undefined,
  quick: boolean,
): Promise<{ setNames: string[]; sets: { name: string; images: { name: string; img: Img }[] }[] }> {
  const dataArg = data ?? findDataRoot();
  const evalDir = dataArg && [path.join(dataArg, 'sr', 'eval'), path.join(dataArg, 'eval'), dataArg].find((d) => fs.existsSync(path.join(d, 'Set5')));
  if (!evalDir) {
    throw new DiffganError(
      `Set5/Set14 not found${dataArg ? ` under ${dataArg}` : ''}: pass --data DIR (the data root holding sr/eval/Set5 and sr/eval/Set14, or that eval folder) or set DIFFGAN_DATA`,
    );
  }
  const setNames = (quick ? ['Set5'] : ['Set5', 'Set14']).filter((s) => {
    const ok = fs.existsSync(path.join(evalDir, s));
    if (!ok) process.stderr.write(`bench: ${s} not found in ${evalDir}, skipped\n`);
    return ok;
  });
  const sets = await Promise.all(setNames.map(async (s) => ({ name: s, images: await loadSet(path.join(evalDir, s)) })));
  return { setNames, sets };
}
