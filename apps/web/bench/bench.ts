/**
 * The browser benchmark's page: our upscaler (onnxruntime-web) and UpscalerJS esrgan-slim
 * (tfjs on its default browser backend), both called the way their users call them, on
 * the same LR images. scripts/bench.mjs drives it with Playwright and scores the PNGs.
 */
import { createUpscaler, toPngBlob, BrowserUpscaler } from '@diffgan/image-sr';
import * as tf from '@tensorflow/tfjs';
import Upscaler from 'upscaler';
import slimX4 from '@upscalerjs/esrgan-slim/4x';

async function loadImageData(url: string): Promise<ImageData> {
  const bmp = await createImageBitmap(await (await fetch(url)).blob(), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  const c = new OffscreenCanvas(bmp.width, bmp.height);
  const ctx = c.getContext('2d')!;
  ctx.drawImage(bmp, 0, 0);
  return ctx.getImageData(0, 0, bmp.width, bmp.height);
}

const toDataUrl = (b: Blob): Promise<string> =>
  new Promise((resolve) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result as string);
    r.readAsDataURL(b);
  });

// the model files are served beside the page (no CDN: the benchmark runs offline)
const slim = new Upscaler({ model: { ...slimX4, path: './models/esrgan-slim/x4/model.json' } });
// ours held the same way: created on the warm-up call, reused by the timed ones
let ours: Promise<BrowserUpscaler> | undefined;
const oursUpscaler = (): Promise<BrowserUpscaler> => (ours ??= createUpscaler({ scale: 4 }));

interface Result {
  seconds: number;
  png: string;
}

const bench = {
  async ours(url: string): Promise<Result> {
    const img = await loadImageData(url);
    const sr = await oursUpscaler();
    const t0 = performance.now();
    const out = await sr.upscale(img);
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, png: await toDataUrl(await toPngBlob(out)) };
  },
  async slim(url: string): Promise<Result> {
    const img = await loadImageData(url);
    const t0 = performance.now();
    const input = tf.browser.fromPixels(img);
    const out = (await slim.upscale(input, { output: 'tensor' })) as tf.Tensor3D;
    const data = await out.data(); // include the download: a user needs the pixels
    const seconds = (performance.now() - t0) / 1000;
    input.dispose();
    const [h, w] = out.shape;
    out.dispose();
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let p = 0; p < w * h; p++) {
      rgba[p * 4] = data[p * 3];
      rgba[p * 4 + 1] = data[p * 3 + 1];
      rgba[p * 4 + 2] = data[p * 3 + 2];
      rgba[p * 4 + 3] = 255;
    }
    return { seconds, png: await toDataUrl(await toPngBlob(new ImageData(rgba, w, h))) };
  },
  async info() {
    return {
      ours: (await oursUpscaler()).runtimeInfo,
      tfjs: { backend: tf.getBackend(), version: tf.version.tfjs },
      crossOriginIsolated: globalThis.crossOriginIsolated,
      cores: navigator.hardwareConcurrency,
      userAgent: navigator.userAgent,
    };
  },
};
(window as unknown as { bench: typeof bench }).bench = bench;
await tf.ready();
(window as unknown as { benchReady: boolean }).benchReady = true;
