/**
 * MNIST from the original gzipped IDX files (shared/data/mnist), and the fixed split of the
 * 10,000 official test images used by the seed-table experiment.
 *
 * The split (documented in README.md, "Seed table"): per digit class, the test indices of
 * that class are shuffled with a seeded Fisher-Yates (Rng(SPLIT_SEED) from core-models, one
 * generator for all classes, classes in order 0..9) and the first q_c go to `reference`,
 * where q_c are the largest-remainder quotas of 2,000 · n_c / 10,000 (ties to the lower
 * class). The rest (8,000) is `train`. Both index lists are sorted ascending.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { createHash } from 'crypto';
import { DiffganError, Rng, requireDataRoot } from '@diffgan/core-models';

export interface MnistSet {
  /** n·28·28 pixels, 0..255, row-major image after image (HWC with C = 1). */
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

export const MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
} as const;

function readIdx(file: string, magic: number): { dims: number[]; data: Uint8Array } {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch {
    throw new DiffganError(`${file}: cannot read (is the MNIST data at ../shared/data/mnist?)`);
  }
  const buf = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  if (buf.length < 8 || buf.readUInt32BE(0) !== magic) throw new DiffganError(`${file}: not an IDX file with magic ${magic}`);
  const nd = magic & 0xff;
  const dims = Array.from({ length: nd }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const off = 4 + 4 * nd;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length < off + size) throw new DiffganError(`${file}: truncated (${buf.length} bytes, needs ${off + size})`);
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + off, size) };
}

/** The 28x28 grey datasets in MNIST's IDX format that the seed table and its classifiers use. */
export const DATASETS = ['mnist', 'fashion-mnist'] as const;
export type Dataset = (typeof DATASETS)[number];

/** A dataset's directory: `$DIFFGAN_DATA/<name>` or `<repo>/../shared/data/<name>`. */
export function datasetDir(name: Dataset = 'mnist'): string {
  return path.join(requireDataRoot(undefined, name), name);
}

export const DATASET_TITLE: Record<Dataset, string> = { mnist: 'MNIST', 'fashion-mnist': 'Fashion-MNIST' };
export const DATASET_LICENCE: Record<Dataset, string> = {
  mnist: 'MNIST, CC BY-SA 3.0 (LeCun, Cortes, Burges)',
  'fashion-mnist': 'Fashion-MNIST, MIT (Zalando Research: Xiao, Rasul, Vollgraf)',
};

/** The MNIST directory: `$DIFFGAN_DATA/mnist` or `<repo>/../shared/data/mnist`. */
export const mnistDir = (): string => datasetDir('mnist');

const cache = new Map<string, MnistSet>();

/** Loads the official 'train' (60,000) or 'test' (10,000) set. Cached per process. */
export function loadMnist(which: 'train' | 'test', dir = mnistDir()): MnistSet {
  const key = `${dir}:${which}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const img = readIdx(path.join(dir, MNIST_FILES[which].images), 2051);
  const lab = readIdx(path.join(dir, MNIST_FILES[which].labels), 2049);
  if (img.dims[0] !== lab.dims[0]) throw new DiffganError(`MNIST ${which}: ${img.dims[0]} images but ${lab.dims[0]} labels`);
  const set = { pixels: img.data, labels: lab.data, count: img.dims[0], rows: img.dims[1], cols: img.dims[2] };
  cache.set(key, set);
  return set;
}

export const SPLIT_SEED = 20241;
export const REFERENCE_SIZE = 2000;

export interface MnistSplit {
  train: Int32Array;
  reference: Int32Array;
  seed: number;
  referencePerClass: number[];
  sha256: string;
}

/** The documented split of the 10,000 test images into 8,000 train / 2,000 reference indices. */
export function seedTableSplit(labels: Uint8Array, referenceSize = REFERENCE_SIZE, seed = SPLIT_SEED): MnistSplit {
  const n = labels.length;
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < n; i++) byClass[labels[i]].push(i);
  const exact = byClass.map((c) => (referenceSize * c.length) / n);
  const quota = exact.map(Math.floor);
  let left = referenceSize - quota.reduce((a, b) => a + b, 0);
  const order = exact.map((e, c) => ({ c, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (const { c } of order) {
    if (left-- <= 0) break;
    quota[c]++;
  }
  const rng = new Rng(seed);
  const ref: number[] = [];
  byClass.forEach((idx, c) => {
    const a = idx.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    ref.push(...a.slice(0, quota[c]));
  });
  const isRef = new Uint8Array(n);
  for (const i of ref) isRef[i] = 1;
  const reference = Int32Array.from(ref).sort();
  const train = Int32Array.from({ length: n - reference.length }, () => 0);
  for (let i = 0, k = 0; i < n; i++) if (!isRef[i]) train[k++] = i;
  const sha256 = createHash('sha256').update(Buffer.from(reference.buffer)).digest('hex');
  return { train, reference, seed, referencePerClass: quota, sha256 };
}

/**
 * Images `idx` of a set as one NHWC float batch in [-1, 1] (x/127.5 − 1), optionally padded
 * with background (−1) to `size`×`size` (e.g. 32).
 */
export function toFloatBatch(set: Pick<MnistSet, 'pixels' | 'rows' | 'cols'>, idx: ArrayLike<number>, size?: number): Float32Array {
  const h = set.rows,
    w = set.cols,
    s = size ?? h,
    off = (s - h) >> 1;
  const out = new Float32Array(idx.length * s * s).fill(-1);
  for (let k = 0; k < idx.length; k++) {
    const src = idx[k] * h * w,
      dst = k * s * s;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[dst + (y + off) * s + x + off] = set.pixels[src + y * w + x] / 127.5 - 1;
  }
  return out;
}

/** The experiment's data: 8,000 train and 2,000 reference test images (of `dir`'s dataset, default MNIST), in [-1, 1]. */
export function seedTableData(dir?: string): {
  train: Float32Array;
  reference: Float32Array;
  split: MnistSplit;
  trainLabels: Uint8Array;
  referenceLabels: Uint8Array;
} {
  const test = loadMnist('test', dir);
  const split = seedTableSplit(test.labels);
  return {
    train: toFloatBatch(test, split.train),
    reference: toFloatBatch(test, split.reference),
    split,
    trainLabels: Uint8Array.from(split.train, (i) => test.labels[i]),
    referenceLabels: Uint8Array.from(split.reference, (i) => test.labels[i]),
  };
}
