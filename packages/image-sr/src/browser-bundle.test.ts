import * as fs from 'fs';
import * as path from 'path';

// dist/browser.mjs is built by the root `npm run build` (run by `npm ci`'s prepare)
const bundle = path.join(__dirname, '..', 'dist', 'browser.mjs');

test('the browser bundle imports only onnxruntime-web and carries no Node or tfjs code', () => {
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build`);
  const code = fs.readFileSync(bundle, 'utf8');
  const imports = [...code.matchAll(/^import\s[^'"]*from\s*["']([^"']+)["']/gm)].map((m) => m[1]);
  expect(new Set(imports)).toEqual(new Set(['onnxruntime-web']));
  for (const bad of ['@tensorflow', 'sharp', 'node:fs', 'require("fs")', 'require("path")', 'onnxruntime-node']) expect(code.includes(bad) ? bad : '').toBe('');
  // the public API of the contract
  for (const name of ['createUpscaler', 'upscale', 'bicubicUpscale', 'refinerAvailable', 'generatorAvailable', 'toPngBlob', 'DiffganError'])
    expect(code).toMatch(new RegExp(`export\\s*\\{[^}]*\\b${name}\\b`));
});
