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

const MAGIC = 'DGW1';
export interface NamedArray { shape: number[]; data: Float32Array }
export type TensorMap = Map<string, NamedArray>;

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

export function decodeTensors(buf: Buffer, source = 'weights'): { tensors: TensorMap; meta: Record<string, unknown> } {
  if (buf.length < 8 || buf.toString('ascii', 0, 4) !== MAGIC) throw new DiffganError(`${source}: not a diffgan weights file`);
  const hlen = buf.readUInt32LE(4);
  if (8 + hlen > buf.length) throw new DiffganError(`${source}: truncated (header says ${hlen} bytes, file has ${buf.length})`);
  let header: { meta: Record<string, unknown>; tensors: { name: string; shape: number[]; offset: number; length: number }[] };
  try { header = JSON.parse(buf.toString('utf8', 8, 8 + hlen)); } catch { throw new DiffganError(`${source}: corrupt header`); }
  const base = 8 + hlen;
  const total = header.tensors.reduce((s, t) => Math.max(s, t.offset + t.length), 0);
  if (base + total * 4 > buf.length) throw new DiffganError(`${source}: truncated (${buf.length} bytes, needs ${base + total * 4})`);
  // copy into an aligned buffer: the file's data section need not be 4-byte aligned in memory
  const all = new Float32Array(total);
  Buffer.from(all.buffer).set(buf.subarray(base, base + total * 4));
  const tensors: TensorMap = new Map();
  for (const t of header.tensors) tensors.set(t.name, { shape: t.shape, data: all.subarray(t.offset, t.offset + t.length) });
  return { tensors, meta: header.meta };
}

export function sha256(buf: Buffer | Uint8Array): string { return createHash('sha256').update(buf).digest('hex'); }

/** Writes next to the target and renames, so a crash never leaves a half-written file. */
export function writeFileAtomic(file: string, data: Buffer | Uint8Array | string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export interface Manifest {
  format: 'diffgan-weights/1';
  name: string;
  version: string;
  architecture: GraphSpec;
  config: Record<string, unknown>;
  training: { data: string; command: string; steps: number; wallClock?: string; notes?: string };
  metrics: Record<string, unknown>;
  licence?: string;
  weights: { file: string; bytes: number; sha256: string; params: number };
}

/** Saves `<dir>/<name>.dgw` and `<dir>/<name>.manifest.json`. */
export function saveWeights(dir: string, name: string, spec: GraphSpec, weights: TensorMap,
  info: Omit<Manifest, 'format' | 'name' | 'architecture' | 'weights'>): Manifest {
  fs.mkdirSync(dir, { recursive: true });
  const buf = encodeTensors(weights, { name });
  const file = `${name}.dgw`;
  writeFileAtomic(path.join(dir, file), buf);
  const params = [...weights.values()].reduce((s, t) => s + t.data.length, 0);
  const manifest: Manifest = { format: 'diffgan-weights/1', name, architecture: spec, ...info, weights: { file, bytes: buf.length, sha256: sha256(buf), params } };
  writeFileAtomic(path.join(dir, `${name}.manifest.json`), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Loads and verifies (sha256, names, shapes) weights described by a manifest file. */
export function loadWeights(manifestPath: string): { manifest: Manifest; weights: TensorMap } {
  let manifest: Manifest;
  try { manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')); } catch (e) {
    throw new DiffganError(`cannot read weights manifest ${manifestPath}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (manifest.format !== 'diffgan-weights/1') throw new DiffganError(`${manifestPath}: not a diffgan weights manifest`);
  const file = path.join(path.dirname(manifestPath), manifest.weights.file);
  if (!fs.existsSync(file)) throw new DiffganError(`weights file missing: ${file}`);
  const buf = fs.readFileSync(file);
  if (buf.length !== manifest.weights.bytes) throw new DiffganError(`${file}: ${buf.length} bytes, manifest says ${manifest.weights.bytes} (truncated or replaced)`);
  if (sha256(buf) !== manifest.weights.sha256) throw new DiffganError(`${file}: sha256 does not match the manifest (corrupt or replaced)`);
  const { tensors } = decodeTensors(buf, file);
  checkAgainstSpec(manifest.architecture, tensors, file);
  return { manifest, weights: tensors };
}

export function checkAgainstSpec(spec: GraphSpec, tensors: TensorMap, source: string): void {
  for (const p of spec.params) {
    const t = tensors.get(p.name);
    if (!t) throw new DiffganError(`${source}: parameter '${p.name}' missing for ${spec.name}`);
    if (t.shape.join('x') !== p.shape.join('x')) throw new DiffganError(`${source}: '${p.name}' has shape [${t.shape}], ${spec.name} needs [${p.shape}]`);
  }
}
