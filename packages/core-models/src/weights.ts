/**
 * Weights and checkpoints: one binary container ("DGW1" + JSON header + float32 data),
 * plus a JSON manifest for shipped weights (architecture, config, data, command, steps,
 * metrics, sha256). Bad files give one-line DiffganErrors, never a crash deep in tfjs.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DiffganError } from './errors';
import { GraphSpec } from './graph';

import { DGW_MAGIC as MAGIC, decodeTensorBytes, checkAgainstSpec, TensorMap } from './codec';
export type { NamedArray, TensorMap, Manifest } from './codec';
import type { Manifest } from './codec';
import { writeFileAtomic } from './temp-files';
export { checkAgainstSpec };

export function encodeTensors(tensors: TensorMap, meta: Record<string, unknown> = {}): Buffer {
  const entries: { name: string; shape: number[]; offset: number; length: number }[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (expected !== t.data.length) throw new Error(`tensor ${name}: shape [${t.shape}] does not match ${t.data.length} values`);
    entries.push({ name, shape: t.shape, offset, length: t.data.length });
    offset += t.data.length;
  }
  const header = Buffer.from(JSON.stringify({ meta, tensors: entries }), 'utf8');
  const pad = (4 - ((8 + header.length) % 4)) % 4;
  const out = Buffer.alloc(8 + header.length + pad + offset * 4);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32LE(header.length + pad, 4);
  header.copy(out, 8);
  out.fill(0x20, 8 + header.length, 8 + header.length + pad);
  const base = 8 + header.length + pad;
  for (const e of entries) {
    const t = tensors.get(e.name)!;
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, base + e.offset * 4);
  }
  return out;
}

export function decodeTensors(buf: Buffer | Uint8Array, source = 'weights'): { tensors: TensorMap; meta: Record<string, unknown> } {
  return decodeTensorBytes(buf, source);
}

export function sha256(buf: Buffer | Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Saves `<dir>/<name>.dgw` and `<dir>/<name>.manifest.json`. */
export function saveWeights(
  dir: string,
  name: string,
  spec: GraphSpec,
  weights: TensorMap,
  info: Omit<Manifest, 'format' | 'name' | 'architecture' | 'weights'>,
): Manifest {
  fs.mkdirSync(dir, { recursive: true });
  const buf = encodeTensors(weights, { name });
  const file = `${name}.dgw`;
  writeFileAtomic(path.join(dir, file), buf);
  const params = [...weights.values()].reduce((s, t) => s + t.data.length, 0);
  const manifest: Manifest = {
    format: 'diffgan-weights/1',
    name,
    architecture: spec,
    ...info,
    weights: { file, bytes: buf.length, sha256: sha256(buf), params },
  };
  writeFileAtomic(path.join(dir, `${name}.manifest.json`), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Loads and verifies (sha256, names, shapes) weights described by a manifest file. */
export function loadWeights(manifestPath: string): { manifest: Manifest; weights: TensorMap } {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new DiffganError(`cannot read weights manifest ${manifestPath}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (manifest.format !== 'diffgan-weights/1') throw new DiffganError(`${manifestPath}: not a diffgan weights manifest`);
  const file = path.join(path.dirname(manifestPath), manifest.weights.file);
  if (!fs.existsSync(file)) throw new DiffganError(`weights file missing: ${file}`);
  const buf = fs.readFileSync(file);
  if (buf.length !== manifest.weights.bytes)
    throw new DiffganError(`${file}: ${buf.length} bytes, manifest says ${manifest.weights.bytes} (truncated or replaced)`);
  if (sha256(buf) !== manifest.weights.sha256) throw new DiffganError(`${file}: sha256 does not match the manifest (corrupt or replaced)`);
  const { tensors } = decodeTensors(buf, file);
  checkAgainstSpec(manifest.architecture, tensors, file);
  return { manifest, weights: tensors };
}

/**
 * Replaces (or with `merge`, extends) the `metrics` of a weights manifest, atomically. The
 * sha256 covers the weights file only, so it stays valid; the weights are verified first
 * (loadWeights) so a stale manifest (weights re-exported since) is not decorated with old numbers.
 */
export function updateManifestMetrics(manifestPath: string, metrics: Record<string, unknown>, opts: { merge?: boolean } = {}): Manifest {
  const { manifest } = loadWeights(manifestPath);
  manifest.metrics = opts.merge ? { ...manifest.metrics, ...metrics } : metrics;
  writeFileAtomic(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
