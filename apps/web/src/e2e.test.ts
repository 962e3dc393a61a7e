/**
 * The built page (apps/web/dist, `npm run build -w @diffgan/web`) in headless
 * Chromium, served by `sr serve`'s server: bad input, cancel, and an x4 upscale that must
 * equal the Node library's output. CHROMIUM_PATH picks the browser (default /usr/bin/chromium).
 */
import * as os from 'os';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { chromium, Browser, Page } from 'playwright-core';
import { upscale } from '@diffgan/image-sr';
import { startServer, RunningServer } from '../../../packages/image-sr/src/serve';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const WEB = path.join(ROOT, 'apps', 'web', 'dist');
const EXAMPLE = path.join(ROOT, 'packages', 'image-sr', 'examples', 'kodim23_crop128.png');
const SCREENSHOT = path.join(ROOT, '.ci', 'out', 'web-screenshot.png');
const WAIT = { timeout: 45_000 };

type RunState = 'idle' | 'running' | 'done' | 'error' | 'cancelled';
declare const window: { __diffgan: { state: RunState; message?: string; progress: { done: number; total: number }; result?: ImageData } };

let server: RunningServer;
let browser: Browser;
let page: Page;
/** Requests that left the test server (the page must work offline). */
const foreignRequests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(path.join(WEB, 'index.html'))) {
    throw new Error(`the web page is not built (${path.relative(ROOT, WEB)}/index.html missing): run npm run build -w @diffgan/web`);
  }
  server = await startServer({ root: WEB, port: 0 });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !/^(blob|data):/.test(r.url())) foreignRequests.push(r.url());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => window.__diffgan?.state === 'idle', undefined, WAIT);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const state = () => page.evaluate(() => window.__diffgan.state);
const waitForState = (...states: RunState[]) => page.waitForFunction((s) => s.includes(window.__diffgan.state), states, WAIT);

/** Chooses a file through the file input and waits until the page has decoded it. */
async function choose(name: string, buffer: Buffer, mimeType = 'image/png'): Promise<void> {
  await page.setInputFiles('#file-input', { name, mimeType, buffer });
  await page.waitForFunction((n) => document.getElementById('file-info')!.textContent!.startsWith(`${n} · `), name, WAIT);
}

const REFINER_X4 = fs.existsSync(path.join(WEB, 'weights', 'sr_refiner_x4.manifest.json'));

test('the page is cross-origin isolated (wasm threads) and offers refinement exactly when its weights ship', async () => {
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  if (REFINER_X4) {
    await page.waitForFunction(() => !(document.getElementById('refine') as HTMLInputElement).disabled, undefined, WAIT);
    expect(await page.isHidden('#refine-note')).toBe(true);
  } else {
    await page.waitForSelector('#refine-note:not([hidden])', WAIT);
    expect(await page.isDisabled('#refine')).toBe(true);
    expect(await page.textContent('#refine-note')).toMatch(/not shipped yet/);
  }
});

const REAL_X4 = fs.existsSync(path.join(WEB, 'weights', 'sr_real_x4.manifest.json'));

test('the page offers the real-photo model exactly when its weights ship (else a note, and the clean-image model runs)', async () => {
  const realInput = 'input[name="model"][value="real"]';
  if (REAL_X4) {
    await page.waitForFunction((sel) => !(document.querySelector(sel) as HTMLInputElement).disabled, realInput, WAIT);
    expect(await page.isHidden('#model-note')).toBe(true);
  } else {
    await page.waitForSelector('#model-note:not([hidden])', WAIT);
    expect(await page.isDisabled(realInput)).toBe(true);
    expect(await page.isChecked('input[name="model"][value="fidelity"]')).toBe(true);
    expect(await page.textContent('#model-note')).toBe('The real-photo model for x4 is not shipped yet: the clean-image model runs.');
  }
});

test('a JPEG says its quality; below 70 it selects the photo model where that ships (as sr --model auto), a PNG the clean-image one', async () => {
  await choose('q40.jpg', await sharp(EXAMPLE).jpeg({ quality: 40 }).toBuffer(), 'image/jpeg');
  await page.waitForFunction(() => /JPEG quality 40/.test(document.getElementById('file-info')!.textContent ?? ''), undefined, WAIT);
  expect(await page.textContent('#file-info')).toBe(`q40.jpg · 128x128 · JPEG quality 40${REAL_X4 ? ': the photo model is selected' : ''}`);
  expect(await page.isChecked(`input[name="model"][value="${REAL_X4 ? 'real' : 'fidelity'}"]`)).toBe(true);
  await choose('q95.jpg', await sharp(EXAMPLE).jpeg({ quality: 95 }).toBuffer(), 'image/jpeg');
  await page.waitForFunction(() => /JPEG quality 95/.test(document.getElementById('file-info')!.textContent ?? ''), undefined, WAIT);
  expect(await page.textContent('#file-info')).toBe('q95.jpg · 128x128 · JPEG quality 95');
  expect(await page.isChecked('input[name="model"][value="fidelity"]')).toBe(true);
});

test('a non-image file shows an error and the page stays usable', async () => {
  await page.setInputFiles('#file-input', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('this is not an image\n') });
  await waitForState('error');
  expect(await page.textContent('#message')).toMatch(/“notes\.png” is not an image/);
  expect(await page.getAttribute('#message', 'role')).toBe('alert');
  expect(await page.isDisabled('#upscale')).toBe(true);
});

test('an image over the pixel limit is refused before any work', async () => {
  // 1100x1000 at x4 would be a 4400x4000 result, over the page's 4096x4096 budget
  const big = await sharp({ create: { width: 1100, height: 1000, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
  await choose('big.png', big);
  await page.click('#upscale');
  await waitForState('error');
  expect(await page.textContent('#message')).toMatch(/1\.1 MP .*at x4 the page takes at most 1\.0 MP/);
});

test('Cancel stops a run between tiles', async () => {
  // 600x600 at x4 is 3x3 tiles of 256 px: cancel once the first tile is done
  const large = await sharp(EXAMPLE).resize(600, 600, { kernel: 'nearest' }).png().toBuffer();
  await choose('large.png', large);
  await page.click('#upscale');
  await page.waitForFunction(() => window.__diffgan.progress.done >= 1, undefined, WAIT);
  await page.click('#cancel');
  await waitForState('cancelled', 'done', 'error');
  expect(await state()).toBe('cancelled');
  const { done, total } = await page.evaluate(() => window.__diffgan.progress);
  expect(done).toBeLessThan(total);
  expect(await page.textContent('#message')).toMatch(/^Cancelled/);
  expect(await page.isHidden('#results')).toBe(true);
}, 60_000);

test('after the cancelled run, x4 of the example equals the Node output; compare view, crops and download', async () => {
  const node = await upscale(EXAMPLE, { scale: 4 });

  await choose('kodim23_crop128.png', fs.readFileSync(EXAMPLE));
  await page.click('#upscale');
  await waitForState('done', 'error', 'cancelled');
  expect(await page.evaluate(() => window.__diffgan.message ?? '')).toBe('');
  expect(await state()).toBe('done');
  expect(await page.textContent('#result-info')).toMatch(/^128x128 → 512x512 \(x4, clean-image model\) in \d+\.\d s$/);

  // the whole 512x512 result (a middle crop would do; the whole image is as cheap here)
  const browserRgba = await resultRgba();
  expect([node.width, node.height, node.channels]).toEqual([512, 512, 3]);
  expect(browserRgba.length).toBe(512 * 512 * 4);
  let maxDiff = 0,
    maxDiffMiddle = 0;
  for (let y = 0; y < 512; y++)
    for (let x = 0; x < 512; x++) {
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(browserRgba[(y * 512 + x) * 4 + c] - node.data[(y * 512 + x) * 3 + c]);
        maxDiff = Math.max(maxDiff, d);
        if (x >= 224 && x < 288 && y >= 224 && y < 288) maxDiffMiddle = Math.max(maxDiffMiddle, d);
      }
      expect(browserRgba[y * 512 * 4 + 3]).toBe(255);
    }
  process.stdout.write(`browser vs Node x4: max abs diff ${maxDiff}/255 (whole image), ${maxDiffMiddle}/255 (middle 64x64)\n`);
  expect(maxDiffMiddle).toBeLessThanOrEqual(1);
  expect(maxDiff).toBeLessThanOrEqual(1);

  // compare view: two canvases of the result's size, a working divider, three crops
  for (const id of ['#ours-canvas', '#bicubic-canvas']) {
    expect(await page.$eval(id, (c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height])).toEqual([512, 512]);
  }
  await page.fill('#compare-slider', '30');
  expect(await page.$eval('#compare', (e) => (e as HTMLElement).style.getPropertyValue('--split'))).toBe('30%');
  expect(await page.$$eval('#crops figure', (f) => f.length)).toBe(3);

  // download: named after the input, a PNG with the same pixels
  await page.waitForSelector('#download[href^="blob:"]', WAIT);
  const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.click('#download')]);
  expect(download.suggestedFilename()).toBe('kodim23_crop128_x4.png');
  const png = await sharp(await download.path())
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect([png.info.width, png.info.height]).toEqual([512, 512]);
  let pngDiff = 0;
  for (let i = 0; i < 512 * 512; i++) for (let c = 0; c < 3; c++) pngDiff = Math.max(pngDiff, Math.abs(png.data[i * 3 + c] - browserRgba[i * 4 + c]));
  expect(pngDiff).toBe(0);

  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
}, 60_000);

/** The page's last result as RGBA bytes. */
async function resultRgba(): Promise<Buffer> {
  return Buffer.from(
    await page.evaluate(() => {
      const { data } = window.__diffgan.result!;
      let s = '';
      for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode(...data.subarray(i, i + 0x8000));
      return btoa(s);
    }),
    'base64',
  );
}

(REAL_X4 ? test : test.skip)(
  'the real-photo model (x4) gives the Node output of model real, and the result says which model ran',
  async () => {
    const node = await upscale(EXAMPLE, { scale: 4, model: 'real' });
    await page.check('input[name="model"][value="real"]');
    await page.click('#upscale');
    await waitForState('done', 'error', 'cancelled');
    expect(await state()).toBe('done');
    expect(await page.textContent('#result-info')).toMatch(/\(x4, real-photo model\)/);
    const rgba = await resultRgba();
    let maxDiff = 0;
    for (let i = 0; i < 512 * 512; i++) for (let c = 0; c < 3; c++) maxDiff = Math.max(maxDiff, Math.abs(rgba[i * 4 + c] - node.data[i * 3 + c]));
    expect(maxDiff).toBeLessThanOrEqual(1);
    await page.check('input[name="model"][value="fidelity"]');
  },
  60_000,
);

(REFINER_X4 ? test : test.skip)(
  'with refinement (2 steps, seed 0) the page matches the Node output too',
  async () => {
    // the same refiner weights, the same noise (the seeded Rng is shared code), two runtimes
    const node = await upscale(EXAMPLE, { scale: 4, refine: 2, seed: 0 });
    await page.fill('#refine', '2');
    await page.click('#upscale');
    await waitForState('done', 'error', 'cancelled');
    expect(await state()).toBe('done');
    const rgba = await resultRgba();
    let maxDiff = 0,
      sum = 0;
    for (let i = 0; i < 512 * 512; i++)
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(rgba[i * 4 + c] - node.data[i * 3 + c]);
        maxDiff = Math.max(maxDiff, d);
        sum += d;
      }
    process.stdout.write(`browser vs Node x4 refine 2: max abs diff ${maxDiff}/255, mean ${(sum / (512 * 512 * 3)).toFixed(4)}\n`);
    expect(maxDiff).toBeLessThanOrEqual(2);
    expect(sum / (512 * 512 * 3)).toBeLessThan(0.05);
    await page.fill('#refine', '0');
  },
  90_000,
);

const REAL_REFINER_X4 = fs.existsSync(path.join(WEB, 'weights', 'sr_real_refiner_x4.manifest.json'));

(REAL_X4 && REAL_REFINER_X4 ? test : test.skip)(
  "the real-photo model refines with its own refiner (sr_real_refiner_x4): the page matches Node's model real, refine 2",
  async () => {
    const node = await upscale(EXAMPLE, { scale: 4, model: 'real', refine: 2, seed: 0 });
    await page.check('input[name="model"][value="real"]');
    await page.waitForFunction(() => !(document.getElementById('refine') as HTMLInputElement).disabled, undefined, WAIT);
    await page.fill('#refine', '2');
    await page.click('#upscale');
    await waitForState('done', 'error', 'cancelled');
    expect(await state()).toBe('done');
    const rgba = await resultRgba();
    let maxDiff = 0;
    for (let i = 0; i < 512 * 512; i++) for (let c = 0; c < 3; c++) maxDiff = Math.max(maxDiff, Math.abs(rgba[i * 4 + c] - node.data[i * 3 + c]));
    expect(maxDiff).toBeLessThanOrEqual(2);
    // the fidelity refiner on the real output would differ: the page did not borrow it
    const borrowed = await upscale(EXAMPLE, { scale: 4, model: 'real', refine: 2, seed: 0, weightsDir: borrowedRefinerDir() });
    let differ = 0;
    for (let i = 0; i < 512 * 512 * 3; i++) differ = Math.max(differ, Math.abs(borrowed.data[i] - node.data[i]));
    expect(differ).toBeGreaterThan(2);
    await page.fill('#refine', '0');
    await page.check('input[name="model"][value="fidelity"]');
  },
  90_000,
);

/** A weights folder where the real model's refiner is the fidelity one under the real one's name. */
function borrowedRefinerDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-borrowed-'));
  for (const f of fs.readdirSync(path.join(WEB, 'weights'))) fs.copyFileSync(path.join(WEB, 'weights', f), path.join(dir, f));
  const m = JSON.parse(fs.readFileSync(path.join(dir, 'sr_refiner_x4.manifest.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'sr_real_refiner_x4.manifest.json'), JSON.stringify({ ...m, name: 'sr_real_refiner_x4' }));
  return dir;
}

test('nothing was fetched from other hosts and the page threw no errors', () => {
  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});
