/**
 * Image files in and out, with the checks the CLI promises: one-line DiffganErrors for
 * missing / non-image / truncated / empty / oversized / unsupported inputs and unusable
 * output paths, and PNGs written atomically (core-models' temp naming in the same folder,
 * then rename), so a failed or interrupted run never leaves a partial file under the
 * output name; temporaries of killed runs are removed by the next run writing that file.
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { Metadata, OutputInfo } from 'sharp';
import { DiffganError, PendingFile, checkOutputPath as checkOutputFile } from '@diffgan/core-models';

import { RawImage, checkPixelLimit } from './core';
export type { RawImage } from './core';
export { checkPixelLimit };

/** Default input limit: 40 megapixels (a 40 MP input at x4 is a 640 MP output). */
export const DEFAULT_MAX_PIXELS = 40_000_000;

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/** Decoder errors that mean "this build cannot decode that codec" rather than a damaged file. */
const UNSUPPORTED_CODEC = /has not been built in|no decoder|unsupported (?:compression|codec)/i;

/** Why `meta`'s image cannot be decoded by this build (HEIC: HEVC inside HEIF; the bundled libheif has AV1 only). */
function unsupportedFormat(meta: Metadata, what: string): DiffganError {
  const hevc = meta.format === 'heif' && meta.compression === 'hevc';
  const name = hevc ? 'HEIC (HEVC-coded HEIF)' : `${String(meta.format ?? 'this').toUpperCase()}${meta.compression ? ` (${meta.compression}-coded)` : ''}`;
  return new DiffganError(
    `cannot read ${what}: ${name} images are not supported, the bundled decoder has no ${hevc ? 'HEVC' : 'such'} codec; convert it to PNG, JPEG or WebP first`,
  );
}

/**
 * Decodes PNG/JPEG/WebP (anything libvips reads) to 8-bit HWC. Grey stays 1 channel
 * (2 with alpha); EXIF orientation is applied so the result looks as viewers show it.
 * The pixel limit (`maxPixels` alone: sharp's own input limit is off) is checked on the
 * header, before the pixels are decoded.
 */
export async function readImageChecked(source: string | Buffer, maxPixels = DEFAULT_MAX_PIXELS): Promise<RawImage<Uint8Array>> {
  const what = typeof source === 'string' ? source : 'input buffer';
  if (typeof source === 'string') {
    let st: fs.Stats;
    try {
      st = fs.statSync(source);
    } catch {
      throw new DiffganError(`input not found: ${source}`);
    }
    if (st.isDirectory()) throw new DiffganError(`input is a folder, not an image: ${source}`);
    if (st.size === 0) throw new DiffganError(`input is empty (0 bytes): ${source}`);
  } else if (source.length === 0) throw new DiffganError('input buffer is empty');
  let meta: Metadata;
  try {
    meta = await sharp(source, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new DiffganError(`cannot read ${what}: not an image or unsupported format (${firstLine(e)})`);
  }
  const w0 = meta.width ?? 0,
    h0 = meta.height ?? 0;
  checkPixelLimit(w0, h0, maxPixels, what);
  // the bundled libheif decodes AV1 (AVIF) only: HEVC would fail below with a misleading "bad seek"
  if (meta.format === 'heif' && meta.compression === 'hevc') throw unsupportedFormat(meta, what);
  const stored = meta.channels ?? 3;
  let data: Buffer, info: OutputInfo;
  try {
    ({ data, info } = await sharp(source, { failOn: 'truncated', limitInputPixels: false })
      .rotate()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }));
  } catch (e) {
    if (UNSUPPORTED_CODEC.test(String((e as Error)?.message ?? e))) throw unsupportedFormat(meta, what);
    throw new DiffganError(`cannot decode ${what}: corrupt or truncated image (${firstLine(e)})`);
  }
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (stored > 2 || info.channels < 3) return { data: bytes, width: info.width, height: info.height, channels: info.channels };
  // sharp decodes grey to R=G=B(+A); keep one grey channel (+ alpha)
  const n = info.width * info.height,
    c = info.channels,
    out = new Uint8Array(n * stored);
  for (let p = 0; p < n; p++) {
    out[p * stored] = bytes[p * c];
    if (stored === 2) out[p * stored + 1] = bytes[p * c + c - 1];
  }
  return { data: out, width: info.width, height: info.height, channels: stored };
}

/**
 * Checks that `output` can be written before any work is done (core-models' one output-path
 * check): a .png whose folder exists and accepts files, not a folder, and not the input file.
 */
export function checkOutputPath(output: string, input?: string): void {
  checkOutputFile(output, { input, extensions: ['.png'] });
}

/**
 * Encodes 8-bit HWC pixels (1-4 channels) as PNG and writes them atomically. Stale
 * temporaries of `file` (runs killed mid-write) are removed first. When `signal` is
 * aborted during the encode, the temporary is removed and nothing is written (the abort
 * reason is thrown, as for an abort between tiles).
 */
export async function writePngAtomic(file: string, img: RawImage<Uint8Array>, signal?: AbortSignal): Promise<void> {
  const target = path.resolve(file);
  signal?.throwIfAborted();
  const raw = { width: img.width, height: img.height, channels: img.channels as 1 | 2 | 3 | 4 };
  let p = sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw, limitInputPixels: false });
  if (img.channels <= 2) p = p.toColourspace('b-w'); // else sharp writes grey as RGB
  const tmp = new PendingFile(target); // removed at exit if a second Ctrl-C cuts the encode short
  try {
    await p.png().toFile(tmp.path);
    // the encode cannot be stopped; an interruption during it still means "no output"
    signal?.throwIfAborted();
  } catch (e) {
    tmp.discard();
    throw signal?.aborted && e === signal.reason ? e : new DiffganError(`cannot write ${file}: ${firstLine(e)}`);
  }
  try {
    tmp.commit();
  } catch (e) {
    throw new DiffganError(`cannot write ${file}: ${firstLine(e)}`);
  }
}

/** A JPEG round trip at libjpeg `quality` (sharp, 4:2:0) of 8-bit RGB: what a degraded input is made of (bench, regression floors). */
export async function sharpJpeg(img: RawImage<Uint8Array>, quality: number): Promise<RawImage<Uint8Array>> {
  const jpg = await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } })
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
  const { data, info } = await sharp(jpg).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new DiffganError(`JPEG decode gave ${info.channels} channels`);
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
}
