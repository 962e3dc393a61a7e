import * as fs from 'fs';
import { findDataRoot } from '@diffgan/core-models';
import { datasetDir, seedTableData } from './mnist';
import { FeatureExtractor, classifierManifestPath, FEATURE_DIM } from './classifier';
import { fid, kid, precisionRecall, FeatureSet } from './distribution';
import { Rng } from '@diffgan/core-models';

const root = findDataRoot();
const d = root ? describe : describe.skip;
if (!root) console.warn('classifier feature tests skipped: no shared data (set DIFFGAN_DATA)');

const N = 500;
const SIGMAS = [0.1, 0.3, 0.6, 1.0];

d('MNIST feature classifier: FID/KID/PR on its features', () => {
  let fx: FeatureExtractor;
  let ref: Float32Array, labels: Uint8Array;
  let a: FeatureSet, b: FeatureSet, noisy: FeatureSet[], noise: FeatureSet;
  const slice = (f: FeatureSet, k: number): FeatureSet => ({ data: f.data.subarray(k * N * f.dim, (k + 1) * N * f.dim), count: N, dim: f.dim });

  beforeAll(async () => {
    fx = await FeatureExtractor.load();
    const data = seedTableData();
    ref = data.reference;
    labels = data.referenceLabels;
    // interleaved halves (even / odd positions of the sorted reference indices). A contiguous
    // split would put mostly test indices < 5000 (NIST SD-3 writers) in one half and > 5000
    // (SD-1) in the other, which really are different distributions (KID clearly > 0).
    const batch = new Float32Array((2 + SIGMAS.length + 1) * N * 784);
    for (let i = 0; i < N; i++) for (const k of [0, 1]) batch.set(ref.subarray((2 * i + k) * 784, (2 * i + k + 1) * 784), (k * N + i) * 784);
    const half1 = batch.subarray(N * 784, 2 * N * 784);
    SIGMAS.forEach((sigma, s) => {
      const z = new Rng(3 + s).normalArray(N * 784),
        off = (2 + s) * N * 784;
      for (let i = 0; i < N * 784; i++) batch[off + i] = Math.max(-1, Math.min(1, half1[i] + sigma * z[i]));
    });
    const z = new Rng(9).normalArray(N * 784),
      off = (2 + SIGMAS.length) * N * 784;
    for (let i = 0; i < N * 784; i++) batch[off + i] = Math.max(-1, Math.min(1, z[i]));
    const all = await fx.features(batch);
    [a, b] = [slice(all, 0), slice(all, 1)];
    noisy = SIGMAS.map((_, s) => slice(all, 2 + s));
    noise = slice(all, 2 + SIGMAS.length);
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  test('shipped manifest states >= 98.5% accuracy on the 10k test images; reference split agrees', async () => {
    const m = JSON.parse(fs.readFileSync(classifierManifestPath(), 'utf8'));
    expect(m.metrics.testAccuracy).toBeGreaterThanOrEqual(0.985);
    expect(m.config.featureDim).toBe(FEATURE_DIM);
    expect(await fx.accuracy(ref.subarray(0, 1000 * 784), labels.subarray(0, 1000))).toBeGreaterThanOrEqual(0.98);
  });

  test('FID(x, x) ~ 0; two disjoint reference halves are close; FID grows with added noise', () => {
    expect(a.dim).toBe(FEATURE_DIM);
    const halves = fid(a, b);
    expect(fid(a, a)).toBeLessThan(1e-6 * (1 + halves));
    const byNoise = noisy.map((f) => fid(a, f));
    for (let i = 1; i < byNoise.length; i++) expect(byNoise[i]).toBeGreaterThan(byNoise[i - 1]);
    expect(halves).toBeLessThan(byNoise[0]);
    expect(halves * 10).toBeLessThan(byNoise[byNoise.length - 1]);
  });

  test('KID is ~0 on split halves (unbiased) and clearly positive against noised images', () => {
    const same = kid(a, b, { subsets: 10, subsetSize: 400 });
    const other = kid(a, noisy[2], { subsets: 10, subsetSize: 400 });
    expect(Math.abs(same.mean)).toBeLessThan(3 * same.std + 1e-12);
    expect(other.mean).toBeGreaterThan(20 * Math.abs(same.mean));
  });

  test('precision/recall: halves overlap, noise falls off the manifold', () => {
    const pr = precisionRecall(a, b);
    expect(pr.precision).toBeGreaterThan(0.6);
    expect(pr.recall).toBeGreaterThan(0.6);
    expect(precisionRecall(a, noise).precision).toBeLessThan(0.05);
  });
});

d('Fashion-MNIST feature classifier (the second seed-table dataset)', () => {
  test('shipped weights: same architecture as the MNIST one, its manifest accuracy is what the reference split measures', async () => {
    const m = JSON.parse(fs.readFileSync(classifierManifestPath('fashion-mnist'), 'utf8'));
    expect(m.name).toBe('fashion-mnist-classifier');
    expect(m.metrics.testSet).toMatch(/^Fashion-MNIST official t10k/);
    expect(m.training.command).toBe('diffgan train fashion-mnist-classifier --config packages/eval/configs/fashion-mnist-classifier.json --workers 1');
    expect(m.metrics.testAccuracy).toBeGreaterThanOrEqual(0.88); // clothes are harder than digits: ~90% for a net this size
    const fx = await FeatureExtractor.load(classifierManifestPath('fashion-mnist'));
    try {
      const data = seedTableData(datasetDir('fashion-mnist'));
      // the reference split is part of t10k, so its accuracy is close to the manifest's
      const acc = await fx.accuracy(data.reference.subarray(0, 1000 * 784), data.referenceLabels.subarray(0, 1000));
      expect(Math.abs(acc - m.metrics.testAccuracy)).toBeLessThan(0.03);
      // and it is not the MNIST classifier under another name: digits are not clothes
      const digits = seedTableData();
      expect(await fx.accuracy(digits.reference.subarray(0, 1000 * 784), digits.referenceLabels.subarray(0, 1000))).toBeLessThan(0.5);
    } finally {
      await fx.dispose();
    }
  });
});
