/** Minimal PNG writer (8-bit RGB, zlib) for spectrogram pictures; no image dependency. */
import * as zlib from 'zlib';

const CRC = (() => { const t = new Uint32Array(256); for (let n = 0; n < 256; n++) { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; t[n] = c >>> 0; } return t; })();
function crc32(b: Buffer): number { let c = 0xffffffff; for (const x of b) c = CRC[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; }
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) { raw[y * (width * 3 + 1)] = 0; Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1); }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function colour(v: number): [number, number, number] {
  // dark blue -> purple -> orange -> yellow (magma-like)
  const stops: [number, number, number][] = [[0, 0, 4], [80, 18, 123], [182, 54, 121], [251, 136, 97], [252, 253, 191]];
  const x = Math.max(0, Math.min(1, v)) * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(x)), w = x - i;
  return [0, 1, 2].map((c) => Math.round(stops[i][c] * (1 - w) + stops[i + 1][c] * w)) as [number, number, number];
}

/**
 * Stacked log-mel pictures (frames x bands each, low frequencies at the bottom), one panel
 * per entry, scaled to a common range; 2 px per band, 1 px per frame, 4 px gaps.
 */
export function spectrogramPng(panels: { mel: Float32Array; frames: number; bands: number }[], lo = -11.5, hi = 2): Buffer {
  const width = Math.max(...panels.map((p) => p.frames)), gap = 4;
  const height = panels.reduce((s, p) => s + p.bands * 2, 0) + gap * (panels.length - 1);
  const rgb = new Uint8Array(width * height * 3).fill(255);
  let y0 = 0;
  for (const p of panels) {
    for (let b = 0; b < p.bands; b++) for (let r = 0; r < 2; r++) {
      const y = y0 + (p.bands - 1 - b) * 2 + r;
      for (let t = 0; t < p.frames; t++) {
        const [R, G, B] = colour((p.mel[t * p.bands + b] - lo) / (hi - lo));
        const o = (y * width + t) * 3; rgb[o] = R; rgb[o + 1] = G; rgb[o + 2] = B;
      }
    }
    y0 += p.bands * 2 + gap;
  }
  return encodePng(rgb, width, height);
}
