/**
 * Which generator `--model auto` runs: the real model for JPEGs compressed hard enough that the
 * fidelity model would sharpen their blocks, the fidelity model for everything else (PNG, WebP,
 * high-quality JPEG, raw pixels). The JPEG's quality is read from its quantisation tables
 * (the DQT segments, before the first scan): the libjpeg quality whose tables are nearest.
 * Runtime-free: the browser entry uses it too.
 */
import { quantTable } from './jpeg-sim';
import type { SrModel } from './model-names';

/** Natural (row-major) index of the k-th coefficient in zigzag order, as DQT stores them. */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
  15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** The quantisation tables of a JPEG file (id → 64 entries in natural order); null when `bytes` is not a JPEG. */
export function readQuantTables(bytes: Uint8Array): Map<number, Int32Array> | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const tables = new Map<number, Int32Array>();
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return tables; // not a marker: corrupt; keep what was read
    let m = bytes[i + 1];
    i += 2;
    while (m === 0xff && i < bytes.length) m = bytes[i++]; // fill bytes
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd8)) continue; // standalone markers
    if (m === 0xda || m === 0xd9 || i + 2 > bytes.length) break; // start of scan / end: no DQT after it matters
    const len = (bytes[i] << 8) | bytes[i + 1];
    const end = Math.min(i + len, bytes.length);
    if (m === 0xdb) {
      let p = i + 2;
      while (p < end) {
        const wide = bytes[p] >> 4,
          id = bytes[p] & 15;
        p++;
        const t = new Int32Array(64);
        for (let k = 0; k < 64 && p < end; k++, p += wide ? 2 : 1) t[ZIGZAG[k]] = wide ? (bytes[p] << 8) | bytes[p + 1] : bytes[p];
        tables.set(id, t);
      }
    }
    i += len;
  }
  return tables;
}

/**
 * The libjpeg quality (1-100) whose luminance (and chrominance, when present) tables are
 * nearest to the file's (sum of absolute differences); `exact` when they are equal, as for
 * files libjpeg, libjpeg-turbo, sharp/libvips, PIL or ffmpeg wrote without custom tables.
 * null for non-JPEG bytes or a JPEG without quantisation tables.
 */
export function estimateJpegQuality(bytes: Uint8Array): { quality: number; exact: boolean } | null {
  const tables = readQuantTables(bytes);
  const luma = tables?.get(0);
  if (!luma) return null;
  const chroma = tables!.get(1);
  let best = { quality: 0, err: Infinity };
  for (let q = 1; q <= 100; q++) {
    const l = quantTable(q, false),
      c = quantTable(q, true);
    let err = 0;
    for (let k = 0; k < 64; k++) err += Math.abs(luma[k] - l[k]) + (chroma ? Math.abs(chroma[k] - c[k]) : 0);
    if (err < best.err) best = { quality: q, err };
  }
  return { quality: best.quality, exact: best.err === 0 };
}

/**
 * The JPEG quality below which `auto` runs the real model: where it overtakes the fidelity one on
 * photographs outside every data set here (bench-auto.ts, x4, the sr-real-x4 run at 4,600 and at
 * 15,250 steps: real − fidelity −0.03 dB at quality 70, +0.29 at 60, +0.73 at 40, −1.2 at 90;
 * docs/experiments/image-sr-real-photos.md). With no real weights shipped, `auto` runs fidelity.
 */
export const REAL_MODEL_BELOW_QUALITY = 70;

/** How much of a file `auto` reads: DQT segments come before the first scan, after at most 64 KiB of APP1 (EXIF) and a few other segments. */
export const AUTO_HEAD_BYTES = 256 * 1024;

/** `auto`'s choice for an encoded input (null: raw pixels) and why, in words for --verbose. */
export function autoModel(bytes: Uint8Array | null, realAvailable: boolean): { model: SrModel; reason: string } {
  const jpeg = bytes ? estimateJpegQuality(bytes) : null;
  if (!jpeg) return { model: 'fidelity', reason: bytes ? 'not a JPEG' : 'raw pixels' };
  const q = `JPEG quality ${jpeg.exact ? '' : '~'}${jpeg.quality}`;
  if (jpeg.quality >= REAL_MODEL_BELOW_QUALITY) return { model: 'fidelity', reason: `${q} ≥ ${REAL_MODEL_BELOW_QUALITY}` };
  if (!realAvailable) return { model: 'fidelity', reason: `${q}, but the real model for this scale is not shipped` };
  return { model: 'real', reason: `${q} < ${REAL_MODEL_BELOW_QUALITY}` };
}
