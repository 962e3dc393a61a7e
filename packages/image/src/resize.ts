import { PixelImage, PixelArray, assertImageShape, toUint8 } from './pixel-image';

/**
 * MATLAB-compatible `imresize(..., 'bicubic')`.
 *
 * SR papers generate their low-resolution inputs with MATLAB's imresize, and
 * PIL/OpenCV/tf bicubic give visibly different LR images and PSNR, so this
 * follows MATLAB's algorithm step by step: Keys cubic kernel (a = -0.5),
 * kernel widened by 1/scale when shrinking (antialiasing), symmetric border
 * handling by index mirroring, separable passes with the most-shrunk axis
 * first, weights computed once per axis.
 */

/** Support of the cubic kernel (it is zero outside [-2, 2]). */
const CUBIC_WIDTH = 4;

/** Keys cubic convolution kernel with a = -0.5, as in MATLAB's imresize. */
export function cubicKernel(x: number): number {
  const ax = Math.abs(x);
  const ax2 = ax * ax;
  const ax3 = ax2 * ax;
  if (ax <= 1) return 1.5 * ax3 - 2.5 * ax2 + 1;
  if (ax <= 2) return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2;
  return 0;
}

/**
 * Per-output-sample filter taps along one axis: output i reads
 * `weights[i * taps + t] * in[indices[i * taps + t]]` for t < taps.
 * Indices are 0-based and already mirrored into [0, inLength).
 */
export interface AxisWeights {
  inLength: number;
  outLength: number;
  taps: number;
  weights: Float64Array;
  indices: Int32Array;
}

/** MATLAB's `contributions()`: the taps for resizing one axis from inLength to outLength at `scale`. */
export function axisWeights(inLength: number, outLength: number, scale: number, antialiasing = true): AxisWeights {
  if (!(inLength >= 1 && outLength >= 1 && scale > 0)) {
    throw new Error(`axisWeights: bad arguments in=${inLength} out=${outLength} scale=${scale}`);
  }
  const shrinkWithAntialias = scale < 1 && antialiasing;
  const kernelWidth = shrinkWithAntialias ? CUBIC_WIDTH / scale : CUBIC_WIDTH;
  const maxTaps = Math.ceil(kernelWidth) + 2;
  const w = new Float64Array(outLength * maxTaps);
  const idx = new Int32Array(outLength * maxTaps);
  // A tap column (same t for every output) is dropped when all its weights are
  // zero, exactly like MATLAB's `kill` step; this keeps `taps` uniform.
  const columnUsed = new Uint8Array(maxTaps);
  const period = 2 * inLength;
  for (let i = 0; i < outLength; i++) {
    // Output sample centre in 1-based input coordinates (MATLAB's u).
    const u = (i + 1) / scale + 0.5 * (1 - 1 / scale);
    const left = Math.floor(u - kernelWidth / 2);
    let sum = 0;
    for (let t = 0; t < maxTaps; t++) {
      const j = left + t; // 1-based input index, may lie outside [1, inLength]
      const d = u - j;
      const v = shrinkWithAntialias ? scale * cubicKernel(scale * d) : cubicKernel(d);
      w[i * maxTaps + t] = v;
      sum += v;
      // Symmetric padding: MATLAB indexes [1..n, n..1] periodically.
      const m = (((j - 1) % period) + period) % period;
      idx[i * maxTaps + t] = m < inLength ? m : period - 1 - m;
    }
    for (let t = 0; t < maxTaps; t++) {
      const v = w[i * maxTaps + t] / sum;
      w[i * maxTaps + t] = v;
      if (v !== 0) columnUsed[t] = 1;
    }
  }
  const kept: number[] = [];
  for (let t = 0; t < maxTaps; t++) if (columnUsed[t]) kept.push(t);
  if (kept.length === maxTaps) return { inLength, outLength, taps: maxTaps, weights: w, indices: idx };
  const taps = kept.length;
  const weights = new Float64Array(outLength * taps);
  const indices = new Int32Array(outLength * taps);
  for (let i = 0; i < outLength; i++) {
    for (let k = 0; k < taps; k++) {
      weights[i * taps + k] = w[i * maxTaps + kept[k]];
      indices[i * taps + k] = idx[i * maxTaps + kept[k]];
    }
  }
  return { inLength, outLength, taps, weights, indices };
}

export interface ResizeOptions {
  /** One factor for both axes; the output size is ceil(scale * size), as in MATLAB. */
  scale?: number;
  /** Explicit output size (give both); the per-axis scale is then out / in. */
  width?: number;
  height?: number;
  /** Widen the kernel when shrinking (MATLAB's default). Default true. */
  antialiasing?: boolean;
  /**
   * 'uint8' rounds half away from zero and clamps to [0, 255]; 'float' keeps
   * Float32. Default: 'uint8' for Uint8Array input, otherwise 'float'.
   * With uint8 input and uint8 output the intermediate (after the first axis)
   * is rounded to uint8 too, because MATLAB keeps the input class between its
   * two passes. To skip that, pass a Float32Array image and ask for 'uint8'.
   */
  output?: 'uint8' | 'float';
}

export function imresize(img: PixelImage<Uint8Array>, opts: ResizeOptions & { output?: 'uint8' }): PixelImage<Uint8Array>;
export function imresize(img: PixelImage, opts: ResizeOptions & { output: 'uint8' }): PixelImage<Uint8Array>;
export function imresize(img: PixelImage, opts: ResizeOptions & { output: 'float' }): PixelImage<Float32Array>;
export function imresize(img: PixelImage<Float32Array | Float64Array>, opts: ResizeOptions): PixelImage<Float32Array>;
export function imresize(img: PixelImage, opts: ResizeOptions): PixelImage<Uint8Array | Float32Array>;
export function imresize(img: PixelImage, opts: ResizeOptions): PixelImage<Uint8Array | Float32Array> {
  assertImageShape(img, 'imresize input');
  const { width: inW, height: inH, channels } = img;
  let outW: number, outH: number, scaleX: number, scaleY: number;
  if (opts.scale !== undefined) {
    if (opts.width !== undefined || opts.height !== undefined) throw new Error('imresize: give either scale or width/height, not both');
    if (!(opts.scale > 0) || !Number.isFinite(opts.scale)) throw new Error(`imresize: bad scale ${opts.scale}`);
    scaleX = scaleY = opts.scale;
    outW = Math.ceil(scaleX * inW);
    outH = Math.ceil(scaleY * inH);
  } else {
    if (opts.width === undefined || opts.height === undefined) throw new Error('imresize: need scale or both width and height');
    outW = opts.width;
    outH = opts.height;
    if (!Number.isInteger(outW) || !Number.isInteger(outH) || outW < 1 || outH < 1) throw new Error(`imresize: bad output size ${outW}x${outH}`);
    scaleX = outW / inW;
    scaleY = outH / inH;
  }
  const antialiasing = opts.antialiasing ?? true;
  const outputUint8 = (opts.output ?? (img.data instanceof Uint8Array ? 'uint8' : 'float')) === 'uint8';
  const roundBetweenPasses = outputUint8 && img.data instanceof Uint8Array;

  const wy = axisWeights(inH, outH, scaleY, antialiasing);
  const wx = axisWeights(inW, outW, scaleX, antialiasing);
  // MATLAB resizes the axis with the smaller scale first (height on ties); it is
  // also the cheaper order, since the second pass then runs on fewer samples.
  const heightFirst = scaleY <= scaleX;

  const makeOut = (len: number): Uint8Array | Float32Array => (outputUint8 ? new Uint8Array(len) : new Float32Array(len));
  const makeMid = (len: number): Uint8Array | Float64Array => (roundBetweenPasses ? new Uint8Array(len) : new Float64Array(len));

  let result: Uint8Array | Float32Array;
  if (heightFirst) {
    const mid = makeMid(outH * inW * channels);
    resizeHeight(img.data, inW * channels, wy, mid);
    result = makeOut(outH * outW * channels);
    resizeWidth(mid, outH, inW, channels, wx, result);
  } else {
    const mid = makeMid(inH * outW * channels);
    resizeWidth(img.data, inH, inW, channels, wx, mid);
    result = makeOut(outH * outW * channels);
    resizeHeight(mid, outW * channels, wy, result);
  }
  return { data: result, width: outW, height: outH, channels };
}

/** Resamples whole rows: each output row is a weighted sum of input rows (contiguous, cache friendly). */
function resizeHeight(src: PixelArray, rowLength: number, aw: AxisWeights, dst: PixelArray): void {
  const { outLength, taps, weights, indices } = aw;
  const acc = new Float64Array(rowLength);
  const clampToUint8 = dst instanceof Uint8Array;
  for (let i = 0; i < outLength; i++) {
    acc.fill(0);
    for (let t = 0; t < taps; t++) {
      const w = weights[i * taps + t];
      const off = indices[i * taps + t] * rowLength;
      for (let k = 0; k < rowLength; k++) acc[k] += w * src[off + k];
    }
    const dOff = i * rowLength;
    if (clampToUint8) for (let k = 0; k < rowLength; k++) dst[dOff + k] = toUint8(acc[k]);
    else for (let k = 0; k < rowLength; k++) dst[dOff + k] = acc[k];
  }
}

/** Resamples along each row; tap offsets are premultiplied by the channel count. */
function resizeWidth(src: PixelArray, rows: number, inWidth: number, channels: number, aw: AxisWeights, dst: PixelArray): void {
  const { outLength, taps, weights, indices } = aw;
  const offsets = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) offsets[k] = indices[k] * channels;
  const clampToUint8 = dst instanceof Uint8Array;
  const inRow = inWidth * channels;
  const outRow = outLength * channels;
  for (let y = 0; y < rows; y++) {
    const sBase = y * inRow;
    const dBase = y * outRow;
    for (let j = 0; j < outLength; j++) {
      const tBase = j * taps;
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let t = 0; t < taps; t++) s += weights[tBase + t] * src[sBase + offsets[tBase + t] + c];
        dst[dBase + j * channels + c] = clampToUint8 ? toUint8(s) : s;
      }
    }
  }
}
