/**
 * WAV I/O. Reading accepts any PCM WAV (8/16/24/32-bit integer, 32/64-bit float,
 * plain or WAVE_FORMAT_EXTENSIBLE) and mixes to mono Float32 in [-1, 1).
 * Writing produces 16-bit mono PCM; file writes go to a temporary file in the same
 * directory and are renamed into place, so readers never see a half-written file.
 */
import * as fs from 'fs';
import { writeFileAtomic, writeFileAtomicAsync } from '@diffgan/core-models';

export interface WavAudio {
  sampleRate: number;
  /** Mono samples (channels averaged). */
  samples: Float32Array;
  /** Channels in the file before mixing. */
  channels: number;
  bitsPerSample: number;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

export function decodeWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let format = -1;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  let dataOffset = -1;
  let dataLength = 0;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      // Extensible: the real format is the first two bytes of the sub-format GUID.
      if (format === FORMAT_EXTENSIBLE && size >= 26) format = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      dataOffset = body;
      // Some writers leave the size at 0 or too large when streaming: clamp to the file.
      dataLength = Math.min(size === 0 ? bytes.length - body : size, bytes.length - body);
      break;
    }
    offset = body + size + (size % 2);
  }
  if (format < 0) throw new Error('WAV has no fmt chunk');
  if (dataOffset < 0) throw new Error('WAV has no data chunk');
  if (format !== FORMAT_PCM && format !== FORMAT_FLOAT) throw new Error(`unsupported WAV format 0x${format.toString(16)} (only PCM and IEEE float)`);
  if (channels < 1) throw new Error('WAV declares no channels');
  const bytesPerSample = bits / 8;
  if (!Number.isInteger(bytesPerSample) || bytesPerSample < 1 || bytesPerSample > 8) throw new Error(`unsupported bit depth ${bits}`);

  const read = sampleReader(view, format, bits);
  const frameBytes = bytesPerSample * channels;
  const frames = Math.floor(dataLength / frameBytes);
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read(dataOffset + i * frameBytes + c * bytesPerSample);
    samples[i] = sum / channels;
  }
  return { sampleRate, samples, channels, bitsPerSample: bits };
}

function sampleReader(view: DataView, format: number, bits: number): (at: number) => number {
  if (format === FORMAT_FLOAT) {
    if (bits === 32) return (at) => view.getFloat32(at, true);
    if (bits === 64) return (at) => view.getFloat64(at, true);
    throw new Error(`unsupported float bit depth ${bits}`);
  }
  switch (bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128; // 8-bit WAV is unsigned
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => {
        const v = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
        return v / 8388608;
      };
    case 32:
      return (at) => view.getInt32(at, true) / 2147483648;
    default:
      throw new Error(`unsupported PCM bit depth ${bits}`);
  }
}

/** 16-bit mono PCM WAV bytes. Samples are clipped to [-1, 1] and rounded to the nearest step of 1/32768. */
export function encodeWav16(samples: ArrayLike<number>, sampleRate: number): Buffer {
  const dataBytes = samples.length * 2;
  const buffer = Buffer.alloc(44 + dataBytes);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + dataBytes, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(FORMAT_PCM, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i] * 32768);
    buffer.writeInt16LE(Math.max(-32768, Math.min(32767, Number.isFinite(v) ? v : 0)), 44 + 2 * i);
  }
  return buffer;
}

export function readWav(file: string): WavAudio {
  return decodeWav(fs.readFileSync(file));
}

export async function readWavAsync(file: string): Promise<WavAudio> {
  return decodeWav(await fs.promises.readFile(file));
}

/** Writes 16-bit mono WAV atomically (core-models' temporary beside the target + rename). */
export function writeWav(file: string, samples: ArrayLike<number>, sampleRate: number): void {
  writeFileAtomic(file, encodeWav16(samples, sampleRate));
}

export async function writeWavAsync(file: string, samples: ArrayLike<number>, sampleRate: number): Promise<void> {
  await writeFileAtomicAsync(file, encodeWav16(samples, sampleRate));
}
