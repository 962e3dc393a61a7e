/**
 * A synchronous JPEG round trip (encode + decode without the entropy coding, which is
 * lossless) that follows libjpeg(-turbo) step by step, so the degradation sampler can
 * compress thousands of patches a second without an encoder call:
 *
 *   RGB → YCbCr with libjpeg's fixed-point tables (jccolor.c), 4:2:0 chroma by 2x2 box
 *   average with the alternating 1/2 bias (jcsample.c h2v2_downsample), edges replicated to
 *   whole MCUs, 8x8 DCT of (sample − 128), quantisation with the Annex K tables scaled by
 *   quality as jpeg_quality_scaling / jpeg_add_quant_table do (baseline: clamped to 255),
 *   rounding half away from zero; then dequantisation, inverse DCT, +128, clamping, "fancy"
 *   (triangle) chroma upsampling (jdsample.c h2v2_fancy_upsample) and YCbCr → RGB with
 *   jdcolor.c's tables.
 *
 * The DCTs are exact (float) where libjpeg's default ISLOW ones are 13-bit fixed point, so
 * a coefficient can round the other way now and then: against sharp (libjpeg-turbo /
 * mozjpeg at the same quality, 4:2:0) the two decoded images are ~50 dB PSNR apart, and equal on flat blocks (jpeg-sim.test.ts).
 */

/** ITU-T T.81 Annex K.1 luminance and chrominance tables, natural (row-major) order. */
const LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103,
  77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_Q = [
  [17, 18, 24, 47],
  [18, 21, 26, 66],
  [24, 26, 56, 99],
  [47, 66, 99, 99],
]
  .flatMap((row) => [...row, 99, 99, 99, 99])
  .concat(new Array(32).fill(99));

/** libjpeg's jpeg_quality_scaling: quality 1-100 → percentage scale factor. */
export function qualityScaling(quality: number): number {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  return q < 50 ? Math.floor(5000 / q) : 200 - q * 2;
}

/** The quantisation table libjpeg writes at `quality` (force_baseline: entries 1..255). */
export function quantTable(quality: number, chroma: boolean): Int32Array {
  const f = qualityScaling(quality);
  return Int32Array.from(chroma ? CHROMA_Q : LUMA_Q, (b) => Math.min(255, Math.max(1, Math.floor((b * f + 50) / 100))));
}

/** 8-point DCT-II basis: C[u*8 + x] = c(u)/2 · cos((2x+1)uπ/16), orthonormal. */
const DCT = new Float64Array(64);
for (let u = 0; u < 8; u++) for (let x = 0; x < 8; x++) DCT[u * 8 + x] = (u === 0 ? Math.SQRT1_2 : 1) * 0.5 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);

/**
 * out = A'·B' for 8x8 matrices, A'(i, k) = a[i·ai + k·ak] and B'(k, j) = b[k·bi + j·bj] (strides
 * (8, 1) read a matrix as stored, (1, 8) its transpose). Sums run over k ascending.
 */
function matMul8(a: Float64Array, ai: number, ak: number, b: Float64Array, bi: number, bj: number, out: Float64Array): void {
  for (let i = 0; i < 8; i++)
    for (let j = 0; j < 8; j++) {
      let s = 0;
      for (let k = 0; k < 8; k++) s += a[i * ai + k * ak] * b[k * bi + j * bj];
      out[i * 8 + j] = s;
    }
}

/** Quantises and dequantises one 8x8 block in place (values are samples − 128). */
function quantiseBlock(b: Float64Array, q: Int32Array, tmp: Float64Array): void {
  // forward DCT (coefficients of the orthonormal DCT): tmp = B·Cᵀ, then B = C·tmp
  matMul8(b, 8, 1, DCT, 1, 8, tmp);
  matMul8(DCT, 8, 1, tmp, 8, 1, b);
  for (let i = 0; i < 64; i++) {
    // libjpeg rounds |coef| / q half up and keeps the sign (jcdctmgr.c quantize)
    const c = b[i] / q[i];
    b[i] = (c < 0 ? -Math.floor(-c + 0.5) : Math.floor(c + 0.5)) * q[i];
  }
  // inverse: tmp = B·C, then B = Cᵀ·tmp
  matMul8(b, 8, 1, DCT, 8, 1, tmp);
  matMul8(DCT, 1, 8, tmp, 8, 1, b);
}

/** A plane (w x h, already padded to whole blocks) through quantisation, rounded and clamped to 0..255. */
function codePlane(p: Float64Array, w: number, h: number, q: Int32Array): void {
  const blk = new Float64Array(64),
    tmp = new Float64Array(64);
  for (let by = 0; by < h; by += 8)
    for (let bx = 0; bx < w; bx += 8) {
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) blk[y * 8 + x] = p[(by + y) * w + bx + x] - 128;
      quantiseBlock(blk, q, tmp);
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) {
          const v = Math.round(blk[y * 8 + x] + 128);
          p[(by + y) * w + bx + x] = v < 0 ? 0 : v > 255 ? 255 : v;
        }
    }
}

const SCALEBITS = 16,
  ONE_HALF = 1 << (SCALEBITS - 1),
  CBCR_OFFSET = 128 << SCALEBITS;
const FIX = (x: number): number => Math.floor(x * (1 << SCALEBITS) + 0.5);

/** jccolor.c's rgb_ycc_start tables. */
const ENC = (() => {
  const t = {
    ry: new Int32Array(256),
    gy: new Int32Array(256),
    by: new Int32Array(256),
    rcb: new Int32Array(256),
    gcb: new Int32Array(256),
    bcb: new Int32Array(256),
  };
  const gcr = new Int32Array(256),
    bcr = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    t.ry[i] = FIX(0.299) * i;
    t.gy[i] = FIX(0.587) * i;
    t.by[i] = FIX(0.114) * i + ONE_HALF;
    t.rcb[i] = -FIX(0.16874) * i;
    t.gcb[i] = -FIX(0.33126) * i;
    // B=>Cb and R=>Cr are the same table; ONE_HALF-1 makes the rounding symmetric
    t.bcb[i] = FIX(0.5) * i + CBCR_OFFSET + ONE_HALF - 1;
    gcr[i] = -FIX(0.41869) * i;
    bcr[i] = -FIX(0.08131) * i;
  }
  return { ...t, gcr, bcr };
})();

/** jdcolor.c's build_ycc_rgb_table. */
const DEC = (() => {
  const crR = new Int32Array(256),
    cbB = new Int32Array(256),
    crG = new Int32Array(256),
    cbG = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    const x = i - 128;
    crR[i] = (FIX(1.402) * x + ONE_HALF) >> SCALEBITS;
    cbB[i] = (FIX(1.772) * x + ONE_HALF) >> SCALEBITS;
    crG[i] = -FIX(0.71414) * x;
    cbG[i] = -FIX(0.34414) * x + ONE_HALF;
  }
  return { crR, cbB, crG, cbG };
})();

const clamp255 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * `rgb` (HWC, 3 channels, 0..255 integers: the 8-bit image an encoder is given) after a
 * JPEG encode at `quality` (1-100, libjpeg's scale) with 4:2:0 chroma and a decode.
 */
export function jpegRoundTrip(rgb: Uint8Array, width: number, height: number, quality: number): Uint8Array {
  if (rgb.length !== width * height * 3) throw new Error(`jpegRoundTrip: ${rgb.length} values for ${width}x${height}x3`);
  // whole MCUs (16x16 luma); the encoder replicates the last column and row into the padding
  const W = Math.ceil(width / 16) * 16,
    H = Math.ceil(height / 16) * 16;
  const Y = new Float64Array(W * H),
    Cb = new Float64Array(W * H),
    Cr = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(y, height - 1);
    for (let x = 0; x < W; x++) {
      const s = (sy * width + Math.min(x, width - 1)) * 3;
      const r = rgb[s],
        g = rgb[s + 1],
        b = rgb[s + 2];
      const d = y * W + x;
      Y[d] = (ENC.ry[r] + ENC.gy[g] + ENC.by[b]) >> SCALEBITS;
      Cb[d] = (ENC.rcb[r] + ENC.gcb[g] + ENC.bcb[b]) >> SCALEBITS;
      Cr[d] = (ENC.bcb[r] + ENC.gcr[g] + ENC.bcr[b]) >> SCALEBITS;
    }
  }
  const cw = W / 2,
    ch = H / 2;
  const sub = (p: Float64Array): Float64Array => {
    const o = new Float64Array(cw * ch);
    for (let y = 0; y < ch; y++) {
      let bias = 1; // alternates 1, 2 along the row
      for (let x = 0; x < cw; x++) {
        const i = 2 * y * W + 2 * x;
        o[y * cw + x] = (p[i] + p[i + 1] + p[i + W] + p[i + W + 1] + bias) >> 2;
        bias ^= 3;
      }
    }
    return o;
  };
  const cb = sub(Cb),
    cr = sub(Cr);
  codePlane(Y, W, H, quantTable(quality, false));
  codePlane(cb, cw, ch, quantTable(quality, true));
  codePlane(cr, cw, ch, quantTable(quality, true));
  // decode: the chroma planes' real extent is ceil(w/2) x ceil(h/2); fancy upsampling clamps there
  const rw = Math.ceil(width / 2),
    rh = Math.ceil(height / 2);
  const up = (c: Float64Array): Int32Array => {
    const o = new Int32Array(width * height);
    const colsum = new Int32Array(rw);
    for (let y = 0; y < height; y++) {
      const i = y >> 1,
        near = y & 1 ? Math.min(i + 1, rh - 1) : Math.max(i - 1, 0);
      for (let x = 0; x < rw; x++) colsum[x] = 3 * c[i * cw + x] + c[near * cw + x];
      for (let x = 0; x < width; x++) {
        const j = x >> 1;
        let v: number;
        if (rw === 1) v = (colsum[0] * 4 + (x & 1 ? 7 : 8)) >> 4;
        else if (x & 1) v = j === rw - 1 ? (colsum[j] * 4 + 7) >> 4 : (colsum[j] * 3 + colsum[j + 1] + 7) >> 4;
        else v = j === 0 ? (colsum[0] * 4 + 8) >> 4 : (colsum[j] * 3 + colsum[j - 1] + 8) >> 4;
        o[y * width + x] = v;
      }
    }
    return o;
  };
  const cbUp = up(cb),
    crUp = up(cr);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const l = Y[y * W + x],
        k = y * width + x,
        b = cbUp[k],
        r = crUp[k];
      out[k * 3] = clamp255(l + DEC.crR[r]);
      out[k * 3 + 1] = clamp255(l + ((DEC.cbG[b] + DEC.crG[r]) >> SCALEBITS));
      out[k * 3 + 2] = clamp255(l + DEC.cbB[b]);
    }
  return out;
}
