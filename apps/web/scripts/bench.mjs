#!/usr/bin/env node
/**
 * Browser benchmark (not a test): seconds per Set5 image x4 in headless Chromium, our
 * upscaler on onnxruntime-web vs UpscalerJS esrgan-slim on tfjs (its default browser
 * backend), in the same browser session, methods interleaved image by image, one warm-up
 * call each. PSNR/SSIM on Y with 4 px shaved, under the SR protocol of
 * shared/data/sr/README.md (the same as `npm run bench -w @diffgan/image-sr`).
 *
 *   npm run bench -w @diffgan/web -- [--data DIR] [--repeats N] [--out BASE] [--chromium PATH]
 *
 * Writes packages/image-sr/bench/browser.{md,json} and prints the markdown.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { packageDir, ORT_FILES } from './package-files.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, '..');
const core = require('@diffgan/core-models');
const evalLib = require('@diffgan/eval');
const imageLib = require('@diffgan/image');
const { startServer } = require('@diffgan/image-sr');
const { chromium } = require('playwright-core');
const { build } = await import('vite');

const HELP = `npm run bench -w @diffgan/web -- [options]
  --data DIR       data root holding sr/eval/Set5 (default ../shared/data or DIFFGAN_DATA)
  --repeats N      timed calls per image and method, best kept (default 1)
  --out BASE       results path without extension (default packages/image-sr/bench/browser)
  --chromium PATH  browser binary (default /usr/bin/chromium or CHROMIUM_PATH)
`;

function fail(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(1);
}

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    repeats: { type: 'string', default: '1' },
    out: { type: 'string' },
    chromium: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const repeats = Number(args.repeats);
if (!(Number.isInteger(repeats) && repeats >= 1)) fail(`invalid --repeats ${args.repeats}`);
const dataRoot = args.data ?? core.findDataRoot();
const set5 =
  dataRoot && [path.join(dataRoot, 'sr', 'eval', 'Set5'), path.join(dataRoot, 'eval', 'Set5'), path.join(dataRoot, 'Set5')].find((d) => fs.existsSync(d));
if (!set5) fail(`Set5 not found${dataRoot ? ` under ${dataRoot}` : ''}: pass --data DIR (the data root holding sr/eval/Set5) or set DIFFGAN_DATA`);
const executablePath = args.chromium ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) fail(`no browser at ${executablePath}: apt-get install chromium, or pass --chromium PATH`);
const outBase = path.resolve(args.out ?? path.join(webDir, '..', '..', 'packages', 'image-sr', 'bench', 'browser'));

// 1. the page, built into a temporary folder with everything it fetches beside it
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diffgan-web-bench-'));
process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
await build({
  configFile: false,
  root: path.join(webDir, 'bench'),
  base: './',
  logLevel: 'warn',
  build: { outDir: root, emptyOutDir: true, target: 'es2022' },
});
const copyDir = (from, to, keep = () => true) => {
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) {
    const src = path.join(from, f);
    if (fs.statSync(src).isDirectory()) copyDir(src, path.join(to, f), keep);
    else if (keep(f)) fs.copyFileSync(src, path.join(to, f));
  }
};
copyDir(path.join(packageDir('@diffgan/image-sr'), 'weights'), path.join(root, 'weights'));
copyDir(path.join(packageDir('onnxruntime-web'), 'dist'), path.join(root, 'ort'), (f) => ORT_FILES.test(f));
copyDir(path.join(packageDir('@upscalerjs/esrgan-slim'), 'models', 'x4'), path.join(root, 'models', 'esrgan-slim', 'x4'));

// 2. the LR inputs, made in Node exactly as the Node bench makes them
const images = [];
fs.mkdirSync(path.join(root, 'lr'));
for (const f of fs
  .readdirSync(set5)
  .filter((n) => /\.(png|bmp|jpe?g)$/i.test(n))
  .sort()) {
  const { hr, lr } = evalLib.makeSrPair(await imageLib.readImage(path.join(set5, f)), 4);
  const url = `lr/${path.parse(f).name}.png`;
  await imageLib.writePng(path.join(root, url), lr);
  images.push({ name: f, hr, lr, url });
}

// 3. one browser session; methods interleaved image by image
const server = await startServer({ root, port: 0 });
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
const results = [];
let info;
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  await page.goto(server.url);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 120_000 });
  const call = (method, url) => page.evaluate(([m, u]) => window.bench[m](u), [method, url]);
  const methods = ['ours', 'slim'];
  for (const m of methods) {
    process.stderr.write(`warm-up ${m}\n`);
    await call(m, images[0].url);
  }
  info = await page.evaluate(() => window.bench.info());
  for (const im of images) {
    for (const m of methods) {
      let best;
      for (let r = 0; r < repeats; r++) {
        const res = await call(m, im.url);
        if (!best || res.seconds < best.seconds) best = res;
      }
      const sr = imageLib.toRgb(await imageLib.readImage(Buffer.from(best.png.split(',')[1], 'base64')));
      const psnr = evalLib.psnrY(sr, im.hr, 4),
        ssim = evalLib.ssimY(sr, im.hr, 4);
      results.push({ image: im.name, method: m, seconds: best.seconds, psnr, ssim });
      process.stderr.write(`${im.name} ${m}: ${best.seconds.toFixed(3)} s, ${psnr.toFixed(2)} dB\n`);
    }
    const bic = evalLib.bicubicUpscale(im.lr, 4);
    results.push({ image: im.name, method: 'bicubic', seconds: NaN, psnr: evalLib.psnrY(bic, im.hr, 4), ssim: evalLib.ssimY(bic, im.hr, 4) });
  }
} finally {
  await browser.close();
  await server.close();
}

// 4. one table
const of = (m) => results.filter((r) => r.method === m);
const slimSec = mean(of('slim').map((r) => r.seconds));
const rows = [
  {
    method: 'bicubic (MATLAB imresize, reference)',
    runtime: 'Node',
    psnr: mean(of('bicubic').map((r) => r.psnr)),
    ssim: mean(of('bicubic').map((r) => r.ssim)),
    seconds: undefined,
    vsSlim: '',
  },
  {
    method: 'ours, refine 0',
    runtime: `onnxruntime-web ${info.ours.backend}, ${info.ours.threads} thread(s)`,
    psnr: mean(of('ours').map((r) => r.psnr)),
    ssim: mean(of('ours').map((r) => r.ssim)),
    seconds: mean(of('ours').map((r) => r.seconds)),
  },
  {
    method: 'UpscalerJS esrgan-slim',
    runtime: `tfjs ${info.tfjs.version} ${info.tfjs.backend}`,
    psnr: mean(of('slim').map((r) => r.psnr)),
    ssim: mean(of('slim').map((r) => r.ssim)),
    seconds: slimSec,
  },
];
for (const r of rows) if (r.seconds !== undefined) r.vsSlim = `${(slimSec / r.seconds).toFixed(2)}x`;
const md = evalLib.markdownTable(rows, [
  { key: 'method', title: 'Set5 x4, headless Chromium' },
  { key: 'runtime', title: 'runtime' },
  { key: 'psnr', title: 'PSNR (dB)', digits: 2 },
  { key: 'ssim', title: 'SSIM', digits: 4 },
  { key: 'seconds', title: 's / image', digits: 3, align: 'right' },
  { key: 'vsSlim', title: 'speed vs esrgan-slim', align: 'right' },
]);
const browserName = /Chrome\/[\d.]+/.exec(info.userAgent)?.[0] ?? info.userAgent;
const note = `${browserName} headless, ${info.cores} cores, crossOriginIsolated=${info.crossOriginIsolated}; ${images.length} Set5 images, one warm-up call per method, ${repeats > 1 ? `best of ${repeats}` : 'one timed call'} per image, methods interleaved; times include reading the input pixels and getting the output pixels back.`;
const text = `${md}\n${note}\n`;
fs.mkdirSync(path.dirname(outBase), { recursive: true });
fs.writeFileSync(`${outBase}.md`, text);
await evalLib.writeJson(`${outBase}.json`, { date: new Date().toISOString(), info, repeats, rows, results });
process.stdout.write(text);
