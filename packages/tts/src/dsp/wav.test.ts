import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeWav, encodeWav16, readWav, writeWav, writeWavAsync } from './wav';
import { Rng, findDataRoot } from '@diffgan/core-models';

describe('WAV I/O', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-wav-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes 16-bit mono and reads it back within 1/32768', () => {
    const rng = new Rng(11);
    const x = Float32Array.from({ length: 4000 }, () => rng.uniform() * 1.98 - 0.99);
    const file = path.join(dir, 'a.wav');
    writeWav(file, x, 22050);
    const back = readWav(file);
    expect(back).toMatchObject({ sampleRate: 22050, channels: 1, bitsPerSample: 16 });
    expect(back.samples.length).toBe(x.length);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - back.samples[i]));
    expect(worst).toBeLessThanOrEqual(1 / 32768);
    // Nothing but the target is left in the directory (the temp file was renamed).
    expect(fs.readdirSync(dir)).toEqual(['a.wav']);
  });

  it('writes atomically in the async variant too and clips out-of-range samples', async () => {
    const file = path.join(dir, 'b.wav');
    await writeWavAsync(file, [2, -2, 0.5], 16000);
    expect(Array.from(readWav(file).samples)).toEqual([32767 / 32768, -1, 0.5]);
  });

  it('reads stereo 24-bit PCM and mixes to mono', () => {
    const frames = 3;
    const buf = Buffer.alloc(44 + frames * 6);
    buf.write('RIFF', 0, 'ascii');
    buf.writeUInt32LE(36 + frames * 6, 4);
    buf.write('WAVEfmt ', 8, 'ascii');
    buf.writeUInt32LE(16, 16);
    buf.writeUInt16LE(1, 20);
    buf.writeUInt16LE(2, 22);
    buf.writeUInt32LE(48000, 24);
    buf.writeUInt32LE(48000 * 6, 28);
    buf.writeUInt16LE(6, 32);
    buf.writeUInt16LE(24, 34);
    buf.write('data', 36, 'ascii');
    buf.writeUInt32LE(frames * 6, 40);
    const values = [
      [4194304, 0], // 0.5, 0 -> 0.25
      [-8388608, -8388608], // -1, -1 -> -1
      [0, 2097152], // 0, 0.25 -> 0.125
    ];
    values.forEach(([l, rr], i) => {
      buf.writeIntLE(l, 44 + i * 6, 3);
      buf.writeIntLE(rr, 44 + i * 6 + 3, 3);
    });
    const wav = decodeWav(buf);
    expect(wav).toMatchObject({ sampleRate: 48000, channels: 2, bitsPerSample: 24 });
    expect(Array.from(wav.samples)).toEqual([0.25, -1, 0.125]);
  });

  it('encodes a canonical 44-byte header', () => {
    const bytes = encodeWav16([0, 0], 22050);
    expect(bytes.length).toBe(48);
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(bytes.readUInt32LE(24)).toBe(22050);
  });

  const sample = path.join(findDataRoot() ?? '/nonexistent-shared-data', 'tts', 'bznsyp', 'wavs', '000001.wav');
  (fs.existsSync(sample) ? it : it.skip)('reads a corpus recording (22,050 Hz, 16-bit mono, 2.66 s)', () => {
    const wav = readWav(sample);
    expect(wav.sampleRate).toBe(22050);
    expect(Math.abs(wav.samples.length / 22050 - 2.66)).toBeLessThan(0.01);
  });
});
