import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { srNet } from './architectures';
import { saveWeights, loadWeights, encodeTensors, decodeTensors, updateManifestMetrics } from './weights';
import { initParam } from './model';
import { Rng } from './rng';
import { DiffganError } from './errors';

const spec = srNet({ scale: 2, channels: 8, blocks: 1 });
const weights = () => new Map(spec.params.map((p) => [p.name, { shape: p.shape, data: initParam(p, new Rng(1)) }]));
const info = { version: '0.1.0', config: {}, training: { data: 'test', command: 'test', steps: 0 }, metrics: { psnr: 1 } };

test('save → load round trip, manifest records sha256 and params', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'w-'));
  const w = weights();
  const m = saveWeights(dir, 'tiny', spec, w, info);
  expect(m.weights.params).toBe(spec.params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0));
  const { weights: back, manifest } = loadWeights(path.join(dir, 'tiny.manifest.json'));
  expect(manifest.metrics).toEqual({ psnr: 1 });
  for (const [k, v] of w) expect(Array.from(back.get(k)!.data)).toEqual(Array.from(v.data));
});

test('truncated, corrupted or mismatched files give one-line DiffganErrors', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'w-'));
  saveWeights(dir, 'tiny', spec, weights(), info);
  const file = path.join(dir, 'tiny.dgw'),
    man = path.join(dir, 'tiny.manifest.json');
  const good = fs.readFileSync(file);
  fs.writeFileSync(file, good.subarray(0, good.length - 100));
  expect(() => loadWeights(man)).toThrow(DiffganError);
  expect(() => loadWeights(man)).toThrow(/truncated/);
  const bad = Buffer.from(good);
  bad[bad.length - 1] ^= 0xff;
  fs.writeFileSync(file, bad);
  expect(() => loadWeights(man)).toThrow(/sha256/);
  expect(() => decodeTensors(good.subarray(0, 50), 'x')).toThrow(/truncated|corrupt/);
  expect(() => decodeTensors(Buffer.from('hello world'), 'x')).toThrow(/not a diffgan weights file/);
  // a manifest whose architecture needs shapes the file does not have
  fs.writeFileSync(file, good);
  const other = JSON.parse(fs.readFileSync(man, 'utf8'));
  other.architecture = srNet({ scale: 2, channels: 16, blocks: 1 });
  fs.writeFileSync(man, JSON.stringify(other));
  expect(() => loadWeights(man)).toThrow(/has shape/);
  for (const f of [() => loadWeights(man)]) {
    try {
      f();
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  }
});

test('tensor container preserves names, shapes and values', () => {
  const t = new Map([
    ['a', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
    ['b.c', { shape: [1], data: Float32Array.from([-7.5]) }],
  ]);
  const { tensors, meta } = decodeTensors(encodeTensors(t, { step: 3 }));
  expect(meta).toEqual({ step: 3 });
  expect(Array.from(tensors.get('a')!.data)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(tensors.get('b.c')!.shape).toEqual([1]);
});

test('updateManifestMetrics replaces or merges metrics, keeps the weights loadable, refuses a stale manifest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'w-'));
  saveWeights(dir, 'tiny', spec, weights(), info);
  const mf = path.join(dir, 'tiny.manifest.json');
  updateManifestMetrics(mf, { Set5_x2_psnr_y: 33.1 });
  updateManifestMetrics(mf, { Set14_x2_psnr_y: 29.9 }, { merge: true });
  expect(loadWeights(mf).manifest.metrics).toEqual({ Set5_x2_psnr_y: 33.1, Set14_x2_psnr_y: 29.9 });
  const before = fs.readFileSync(mf, 'utf8');
  updateManifestMetrics(mf, { Set14_x2_psnr_y: 29.9 }, { merge: true });
  expect(fs.readFileSync(mf, 'utf8')).toBe(before); // same numbers, same bytes: re-runs leave git clean
  const dgw = path.join(dir, 'tiny.dgw'),
    bytes = fs.readFileSync(dgw);
  bytes[bytes.length - 1] ^= 1; // same length, other weights: as if re-exported since
  fs.writeFileSync(dgw, bytes);
  expect(() => updateManifestMetrics(mf, {})).toThrow(/sha256/);
  expect(fs.readFileSync(mf, 'utf8')).toBe(before);
});
