/**
 * The DGW1 weights container, decoded from plain bytes so that browsers (no Buffer, no
 * fs) read the very same files Node does. Layout: "DGW1", u32le header length, JSON
 * header { meta, tensors: [{ name, shape, offset, length }] }, then float32le data.
 */
import { DiffganError } from './errors';
import type { GraphSpec } from './graph';

export const DGW_MAGIC = 'DGW1';
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}
export type TensorMap = Map<string, NamedArray>;

/** A shipped model's description (`<name>.manifest.json`), next to its `<name>.dgw`. */
export interface Manifest {
  format: 'diffgan-weights/1';
  name: string;
  version: string;
  architecture: GraphSpec;
  config: Record<string, unknown>;
  training: {
    data: string;
    command: string;
    steps: number;
    wallClock?: string;
    notes?: string;
    /** a recipe's run (core-models recipe.ts): its name, the resolved config and the git commit it ran at */
    recipe?: string;
    config?: Record<string, unknown>;
    commit?: string;
  };
  metrics: Record<string, unknown>;
  licence?: string;
  weights: { file: string; bytes: number; sha256: string; params: number };
}

export function decodeTensorBytes(bytes: Uint8Array, source = 'weights'): { tensors: TensorMap; meta: Record<string, unknown> } {
  const ascii = (a: number, b: number) => String.fromCharCode(...bytes.subarray(a, b));
  if (bytes.length < 8 || ascii(0, 4) !== DGW_MAGIC) throw new DiffganError(`${source}: not a diffgan weights file`);
  const hlen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + hlen > bytes.length) throw new DiffganError(`${source}: truncated (header says ${hlen} bytes, file has ${bytes.length})`);
  let header: { meta: Record<string, unknown>; tensors: { name: string; shape: number[]; offset: number; length: number }[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hlen)));
  } catch {
    throw new DiffganError(`${source}: corrupt header`);
  }
  const base = 8 + hlen;
  const total = header.tensors.reduce((s, t) => Math.max(s, t.offset + t.length), 0);
  if (base + total * 4 > bytes.length) throw new DiffganError(`${source}: truncated (${bytes.length} bytes, needs ${base + total * 4})`);
  // copy into an aligned buffer: the file's data section need not be 4-byte aligned in memory
  // (the format is little-endian, like every platform tfjs and ORT run on)
  const all = new Float32Array(total);
  new Uint8Array(all.buffer).set(bytes.subarray(base, base + total * 4));
  const tensors: TensorMap = new Map();
  for (const t of header.tensors) tensors.set(t.name, { shape: t.shape, data: all.subarray(t.offset, t.offset + t.length) });
  return { tensors, meta: header.meta };
}

export function checkAgainstSpec(spec: GraphSpec, tensors: TensorMap, source: string): void {
  for (const p of spec.params) {
    const t = tensors.get(p.name);
    if (!t) throw new DiffganError(`${source}: parameter '${p.name}' missing for ${spec.name}`);
    if (t.shape.join('x') !== p.shape.join('x')) throw new DiffganError(`${source}: '${p.name}' has shape [${t.shape}], ${spec.name} needs [${p.shape}]`);
  }
}
