import { findDataRoot } from '@diffgan/core-models';
import { loadMnist, seedTableSplit, toFloatBatch, SPLIT_SEED } from './mnist';

const root = findDataRoot();
const d = root ? describe : describe.skip;
if (!root) console.warn('mnist tests skipped: no shared data (set DIFFGAN_DATA)');

d('MNIST IDX loader', () => {
  test('official test set: 10,000 28x28 images, first labels 7 2 1 0 4, standard histogram', () => {
    const t = loadMnist('test');
    expect([t.count, t.rows, t.cols]).toEqual([10000, 28, 28]);
    expect(Array.from(t.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    const hist = new Array(10).fill(0);
    for (const l of t.labels) hist[l]++;
    expect(hist).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // the first image is a 7: ink in the middle rows, background in the corners
    expect(t.pixels[0]).toBe(0);
    expect(Math.max(...t.pixels.subarray(8 * 28, 20 * 28))).toBe(255);
  });
  test('train set: 60,000 images, first labels 5 0 4 1 9', () => {
    const t = loadMnist('train');
    expect(t.count).toBe(60000);
    expect(Array.from(t.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });
  test('the seed-table split: 8,000 / 2,000, disjoint, stratified, reproducible', () => {
    const t = loadMnist('test');
    const s = seedTableSplit(t.labels);
    expect(s.seed).toBe(SPLIT_SEED);
    expect(s.train.length).toBe(8000);
    expect(s.reference.length).toBe(2000);
    const all = new Set([...s.train, ...s.reference]);
    expect(all.size).toBe(10000);
    expect(s.referencePerClass).toEqual([196, 227, 206, 202, 196, 178, 192, 206, 195, 202]);
    const hist = new Array(10).fill(0);
    for (const i of s.reference) hist[t.labels[i]]++;
    expect(hist).toEqual(s.referencePerClass);
    expect(seedTableSplit(t.labels).sha256).toBe(s.sha256);
    expect(s.sha256).toBe(SPLIT_SHA256);
  });
  test('float batches are in [-1, 1] and can be padded', () => {
    const t = loadMnist('test');
    const x = toFloatBatch(t, [0, 1]);
    expect(x.length).toBe(2 * 784);
    expect(Math.min(...x)).toBe(-1);
    expect(Math.max(...x)).toBeLessThanOrEqual(1);
    const p = toFloatBatch(t, [0], 32);
    expect(p.length).toBe(1024);
    expect(p[2 * 32 + 2 + 7 * 32 + 10]).toBeCloseTo(x[7 * 28 + 10], 6);
  });
});

/** sha256 of the sorted reference indices (Int32 little-endian); README "Seed table" quotes it. */
const SPLIT_SHA256 = '2cb5f1161fa93b9ba0d384616ce8c5c841cca441f11ac858046ed8074096c41b';
