/**
 * The page is built into dist/ here: the @diffgan/web package, which `sr serve` serves (not
 * @diffgan/image-sr's tarball: the page carries 32 MB of wasm and weights that Node users do not need).
 * Everything it loads at run time ships with it, so it works offline once loaded:
 *   weights/  the generator (and refiner, when shipped) weights and manifests
 *   ort/      onnxruntime-web's wasm binaries and their loader modules
 * The same files are served by `vite dev` from where they are installed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { packageDir, ORT_FILES } from './scripts/package-files.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const IMAGE_SR_DIR = packageDir('@diffgan/image-sr');
const OUT_DIR = path.join(here, 'dist');

/** URL path inside the page (e.g. "ort/ort-wasm-simd-threaded.wasm") → file on disk. */
function shippedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const add = (urlDir: string, dir: string, pattern: RegExp) => {
    const names = fs.readdirSync(dir).filter((f) => pattern.test(f));
    if (names.length === 0) throw new Error(`no files matching ${pattern} in ${dir}`);
    for (const f of names) files.set(`${urlDir}/${f}`, path.join(dir, f));
  };
  add('weights', path.join(IMAGE_SR_DIR, 'weights'), /\.(manifest\.json|dgw)$/);
  add('ort', path.join(packageDir('onnxruntime-web'), 'dist'), ORT_FILES);
  return files;
}

const MIME: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.dgw': 'application/octet-stream',
};

/**
 * Cross-origin isolation (SharedArrayBuffer) lets onnxruntime-web run multi-threaded
 * wasm; `sr serve` sends the same headers.
 */
const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

function shipRuntimeFiles(): Plugin {
  let files: Map<string, string>;
  return {
    name: 'diffgan-ship-runtime-files',
    buildStart() {
      files = shippedFiles();
    },
    configureServer(server) {
      files = shippedFiles();
      server.middlewares.use((req, res, next) => {
        const file = files.get(decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\/+/, ''));
        if (!file) return next();
        res.writeHead(200, {
          ...ISOLATION_HEADERS,
          'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
          'Content-Length': fs.statSync(file).size,
        });
        fs.createReadStream(file).pipe(res);
      });
    },
    writeBundle(options) {
      for (const [rel, file] of files) {
        const dest = path.join(options.dir ?? OUT_DIR, rel);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.copyFileSync(file, dest);
      }
    },
  };
}

export default defineConfig({
  root: here,
  // relative URLs: the built page works from any path (sr serve, a subfolder, file hosting)
  base: './',
  plugins: [shipRuntimeFiles()],
  resolve: {
    // onnxruntime-web's build that loads its wasm glue from wasmPaths (our ort/); the default
    // build embeds the glue and makes Vite emit a second, unused 28 MB copy of the wasm
    conditions: [...defaultClientConditions, 'onnxruntime-web-use-extern-wasm'],
  },
  // pre-bundling would move onnxruntime-web away from the files it locates via import.meta.url
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  // the upscaler runs in a module worker (it imports onnxruntime-web, which loads more code)
  worker: { format: 'es' },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    // the runtime wasm is large by nature; the app code itself is small
    chunkSizeWarningLimit: 1024,
  },
});
