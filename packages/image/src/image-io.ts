import sharp from 'sharp';
import { PixelImage, assertImageShape, toUint8 } from './pixel-image';
// the module itself, not the package index: reading and writing images does not load tfjs
import { writeFileAtomicAsync } from '@diffgan/core-models/temp-files';

/**
 * Decoding/encoding goes through sharp (libvips): prebuilt binaries, fast
 * PNG/JPEG codecs, and raw HWC output that needs no conversion.
 */

/**
 * Decodes an image file or buffer to 8-bit HWC pixels. Grey images stay
 * 1 channel (2 with alpha) instead of being expanded as sharp does by default,
 * so callers can see what is stored; use `toRgb` to expand. 16-bit inputs are
 * reduced to 8 bits. EXIF orientation is not applied: pixels are as stored.
 */
export async function readImage(source: string | Buffer): Promise<PixelImage<Uint8Array>> {
  const meta = await sharp(source).metadata();
  const { data, info } = await sharp(source).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const stored = meta.channels ?? info.channels;
  if (stored > 2 || info.channels < 3) {
    return { data: bytes, width: info.width, height: info.height, channels: info.channels };
  }
  // sharp always decodes grey to sRGB (R=G=B), and its 'b-w' output would drop
  // alpha, so take R (and alpha) from the sRGB decode instead.
  const hasAlpha = stored === 2;
  const n = info.width * info.height;
  const out = new Uint8Array(n * stored);
  for (let p = 0; p < n; p++) {
    out[p * stored] = bytes[p * info.channels];
    if (hasAlpha) out[p * stored + 1] = bytes[p * info.channels + info.channels - 1];
  }
  return { data: out, width: info.width, height: info.height, channels: stored };
}

/** Float images are taken to be on the 0..255 scale and rounded/clamped to uint8. */
function asUint8(img: PixelImage): Uint8Array {
  if (img.data instanceof Uint8Array) return img.data;
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = toUint8(img.data[i]);
  return out;
}

/**
 * Encodes a PNG in memory (1-4 channels, 8 bits; float data is taken as 0..255 and rounded).
 * Grey input stays grey (sharp would otherwise write it as RGB).
 */
export async function encodePng(img: PixelImage): Promise<Buffer> {
  assertImageShape(img, 'encodePng input');
  if (img.channels > 4) throw new Error(`encodePng: unsupported channel count ${img.channels}`);
  const bytes = asUint8(img);
  const raw = { width: img.width, height: img.height, channels: img.channels as 1 | 2 | 3 | 4 };
  let pipeline = sharp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { raw });
  if (img.channels <= 2) pipeline = pipeline.toColourspace('b-w');
  return pipeline.png().toBuffer();
}

/**
 * Writes a PNG (as `encodePng`). Encodes in memory, then writes a temp file in the same
 * directory and renames it, so there is never a partial PNG under the final name.
 */
export async function writePng(file: string, img: PixelImage): Promise<void> {
  assertImageShape(img, 'writePng input');
  if (img.channels > 4) throw new Error(`writePng: unsupported channel count ${img.channels}`);
  await writeFileAtomicAsync(file, await encodePng(img), { makeDirs: true });
}
