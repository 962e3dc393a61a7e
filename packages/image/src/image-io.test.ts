import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { readImage, encodePng, writePng } from './image-io';
import { findDataRoot } from '@diffgan/core-models';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-io-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('writePng / readImage round trip', () => {
  test.each([1, 2, 3, 4])('%i channel(s) survive losslessly', async (channels) => {
    const width = 7;
    const height = 5;
    const data = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 37) % 256);
    const file = path.join(dir, `rt${channels}.png`);
    await writePng(file, { data, width, height, channels });
    const back = await readImage(file);
    expect([back.width, back.height, back.channels]).toEqual([width, height, channels]);
    expect(Buffer.from(back.data).equals(Buffer.from(data))).toBe(true);
  });

  test('float data is rounded and clamped to uint8', async () => {
    const file = path.join(dir, 'float.png');
    await writePng(file, { data: Float32Array.from([-5, 0.49, 0.5, 254.5, 300, 100.2]), width: 2, height: 1, channels: 3 });
    expect(Array.from((await readImage(file)).data)).toEqual([0, 0, 1, 255, 255, 100]);
  });

  test('creates missing directories and leaves no temporary files', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'x.png');
    await writePng(file, { data: new Uint8Array(3).fill(9), width: 1, height: 1, channels: 3 });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['x.png']);
  });

  test('reads from a Buffer; 16-bit PNGs are reduced to 8 bits', async () => {
    // Hand-built 2x1 RGB PNG, 16 bits per sample (big-endian), so the test does not depend on sharp's encoder.
    const samples = [0, 65535, 128 * 257, 200 * 257, 3 * 257, 65535];
    const scanline = Buffer.alloc(1 + 2 * samples.length); // filter byte 0, then samples
    samples.forEach((v, i) => scanline.writeUInt16BE(v, 1 + 2 * i));
    const chunk = (type: string, body: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(body.length);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type, 'latin1'), body])));
      return Buffer.concat([len, Buffer.from(type, 'latin1'), body, crc]);
    };
    const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 1, 16, 2, 0, 0, 0]); // 2x1, depth 16, colour type 2 (RGB)
    const png16 = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', zlib.deflateSync(scanline)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const img = await readImage(png16);
    expect([img.width, img.height, img.channels]).toEqual([2, 1, 3]);
    expect(Array.from(img.data)).toEqual([0, 255, 128, 200, 3, 255]);
  });

  test('bad shapes are rejected before encoding', async () => {
    await expect(writePng(path.join(dir, 'bad.png'), { data: new Uint8Array(5), width: 2, height: 2, channels: 1 })).rejects.toThrow(/data length/);
  });
});

describe('encodePng', () => {
  test.each([
    [1, 0],
    [2, 4],
    [3, 2],
    [4, 6],
  ])('%i channel(s): 8-bit PNG of colour type %i, the bytes writePng writes', async (channels, colourType) => {
    const width = 3,
      height = 2;
    const data = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 53 + 11) % 256);
    const png = await encodePng({ data, width, height, channels });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([width, height, 8, colourType]);
    expect(Buffer.from((await readImage(png)).data).equals(Buffer.from(data))).toBe(true);
    const file = path.join(dir, `enc${channels}.png`);
    await writePng(file, { data, width, height, channels });
    expect(fs.readFileSync(file).equals(png)).toBe(true);
  });

  test('rejects more than 4 channels', async () => {
    await expect(encodePng({ data: new Uint8Array(5), width: 1, height: 1, channels: 5 })).rejects.toThrow(/channel count 5/);
  });
});

const dataRoot = findDataRoot();
(dataRoot ? describe : describe.skip)('reading the shared SR files', () => {
  test('Set14 bridge.png is 1-channel grey, Set5 baby.png is 512x512 RGB', async () => {
    const bridge = await readImage(path.join(dataRoot!, 'sr', 'eval', 'Set14', 'bridge.png'));
    expect([bridge.width, bridge.height, bridge.channels]).toEqual([512, 512, 1]);
    const baby = await readImage(path.join(dataRoot!, 'sr', 'eval', 'Set5', 'baby.png'));
    expect([baby.width, baby.height, baby.channels]).toEqual([512, 512, 3]);
  });
});
if (!dataRoot) console.warn('SKIPPED shared-data image tests: set DIFFGAN_DATA or provide <repo>/../shared/data');
