/**
 * The page: pick or drop an image, upscale it with @diffgan/image-sr's browser entry (in a
 * worker, see upscaler.ts), compare with bicubic (before/after slider and magnified crops),
 * download the PNG. State for tests and curious users lives in `window.__diffgan`.
 */
import { AUTO_HEAD_BYTES, autoModel, mostDetailedRegions } from '@diffgan/image-sr/browser';
import type { Region } from '@diffgan/image-sr/browser';
import { upscaleInWorker, refinerAvailable, generatorAvailable, RuntimeInfo, Scale, SrModel } from './upscaler';
import './style.css';

type RunState = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

interface PageState {
  state: RunState;
  message?: string;
  /** Tiles of the current (or last) run. */
  progress: { done: number; total: number };
  /** The last upscaled image (ours) and its bicubic counterpart. */
  result?: ImageData;
  bicubic?: ImageData;
  seconds?: number;
}

declare global {
  interface Window {
    __diffgan: PageState;
  }
}

/**
 * Outputs above 4096x4096 are refused: the page holds the result and the bicubic image as
 * canvases and ImageData (4 bytes per pixel each), which is what a tab can afford.
 */
const MAX_OUTPUT_PIXELS = 4096 * 4096;
const inputPixelLimit = (scale: Scale) => Math.floor(MAX_OUTPUT_PIXELS / (scale * scale));

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  dropZone: byId<HTMLLabelElement>('drop-zone'),
  fileInput: byId<HTMLInputElement>('file-input'),
  fileInfo: byId<HTMLSpanElement>('file-info'),
  scaleInputs: Array.from(document.querySelectorAll<HTMLInputElement>('input[name="scale"]')),
  modelInputs: Array.from(document.querySelectorAll<HTMLInputElement>('input[name="model"]')),
  modelNote: byId<HTMLParagraphElement>('model-note'),
  refine: byId<HTMLInputElement>('refine'),
  refineValue: byId<HTMLOutputElement>('refine-value'),
  refineNote: byId<HTMLParagraphElement>('refine-note'),
  upscale: byId<HTMLButtonElement>('upscale'),
  cancel: byId<HTMLButtonElement>('cancel'),
  progressRow: byId<HTMLDivElement>('progress-row'),
  progress: byId<HTMLProgressElement>('progress'),
  progressText: byId<HTMLSpanElement>('progress-text'),
  message: byId<HTMLParagraphElement>('message'),
  results: byId<HTMLElement>('results'),
  resultInfo: byId<HTMLParagraphElement>('result-info'),
  download: byId<HTMLAnchorElement>('download'),
  compare: byId<HTMLDivElement>('compare'),
  bicubicCanvas: byId<HTMLCanvasElement>('bicubic-canvas'),
  oursCanvas: byId<HTMLCanvasElement>('ours-canvas'),
  cropMarks: byId<HTMLDivElement>('crop-marks'),
  slider: byId<HTMLInputElement>('compare-slider'),
  crops: byId<HTMLDivElement>('crops'),
  runtimeInfo: byId<HTMLSpanElement>('runtime-info'),
};

const page: PageState = (window.__diffgan = { state: 'idle', progress: { done: 0, total: 0 } });

/** The decoded input; null until a file decodes. */
let source: { name: string; bitmap: ImageBitmap } | null = null;
let running: AbortController | null = null;
let refineAllowed = false;
// the real-photo generator is offered only where its weights are served with the page
let realAllowed = false;
let downloadUrl: string | undefined;
// file selection and refiner look-ups are async; only the latest one may update the page
let fileToken = 0,
  refineToken = 0,
  modelToken = 0;

const selectedScale = (): Scale => (ui.scaleInputs.find((r) => r.checked)?.value === '2' ? 2 : 4);
const selectedModel = (): SrModel => (realAllowed && ui.modelInputs.find((r) => r.checked)?.value === 'real' ? 'real' : 'fidelity');

function setState(state: RunState, message = ''): void {
  page.state = state;
  page.message = message || undefined;
  ui.message.textContent = message;
  ui.message.dataset.kind = state;
  const busy = state === 'running';
  ui.upscale.disabled = busy || !source;
  ui.cancel.hidden = !busy;
  ui.cancel.disabled = false;
  ui.fileInput.disabled = busy;
  ui.dropZone.classList.toggle('disabled', busy);
  for (const r of ui.scaleInputs) r.disabled = busy;
  for (const r of ui.modelInputs) r.disabled = busy || (r.value === 'real' && !realAllowed);
  ui.refine.disabled = busy || !refineAllowed;
  ui.progressRow.hidden = !busy;
}

// ---- input -------------------------------------------------------------------------

async function selectFile(file: File): Promise<void> {
  if (running) return;
  const token = ++fileToken;
  source?.bitmap.close();
  source = null;
  ui.results.hidden = true;
  ui.fileInfo.textContent = file.name;
  try {
    // 'none' conversions: the network sees the file's own pixel values, as in Node
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
    if (token !== fileToken) return bitmap.close();
    source = { name: file.name.replace(/\.[^.]*$/, '') || 'image', bitmap };
    // each file starts at `sr upscale --model auto`'s choice: the photo model for a JPEG compressed
    // below the threshold (when it ships), else the clean-image one; the radio can still change it
    const choice = autoModel(new Uint8Array(await file.slice(0, AUTO_HEAD_BYTES).arrayBuffer()), realAllowed);
    if (token !== fileToken) return;
    const jpeg = choice.reason.match(/^JPEG quality ~?\d+/)?.[0];
    if (realAllowed) for (const r of ui.modelInputs) r.checked = r.value === choice.model;
    void updateRefineAvailability();
    ui.fileInfo.textContent = `${file.name} · ${bitmap.width}x${bitmap.height}${jpeg ? ` · ${jpeg}` : ''}${choice.model === 'real' ? ': the photo model is selected' : ''}`;
    setState('idle');
  } catch {
    if (token !== fileToken) return;
    setState('error', `“${file.name}” is not an image this browser can read. Choose a PNG, JPEG or WebP file.`);
  }
}

ui.fileInput.addEventListener('change', () => {
  const file = ui.fileInput.files?.[0];
  // cleared so that choosing the same file again still fires 'change'
  ui.fileInput.value = '';
  if (file) void selectFile(file);
});

for (const type of ['dragenter', 'dragover'] as const) {
  ui.dropZone.addEventListener(type, (e) => {
    e.preventDefault();
    if (!running) ui.dropZone.classList.add('dragging');
  });
}
ui.dropZone.addEventListener('dragleave', () => ui.dropZone.classList.remove('dragging'));
ui.dropZone.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.dropZone.classList.remove('dragging');
  const file = e.dataTransfer?.files[0];
  if (file) void selectFile(file);
});
// a file dropped next to the zone would otherwise replace the page
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => e.preventDefault());

// ---- options -----------------------------------------------------------------------

/** Each model has its own refiner: the slider follows the selected model's. */
async function updateRefineAvailability(): Promise<void> {
  const scale = selectedScale(),
    model = selectedModel(),
    token = ++refineToken;
  const available = await refinerAvailable(scale, model).catch(() => false);
  if (token !== refineToken) return;
  refineAllowed = available;
  if (!available) {
    ui.refine.value = '0';
    ui.refineValue.value = '0';
  }
  ui.refine.disabled = !available || page.state === 'running';
  ui.refineNote.hidden = available;
  ui.refineNote.textContent = available ? '' : `Refinement weights for the ${model} model at x${scale} are not shipped yet: the generator alone runs.`;
}

async function updateModelAvailability(): Promise<void> {
  const scale = selectedScale(),
    token = ++modelToken;
  const available = await generatorAvailable('real', scale).catch(() => false);
  if (token !== modelToken) return;
  realAllowed = available;
  for (const r of ui.modelInputs) {
    if (r.value === 'real') r.disabled = !available || page.state === 'running';
    if (!available) r.checked = r.value === 'fidelity';
  }
  ui.modelNote.hidden = available;
  ui.modelNote.textContent = available ? '' : `The real-photo model for x${scale} is not shipped yet: the clean-image model runs.`;
  void updateRefineAvailability();
}

// the model's availability decides the selected model, which decides the refiner's (updateModelAvailability checks it)
for (const r of ui.scaleInputs) r.addEventListener('change', () => void updateModelAvailability());
for (const r of ui.modelInputs) r.addEventListener('change', () => void updateRefineAvailability());
ui.refine.addEventListener('input', () => {
  ui.refineValue.value = ui.refine.value;
});

// ---- run ---------------------------------------------------------------------------

function toImageData(bitmap: ImageBitmap): ImageData {
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

const megapixels = (n: number) => `${(n / 1e6).toFixed(n < 1e6 ? 2 : 1)} MP`;

function showProgress(done: number, total: number, started: number): void {
  page.progress = { done, total };
  ui.progress.max = Math.max(1, total);
  ui.progress.value = done;
  const tiles = total > 0 ? `${done}/${total} tiles` : 'loading the model…';
  const cancelling = running?.signal.aborted ? ' · cancelling…' : '';
  ui.progressText.textContent = `${tiles} · ${((performance.now() - started) / 1000).toFixed(1)} s${cancelling}`;
}

async function run(): Promise<void> {
  if (!source || running) return;
  const { name, bitmap } = source;
  const scale = selectedScale(),
    model = selectedModel();
  const refine = refineAllowed ? Number(ui.refine.value) : 0;
  const limit = inputPixelLimit(scale);
  const pixels = bitmap.width * bitmap.height;
  if (pixels > limit) {
    setState(
      'error',
      `This image has ${megapixels(pixels)} (${bitmap.width}x${bitmap.height}); at x${scale} the page takes at most ${megapixels(limit)}. Try x2 or a smaller image.`,
    );
    return;
  }

  const controller = (running = new AbortController());
  const started = performance.now();
  setState('running');
  showProgress(0, 0, started);
  const ticker = setInterval(() => showProgress(page.progress.done, page.progress.total, started), 100);
  try {
    const lr = toImageData(bitmap);
    const { ours, bicubic, runtime } = await upscaleInWorker(lr, {
      scale,
      model,
      refine,
      maxPixels: limit,
      signal: controller.signal,
      onProgress: (done, total) => showProgress(done, total, started),
    });
    // a Cancel that lands after the last tile still means "I don't want this"
    controller.signal.throwIfAborted();
    const seconds = (performance.now() - started) / 1000;
    Object.assign(page, { result: ours, bicubic, seconds });
    showResult(name, scale, model, lr, ours, bicubic, seconds, runtime);
    setState('done');
  } catch (e) {
    const err = e as Error;
    if (err?.name === 'AbortError') setState('cancelled', 'Cancelled: no image was produced. You can start again or choose another file.');
    else setState('error', `Could not upscale: ${String(err?.message ?? err).split('\n')[0]}`);
  } finally {
    clearInterval(ticker);
    running = null;
    ui.upscale.disabled = !source;
  }
}

ui.upscale.addEventListener('click', () => void run());
ui.cancel.addEventListener('click', () => {
  ui.cancel.disabled = true;
  running?.abort();
});

// ---- result ------------------------------------------------------------------------

function drawImage(canvas: HTMLCanvasElement, img: ImageData, region?: { x: number; y: number; w: number; h: number }): void {
  const r = region ?? { x: 0, y: 0, w: img.width, h: img.height };
  canvas.width = r.w;
  canvas.height = r.h;
  canvas.getContext('2d')!.putImageData(img, -r.x, -r.y, r.x, r.y, r.w, r.h);
}

function showResult(
  name: string,
  scale: Scale,
  model: SrModel,
  lr: ImageData,
  ours: ImageData,
  bicubic: ImageData,
  seconds: number,
  runtime: RuntimeInfo,
): void {
  const { width: W, height: H } = ours;
  drawImage(ui.oursCanvas, ours);
  drawImage(ui.bicubicCanvas, bicubic);
  ui.compare.style.aspectRatio = `${W} / ${H}`;
  ui.compare.style.maxWidth = `${W}px`;

  // regions are chosen on the input (cheaper, and where detail exists before upscaling)
  const regions = mostDetailedRegions(lr, 3);
  showCrops(regions, scale, ours, bicubic);

  const threads = runtime.backend === 'wasm' ? `, ${runtime.threads} thread${runtime.threads === 1 ? '' : 's'}` : '';
  ui.runtimeInfo.textContent = `Ran on onnxruntime-web · ${runtime.backend}${threads}`;
  ui.resultInfo.textContent = `${lr.width}x${lr.height} → ${W}x${H} (x${scale}, ${model === 'real' ? 'real-photo' : 'clean-image'} model) in ${seconds.toFixed(1)} s`;

  if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  downloadUrl = undefined;
  ui.download.removeAttribute('href');
  ui.download.download = `${name}_x${scale}.png`;
  ui.oursCanvas.toBlob((blob) => {
    if (blob && page.result === ours) ui.download.href = downloadUrl = URL.createObjectURL(blob);
  }, 'image/png');
  ui.results.hidden = false;
}

function showCrops(regions: Region[], scale: Scale, ours: ImageData, bicubic: ImageData): void {
  ui.crops.replaceChildren();
  ui.cropMarks.replaceChildren();
  const W = ours.width,
    H = ours.height;
  regions.forEach((region, i) => {
    const hr = { x: region.x * scale, y: region.y * scale, w: region.size * scale, h: region.size * scale };
    // nearest-neighbour magnification to about 240 px, so single pixels stay visible
    const zoom = Math.max(1, Math.round(240 / hr.w));

    const mark = document.createElement('div');
    mark.className = 'crop-mark';
    mark.textContent = String(i + 1);
    Object.assign(mark.style, { left: `${(100 * hr.x) / W}%`, top: `${(100 * hr.y) / H}%`, width: `${(100 * hr.w) / W}%`, height: `${(100 * hr.h) / H}%` });
    ui.cropMarks.append(mark);

    const figure = document.createElement('figure');
    figure.className = 'crop';
    for (const [label, img] of [
      ['bicubic', bicubic],
      ['ours', ours],
    ] as const) {
      const cell = document.createElement('div');
      const canvas = document.createElement('canvas');
      drawImage(canvas, img, hr);
      canvas.style.width = `${hr.w * zoom}px`;
      const caption = document.createElement('span');
      caption.textContent = label;
      cell.append(canvas, caption);
      figure.append(cell);
    }
    const caption = document.createElement('figcaption');
    caption.textContent = `${i + 1} · ${hr.w}x${hr.h} px at (${hr.x}, ${hr.y}), shown x${zoom}`;
    figure.append(caption);
    ui.crops.append(figure);
  });
}

ui.slider.addEventListener('input', () => ui.compare.style.setProperty('--split', `${ui.slider.value}%`));

// ---- start -------------------------------------------------------------------------

setState('idle');
void updateModelAvailability();
