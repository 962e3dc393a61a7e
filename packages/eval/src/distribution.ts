import { Rng } from '@diffgan/core-models';
import { sqrtPsd, symmetricEigen } from './symmetric-eigen';

/**
 * Distribution metrics between two sets of feature vectors (e.g. embeddings
 * of real and generated images): FID, KID and k-NN precision/recall.
 */

/** `count` feature vectors of length `dim`, stored row after row. */
export interface FeatureSet {
  data: Float32Array | Float64Array;
  count: number;
  dim: number;
}

/** Packs equal-length vectors into a FeatureSet (Float64). */
export function toFeatureSet(rows: ArrayLike<ArrayLike<number>>): FeatureSet {
  const count = rows.length;
  if (count === 0) throw new Error('toFeatureSet: no rows');
  const dim = rows[0].length;
  const data = new Float64Array(count * dim);
  for (let i = 0; i < count; i++) {
    const r = rows[i];
    if (r.length !== dim) throw new Error(`toFeatureSet: row ${i} has length ${r.length}, expected ${dim}`);
    for (let j = 0; j < dim; j++) data[i * dim + j] = r[j];
  }
  return { data, count, dim };
}

function assertFeatureSet(f: FeatureSet, what: string, minCount = 1): void {
  if (f.data.length !== f.count * f.dim || f.dim < 1) throw new Error(`${what}: data length ${f.data.length} != ${f.count} x ${f.dim}`);
  if (f.count < minCount) throw new Error(`${what}: need at least ${minCount} vectors, got ${f.count}`);
}

export interface GaussianStats {
  dim: number;
  mean: Float64Array;
  /** dim x dim row-major, unbiased (divides by count - 1, as numpy.cov). */
  covariance: Float64Array;
}

/** Mean and unbiased covariance of a feature set, accumulated in Float64. */
export function gaussianStats(features: FeatureSet): GaussianStats {
  assertFeatureSet(features, 'gaussianStats', 2);
  const { data, count, dim } = features;
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) mean[j] += data[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= count;
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < dim; j++) centred[j] = data[i * dim + j] - mean[j];
    for (let j = 0; j < dim; j++) {
      const cj = centred[j];
      const row = j * dim;
      for (let k = j; k < dim; k++) cov[row + k] += cj * centred[k];
    }
  }
  for (let j = 0; j < dim; j++) {
    for (let k = j; k < dim; k++) {
      const v = cov[j * dim + k] / (count - 1);
      cov[j * dim + k] = cov[k * dim + j] = v;
    }
  }
  return { dim, mean, covariance: cov };
}

/**
 * Fréchet distance between N(mu1, C1) and N(mu2, C2):
 * |mu1 - mu2|² + tr C1 + tr C2 - 2 tr sqrt(C1 C2).
 * tr sqrt(C1 C2) is computed as tr sqrt(S C2 S) with S = sqrt(C1): that
 * matrix is symmetric PSD with the same eigenvalues as C1 C2, so a symmetric
 * eigensolver suffices and no complex arithmetic creeps in (the scipy sqrtm
 * route used by pytorch-fid can return small imaginary parts).
 */
export function frechetDistance(a: GaussianStats, b: GaussianStats): number {
  if (a.dim !== b.dim) throw new Error(`frechetDistance: dims differ (${a.dim} vs ${b.dim})`);
  const n = a.dim;
  let meanTerm = 0;
  for (let i = 0; i < n; i++) meanTerm += (a.mean[i] - b.mean[i]) ** 2;
  let traceA = 0;
  let traceB = 0;
  for (let i = 0; i < n; i++) {
    traceA += a.covariance[i * n + i];
    traceB += b.covariance[i * n + i];
  }
  const s = sqrtPsd(a.covariance, n);
  const m = multiply(multiply(s, b.covariance, n), s, n);
  const { values } = symmetricEigen(m, n);
  let traceSqrt = 0;
  for (let i = 0; i < n; i++) traceSqrt += Math.sqrt(Math.max(values[i], 0));
  // Rounding can leave a tiny negative result for identical inputs; a distance is >= 0.
  return Math.max(meanTerm + traceA + traceB - 2 * traceSqrt, 0);
}

function multiply(x: Float64Array, y: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const xik = x[i * n + k];
      if (xik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += xik * y[k * n + j];
    }
  }
  return out;
}

/** FID between two feature sets (Heusel et al. 2017), on whatever features are passed in. */
export function fid(a: FeatureSet, b: FeatureSet): number {
  if (a.dim !== b.dim) throw new Error(`fid: dims differ (${a.dim} vs ${b.dim})`);
  return frechetDistance(gaussianStats(a), gaussianStats(b));
}

export interface KidOptions {
  /** Number of random subset pairs averaged. Default 100 (as torch-fidelity / clean-fid). */
  subsets?: number;
  /** Vectors per subset, capped at the smaller set size. Default 1000. */
  subsetSize?: number;
  /** Seed for subset sampling. Default 0. */
  seed?: number;
}

export interface KidResult {
  /** Mean of the per-subset unbiased MMD² estimates. */
  mean: number;
  /** Standard deviation over subsets. */
  std: number;
  perSubset: number[];
}

/**
 * Kernel Inception Distance (Bińkowski et al. 2018): unbiased MMD² with the
 * cubic polynomial kernel k(x, y) = (x·y / dim + 1)³, averaged over random
 * subsets. Unbiased means its expectation is 0 when both sets come from the
 * same distribution, so small negative values are normal.
 * Cost is about subsets x subsetSize² x dim x 2 multiply-adds.
 */
export function kid(a: FeatureSet, b: FeatureSet, opts: KidOptions = {}): KidResult {
  assertFeatureSet(a, 'kid first set', 2);
  assertFeatureSet(b, 'kid second set', 2);
  if (a.dim !== b.dim) throw new Error(`kid: dims differ (${a.dim} vs ${b.dim})`);
  const dim = a.dim;
  const m = Math.min(opts.subsetSize ?? 1000, a.count, b.count);
  if (m < 2) throw new Error('kid: subsetSize must be at least 2');
  const subsets = opts.subsets ?? 100;
  const rng = new Rng(opts.seed ?? 0);
  const x = new Float64Array(m * dim);
  const y = new Float64Array(m * dim);
  const perSubset: number[] = [];
  for (let s = 0; s < subsets; s++) {
    gatherRows(a, sampleWithoutReplacement(a.count, m, rng), x);
    gatherRows(b, sampleWithoutReplacement(b.count, m, rng), y);
    const kxx = offDiagonalKernelSum(x, m, dim);
    const kyy = offDiagonalKernelSum(y, m, dim);
    let kxy = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) kxy += polyKernel(x, i, y, j, dim);
    perSubset.push((kxx + kyy) / (m * (m - 1)) - (2 * kxy) / (m * m));
  }
  const mean = perSubset.reduce((p, v) => p + v, 0) / subsets;
  const variance = perSubset.reduce((p, v) => p + (v - mean) ** 2, 0) / subsets;
  return { mean, std: Math.sqrt(variance), perSubset };
}

/** `count` distinct indices from [0, n), uniformly, via a partial Fisher-Yates shuffle. */
export function sampleWithoutReplacement(n: number, count: number, rng: Rng): Int32Array {
  if (count > n) throw new Error(`sampleWithoutReplacement: count ${count} > n ${n}`);
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, count);
}

function gatherRows(f: FeatureSet, rows: Int32Array, out: Float64Array): void {
  const d = f.dim;
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < d; j++) out[i * d + j] = f.data[rows[i] * d + j];
}

function polyKernel(x: Float64Array, i: number, y: Float64Array, j: number, dim: number): number {
  let dot = 0;
  const xo = i * dim;
  const yo = j * dim;
  for (let k = 0; k < dim; k++) dot += x[xo + k] * y[yo + k];
  const v = dot / dim + 1;
  return v * v * v;
}

/** Sum of k(x_i, x_j) over i != j, using symmetry to halve the work. */
function offDiagonalKernelSum(x: Float64Array, m: number, dim: number): number {
  let sum = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) sum += polyKernel(x, i, x, j, dim);
  return 2 * sum;
}

export interface PrecisionRecall {
  /** Fraction of generated vectors inside the real manifold. */
  precision: number;
  /** Fraction of real vectors inside the generated manifold. */
  recall: number;
}

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019). Each set's
 * manifold is the union of balls around its vectors with radius = distance
 * to the k-th nearest other vector of the same set. Precision is the share of
 * `generated` inside the real manifold, recall the share of `real` inside the
 * generated manifold. Brute force, O(n² · dim).
 */
export function precisionRecall(real: FeatureSet, generated: FeatureSet, opts: { k?: number } = {}): PrecisionRecall {
  const k = opts.k ?? 3;
  assertFeatureSet(real, 'precisionRecall real', k + 1);
  assertFeatureSet(generated, 'precisionRecall generated', k + 1);
  if (real.dim !== generated.dim) throw new Error(`precisionRecall: dims differ (${real.dim} vs ${generated.dim})`);
  const realRadii = kthNeighbourSquaredDistances(real, k);
  const generatedRadii = kthNeighbourSquaredDistances(generated, k);
  return {
    precision: shareInsideManifold(generated, real, realRadii),
    recall: shareInsideManifold(real, generated, generatedRadii),
  };
}

function squaredDistance(a: FeatureSet, i: number, b: FeatureSet, j: number): number {
  const d = a.dim;
  const ad = a.data;
  const bd = b.data;
  const ao = i * d;
  const bo = j * d;
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = ad[ao + t] - bd[bo + t];
    s += diff * diff;
  }
  return s;
}

/** For every vector, the squared distance to its k-th nearest other vector in the same set. */
export function kthNeighbourSquaredDistances(f: FeatureSet, k: number): Float64Array {
  const n = f.count;
  const out = new Float64Array(n);
  // Running k smallest distances per vector, ascending; each pair's distance
  // is computed once and offered to both ends.
  const best = Array.from({ length: n }, () => new Float64Array(k).fill(Infinity));
  const offer = (list: Float64Array, v: number) => {
    if (v >= list[k - 1]) return;
    let p = k - 1;
    while (p > 0 && list[p - 1] > v) {
      list[p] = list[p - 1];
      p--;
    }
    list[p] = v;
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = squaredDistance(f, i, f, j);
      offer(best[i], d);
      offer(best[j], d);
    }
  }
  for (let i = 0; i < n; i++) out[i] = best[i][k - 1];
  return out;
}

function shareInsideManifold(points: FeatureSet, manifold: FeatureSet, radii: Float64Array): number {
  let inside = 0;
  for (let i = 0; i < points.count; i++) {
    for (let j = 0; j < manifold.count; j++) {
      if (squaredDistance(points, i, manifold, j) <= radii[j]) {
        inside++;
        break;
      }
    }
  }
  return inside / points.count;
}
