/** Where installed packages live, and which of their files the page serves (shared by vite.config.ts and bench.mjs). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** onnxruntime-web's files the default import loads (the JSEP build: wasm + WebGPU). */
export const ORT_FILES = /^ort-wasm-simd-threaded\.jsep\.(wasm|mjs)$/;

/** The folder of an installed package, found the way Node resolves it (hoisted or not; its package.json may be hidden by "exports"). */
export function packageDir(name) {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === name) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of ${name}`);
    dir = parent;
  }
}
