import * as fs from 'fs';
import * as path from 'path';
import { encodeTensors } from './weights';
import { decodeTensorBytes } from './codec';
import { DiffganError } from './errors';

test('decodeTensorBytes reads DGW1 from plain bytes at any alignment, as browsers get them', () => {
  const tensors = new Map([
    ['a', { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 4, 5, 6e-8]) }],
    ['b', { shape: [1], data: Float32Array.of(-0.25) }],
  ]);
  const buf = encodeTensors(tensors, { name: 'x' });
  for (const shift of [0, 1, 3]) {
    // a copy that starts `shift` bytes into its ArrayBuffer: the float data is then unaligned
    const host = new Uint8Array(buf.length + shift);
    host.set(buf, shift);
    const { tensors: back, meta } = decodeTensorBytes(host.subarray(shift), 'test');
    expect(meta).toEqual({ name: 'x' });
    expect(back.get('a')!.shape).toEqual([2, 3]);
    expect(Array.from(back.get('a')!.data)).toEqual(Array.from(tensors.get('a')!.data));
    expect(Array.from(back.get('b')!.data)).toEqual([-0.25]);
  }
  expect(() => decodeTensorBytes(new TextEncoder().encode('PNG....'), 'f')).toThrow(new DiffganError('f: not a diffgan weights file'));
  expect(() => decodeTensorBytes(new Uint8Array(buf.subarray(0, buf.length - 4)), 'f')).toThrow(/truncated/);
});

test('the portable entry (what browser bundles import) loads neither tfjs nor Node built-ins', () => {
  const src = (f: string) => fs.readFileSync(path.join(__dirname, f), 'utf8');
  const seen = new Set<string>();
  const banned: string[] = [];
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of src(file).matchAll(/^(?:import|export)\s(?!type\b)[^'"]*from\s+'([^']+)'/gm)) {
      const spec = m[1];
      if (spec.startsWith('.')) {
        const base = path.relative(__dirname, path.resolve(path.dirname(path.join(__dirname, file)), spec));
        walk(fs.existsSync(path.join(__dirname, base + '.ts')) ? base + '.ts' : path.join(base, 'index.ts'));
      } else if (spec !== 'onnx-proto') banned.push(`${file} imports ${spec}`);
    }
  };
  walk('portable.ts');
  expect(banned).toEqual([]);
  expect(seen.size).toBeGreaterThan(5);
});
