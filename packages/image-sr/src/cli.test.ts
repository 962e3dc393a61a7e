/**
 * The CLI as users run it: `node packages/image-sr/bin/sr.js` from the repo root (built
 * dist/; rebuilt here when a source file is newer). Every failure must be one line on
 * stderr, exit code 1, and leave no file behind.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { readImageChecked } from './io';

const PKG = path.resolve(__dirname, '..');
const ROOT = path.resolve(PKG, '..', '..');
const BIN = path.join('packages', 'image-sr', 'bin', 'sr.js');
const EXAMPLE = path.join(PKG, 'examples', 'kodim23_crop128.png');

function newestMtime(dir: string): number {
  let m = 0;
  for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, f.name);
    if (f.isDirectory()) m = Math.max(m, newestMtime(p));
    else if (/\.ts$/.test(f.name) && !/\.test\.ts$/.test(f.name)) m = Math.max(m, fs.statSync(p).mtimeMs);
  }
  return m;
}

beforeAll(() => {
  const cli = path.join(PKG, 'dist', 'cli.js');
  if (!fs.existsSync(cli) || fs.statSync(cli).mtimeMs < newestMtime(path.join(PKG, 'src'))) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', PKG], { cwd: ROOT, stdio: 'inherit' });
  }
});

interface Run { code: number | null; stdout: string; stderr: string }
function sr(args: string[], cwd = ROOT, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(ROOT, BIN), ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0', ...env } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A PNG whose IHDR says width 0 (valid chunk CRCs, so only the size is wrong). */
function zeroPixelPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(0, 0); ihdr.writeUInt32BE(16, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(0))), chunk('IEND', Buffer.alloc(0))]);
}

describe('sr CLI errors', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-cli-'));
    fs.copyFileSync(EXAMPLE, path.join(dir, 'ok.png'));
    fs.writeFileSync(path.join(dir, 'notimage.png'), 'this is not an image\n');
    fs.writeFileSync(path.join(dir, 'truncated.png'), fs.readFileSync(EXAMPLE).subarray(0, 20000));
    fs.writeFileSync(path.join(dir, 'zero.png'), zeroPixelPng());
    fs.writeFileSync(path.join(dir, 'afile'), 'x');
    noRefiner = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-cli-w-'));
    for (const f of ['sr_generator_x4.dgw', 'sr_generator_x4.manifest.json']) fs.copyFileSync(path.join(PKG, 'weights', f), path.join(noRefiner, f));
  });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); fs.rmSync(noRefiner, { recursive: true, force: true }); });
  let noRefiner: string;

  const cases: [string, (d: string) => string[], RegExp][] = [
    ['missing file', (d) => ['upscale', path.join(d, 'nope.png')], /input not found/],
    ['not an image', (d) => ['upscale', path.join(d, 'notimage.png')], /not an image/],
    ['truncated PNG', (d) => ['upscale', path.join(d, 'truncated.png')], /corrupt or truncated/],
    ['0-pixel image', (d) => ['upscale', path.join(d, 'zero.png')], /not an image|no pixels/],
    ['over the pixel limit', (d) => ['upscale', path.join(d, 'ok.png'), '--max-pixels', '10000'], /128x128 = 16384 pixels, over the limit of 10000 pixels/],
    ['output folder missing', (d) => ['upscale', path.join(d, 'ok.png'), '-o', path.join(d, 'no', 'out.png')], /output folder does not exist/],
    ['output folder is a file', (d) => ['upscale', path.join(d, 'ok.png'), '-o', path.join(d, 'afile', 'out.png')], /output folder is not a folder/],
    ['output folder not writable', (d) => ['upscale', path.join(d, 'ok.png'), '-o', '/proc/sr-out.png'], /output folder is not writable/],
    ['output == input', (d) => ['upscale', path.join(d, 'ok.png'), '-o', path.join(d, 'ok.png')], /would overwrite the input/],
    ['output == input (other spelling)', (d) => ['upscale', path.join(d, 'ok.png'), '-o', path.join(d, '.', 'sub', '..', 'ok.png')], /would overwrite the input|does not exist/],
    ['bad --scale', (d) => ['upscale', path.join(d, 'ok.png'), '--scale', '3'], /invalid value for --scale: 3/],
    ['bad --tile', (d) => ['upscale', path.join(d, 'ok.png'), '--tile', 'big'], /invalid value for --tile: big/],
    ['bad --refine', (d) => ['upscale', path.join(d, 'ok.png'), '--refine', '-1'], /invalid value for --refine: -1/],
    ['bad --threads', (d) => ['upscale', path.join(d, 'ok.png'), '--threads', '1.5'], /invalid value for --threads/],
    ['option without value', (d) => ['upscale', path.join(d, 'ok.png'), '--seed'], /--seed needs a value/],
    ['unknown option', (d) => ['upscale', path.join(d, 'ok.png'), '--colour', 'red'], /unknown option --colour/],
    // run against a weights folder holding the generator only (see NO_REFINER below)
    ['refinement not trained yet', (d) => ['upscale', path.join(d, 'ok.png'), '--refine', '2'], /refinement weights for x4 are not available yet/],
    ['unknown command', () => ['enhance', 'x.png'], /unknown command 'enhance'/],
    ['no input', () => ['upscale'], /missing input image/],
    ['compare: missing file', (d) => ['compare', path.join(d, 'nope.png')], /input not found/],
    ['compare: output == input', (d) => ['compare', path.join(d, 'ok.png'), '-o', path.join(d, 'ok.png')], /would overwrite the input/],
  ];
  // the cases are independent: run them all at once (node startup dominates on a busy machine)
  let runs: Map<string, Promise<Run>>;
  let before: string[];
  beforeAll(() => {
    before = fs.readdirSync(dir).sort();
    runs = new Map(cases.map(([name, args]) => [name, sr(args(dir), ROOT, name === 'refinement not trained yet' ? { DIFFGAN_SR_WEIGHTS: noRefiner } : {})]));
  });
  test.each(cases)('%s', async (name, args, message) => {
    if (args(dir).includes('/proc/sr-out.png') && process.platform !== 'linux') return;
    const r = await runs.get(name)!;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines.length).toBe(2); // one line + trailing newline
    expect(lines[1]).toBe('');
    expect(lines[0]).toMatch(/^sr: /);
    expect(lines[0]).toMatch(message);
    await Promise.all(runs.values());
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });
});

describe('sr CLI success', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-cli-ok-')); fs.copyFileSync(EXAMPLE, path.join(dir, 'bird.png')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('help', async () => {
    const [r, u, c] = await Promise.all([sr(['--help']), sr(['upscale', '--help']), sr(['compare', '-h'])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sr upscale <in>/);
    expect(u.code).toBe(0);
    expect(u.stdout).toMatch(/--max-pixels/);
    expect(c.stdout).toMatch(/magnified crops/);
  });

  test('upscale writes <name>_x4.png beside the input by default, --scale 2 -o elsewhere', async () => {
    const r = await sr(['upscale', path.join(dir, 'bird.png')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = await readImageChecked(path.join(dir, 'bird_x4.png'));
    expect([out.width, out.height, out.channels]).toEqual([512, 512, 3]);
    fs.mkdirSync(path.join(dir, 'sub'));
    const r2 = await sr(['upscale', 'bird.png', '--scale', '2', '-o', path.join('sub', 'b2.png'), '--tile', '64'], dir);
    expect(r2.code).toBe(0);
    const out2 = await readImageChecked(path.join(dir, 'sub', 'b2.png'));
    expect([out2.width, out2.height]).toEqual([256, 256]);
    expect(fs.readdirSync(path.join(dir, 'sub'))).toEqual(['b2.png']);
  });

  test('compare writes a labelled sheet', async () => {
    const r = await sr(['compare', path.join(dir, 'bird.png'), '-o', path.join(dir, 'cmp.png')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bicubic x4 \| ours x4/);
    const sheet = await readImageChecked(path.join(dir, 'cmp.png'));
    expect(sheet.width).toBeGreaterThan(2 * 512);
    expect(sheet.height).toBeGreaterThan(512);
  });
});
