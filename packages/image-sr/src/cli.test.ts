/**
 * The CLI as users run it: `node packages/image-sr/bin/sr.js` from the repo root (built
 * dist/; rebuilt here when a source file is newer). Every failure must be one line on
 * stderr, exit code 1, and leave no file behind.
 */
import { ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from 'child_process';
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

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
/** The exit code and output of a child process. */
function finished(p: ChildProcessWithoutNullStreams): Promise<Run> {
  return new Promise((resolve, reject) => {
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
function sr(args: string[], cwd = ROOT, env: Record<string, string> = {}): Promise<Run> {
  return finished(spawn(process.execPath, [path.join(ROOT, BIN), ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0', ...env } }));
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const pngChunk = (type: string, data: Buffer) => {
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};

/**
 * The start of a valid w x h 8-bit grey PNG: a correct header and the first 16 rows
 * (a 30000x30000 file in 545 bytes). The header is all the pixel-limit check reads; with
 * the limit raised, the decoder is reached and reports the missing rows as truncation.
 */
function bigPngStart(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const rows = zlib.deflateSync(Buffer.alloc((w + 1) * 16), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', ihdr), pngChunk('IDAT', rows), pngChunk('IEND', Buffer.alloc(0))]);
}

/**
 * A w x h HEIC (HEIF with one HEVC-coded image item): ftyp heic, meta (hdlr pict, pitm,
 * iloc, iinf/infe 'hvc1', iprp: hvcC + ispe, ipma) and an mdat with a few bytes of HEVC
 * NAL data. sharp cannot write HEVC (its libheif has AV1 only, "heifsave: Unsupported
 * compression"), so the container is written here; libheif parses it as a real HEIC
 * (format heif, compression hevc, its size) and fails to decode it exactly as it fails
 * on a phone's photo ("bad seek", then "no HEVC decoder").
 */
function tinyHeic(w: number, h: number): Buffer {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const u16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n);
    return b;
  };
  const box = (type: string, ...p: Buffer[]) => {
    const body = Buffer.concat(p);
    return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
  };
  const full = (type: string, version: number, ...p: Buffer[]) => box(type, Buffer.from([version, 0, 0, 0]), ...p);
  const ftyp = box('ftyp', Buffer.from('heic'), u32(0), Buffer.from('mif1heic'));
  // HEVCDecoderConfigurationRecord: version 1, Main profile, level 3, 4:2:0, 8 bit, 4-byte NAL lengths, no parameter sets
  const hvcC = box('hvcC', Buffer.from([1, 1, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 0x5a, 0xf0, 0, 0xfc, 0xfd, 0xf8, 0xf8, 0, 0, 0x0f, 0]));
  const data = Buffer.from([0, 0, 0, 4, 0x26, 1, 0xaf, 0x13]);
  const meta = (offset: number) =>
    full(
      'meta',
      0,
      full('hdlr', 0, u32(0), Buffer.from('pict'), Buffer.alloc(12), Buffer.from([0])),
      full('pitm', 0, u16(1)),
      full('iloc', 0, Buffer.from([0x44, 0]), u16(1), u16(1), u16(0), u16(1), u32(offset), u32(data.length)),
      full('iinf', 0, u16(1), full('infe', 2, u16(1), u16(0), Buffer.from('hvc1'), Buffer.from([0]))),
      box('iprp', box('ipco', hvcC, full('ispe', 0, u32(w), u32(h))), full('ipma', 0, u32(1), u16(1), Buffer.from([2, 0x81, 0x02]))),
    );
  return Buffer.concat([ftyp, meta(ftyp.length + meta(0).length + 8), box('mdat', data)]);
}

/** A PNG whose IHDR says width 0 (valid chunk CRCs, so only the size is wrong). */
function zeroPixelPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(0, 0);
  ihdr.writeUInt32BE(16, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(0))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
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
    fs.writeFileSync(path.join(dir, 'big.png'), bigPngStart(30000, 30000));
    fs.writeFileSync(path.join(dir, 'photo.heic'), tinyHeic(64, 48));
    noRefiner = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-cli-w-'));
    for (const f of ['sr_generator_x4.dgw', 'sr_generator_x4.manifest.json']) fs.copyFileSync(path.join(PKG, 'weights', f), path.join(noRefiner, f));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(noRefiner, { recursive: true, force: true });
  });
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
    [
      'output == input (other spelling)',
      (d) => ['upscale', path.join(d, 'ok.png'), '-o', path.join(d, '.', 'sub', '..', 'ok.png')],
      /would overwrite the input|does not exist/,
    ],
    ['bad --scale', (d) => ['upscale', path.join(d, 'ok.png'), '--scale', '3'], /invalid value for --scale: 3/],
    ['bad --tile', (d) => ['upscale', path.join(d, 'ok.png'), '--tile', 'big'], /invalid value for --tile: big/],
    ['bad --refine', (d) => ['upscale', path.join(d, 'ok.png'), '--refine', '-1'], /invalid value for --refine: -1/],
    // the shipped refiner has REFINER_T = 4 steps (--refine N runs N of them); more do not exist
    [
      '--refine 99: more steps than the refiner has',
      (d) => ['upscale', path.join(d, 'ok.png'), '--refine', '99'],
      /invalid value for --refine: 99 \(the refiner has 4 diffusion steps: use 0 = off, or 1-4\)/,
    ],
    ['--refine 5', (d) => ['upscale', path.join(d, 'ok.png'), '--refine', '5'], /invalid value for --refine: 5 \(the refiner has 4 diffusion steps/],
    ['--refine 20', (d) => ['upscale', path.join(d, 'ok.png'), '--refine', '20'], /invalid value for --refine: 20 \(the refiner has 4 diffusion steps/],
    ['compare --refine 5', (d) => ['compare', path.join(d, 'ok.png'), '--refine', '5'], /invalid value for --refine: 5 \(the refiner has 4 diffusion steps/],
    // 30000x30000: the size and the limit, not sharp's own "exceeds pixel limit"
    [
      '30000x30000 PNG',
      (d) => ['upscale', path.join(d, 'big.png')],
      /big\.png is 30000x30000 = 900\.0 MP, over the limit of 40\.0 MP \(raise it with --max-pixels/,
    ],
    // --max-pixels governs: raised, the header passes and the decoder is reached (this file holds 16 of the rows)
    [
      '30000x30000 PNG, --max-pixels raised',
      (d) => ['upscale', path.join(d, 'big.png'), '--max-pixels', '900000000'],
      /cannot decode .*big\.png: corrupt or truncated image/,
    ],
    [
      '30000x30000 PNG, --max-pixels 500 MP',
      (d) => ['upscale', path.join(d, 'big.png'), '--max-pixels', '500000000'],
      /900\.0 MP, over the limit of 500\.0 MP/,
    ],
    [
      'HEIC (HEVC) input',
      (d) => ['upscale', path.join(d, 'photo.heic')],
      /cannot read .*photo\.heic: HEIC \(HEVC-coded HEIF\) images are not supported, the bundled decoder has no HEVC codec/,
    ],
    ['bad --threads', (d) => ['upscale', path.join(d, 'ok.png'), '--threads', '1.5'], /invalid value for --threads/],
    ['option without value', (d) => ['upscale', path.join(d, 'ok.png'), '--seed'], /--seed needs a value/],
    ['unknown option', (d) => ['upscale', path.join(d, 'ok.png'), '--colour', 'red'], /unknown option --colour/],
    // run against a weights folder holding the generator only (see NO_REFINER below)
    ['refinement not trained yet', (d) => ['upscale', path.join(d, 'ok.png'), '--refine', '2'], /refinement weights for x4 are not available yet/],
    [
      'real model not trained yet',
      (d) => ['upscale', path.join(d, 'ok.png'), '--model', 'real'],
      /^sr: the real model for x4 is not trained yet \(.*sr_real_x4\.manifest\.json is missing\); use --model fidelity$/,
    ],
    ['bad --model', (d) => ['compare', path.join(d, 'ok.png'), '--model', 'best'], /invalid value for --model: best/],
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
    const generatorOnly = ['refinement not trained yet', 'real model not trained yet'];
    runs = new Map(cases.map(([name, args]) => [name, sr(args(dir), ROOT, generatorOnly.includes(name) ? { DIFFGAN_SR_WEIGHTS: noRefiner } : {})]));
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
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-cli-ok-'));
    fs.copyFileSync(EXAMPLE, path.join(dir, 'bird.png'));
  });
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

  test('--model auto (the default) says with --verbose what it picked and why; the result equals that model run by name', async () => {
    const sharp = (await import('sharp')).default;
    await sharp(EXAMPLE).jpeg({ quality: 40 }).toFile(path.join(dir, 'bird40.jpg'));
    const real = fs.existsSync(path.join(PKG, 'weights', 'sr_real_x2.manifest.json'));
    const r = await sr(['upscale', path.join(dir, 'bird40.jpg'), '--scale', '2', '--verbose', '-o', path.join(dir, 'auto.png')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      real ? 'sr: --model auto: real (JPEG quality 40 < ' : 'sr: --model auto: fidelity (JPEG quality 40, but the real model for this scale is not shipped)',
    );
    const named = await sr(['upscale', path.join(dir, 'bird40.jpg'), '--scale', '2', '--model', real ? 'real' : 'fidelity', '-o', path.join(dir, 'named.png')]);
    expect(named.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'auto.png'))).toEqual(fs.readFileSync(path.join(dir, 'named.png')));
    const png = await sr(['upscale', path.join(dir, 'bird.png'), '--scale', '2', '--verbose', '-o', path.join(dir, 'auto2.png')]);
    expect(png.stderr).toContain('sr: --model auto: fidelity (not a JPEG)');
  });

  test('compare writes a labelled sheet', async () => {
    const r = await sr(['compare', path.join(dir, 'bird.png'), '-o', path.join(dir, 'cmp.png')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bicubic x4 \| ours x4/);
    const sheet = await readImageChecked(path.join(dir, 'cmp.png'));
    expect(sheet.width).toBeGreaterThan(2 * 512);
    expect(sheet.height).toBeGreaterThan(512);
  });

  test('compare with the real model puts the fidelity model beside it', async () => {
    // a weights folder whose "real" generator is a copy of the fidelity one (no refiner: no refine column)
    const w = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-cli-real-'));
    try {
      for (const ext of ['dgw', 'manifest.json']) {
        fs.copyFileSync(path.join(PKG, 'weights', `sr_generator_x4.${ext}`), path.join(w, `sr_generator_x4.${ext}`));
        fs.copyFileSync(path.join(PKG, 'weights', `sr_generator_x4.${ext}`), path.join(w, `sr_real_x4.${ext}`));
      }
      const m = JSON.parse(fs.readFileSync(path.join(w, 'sr_real_x4.manifest.json'), 'utf8'));
      m.weights.file = 'sr_real_x4.dgw';
      fs.writeFileSync(path.join(w, 'sr_real_x4.manifest.json'), JSON.stringify(m));
      const r = await sr(['compare', path.join(dir, 'bird.png'), '--model', 'real', '-o', path.join(dir, 'cmp-real.png')], ROOT, { DIFFGAN_SR_WEIGHTS: w });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^\S+cmp-real\.png \(bicubic x4 \| ours \(fidelity\) x4 \| ours \(real\) x4; crop /);
      const sheet = await readImageChecked(path.join(dir, 'cmp-real.png'));
      expect(sheet.width).toBeGreaterThan(3 * 512);
    } finally {
      fs.rmSync(w, { recursive: true, force: true });
    }
  });
});

describe('sr CLI temporaries and interruptions', () => {
  let dir: string, hooks: string;
  beforeAll(() => {
    hooks = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-cli-hook-'));
    // preloaded into the CLI: a signal arrives while the final PNG is being written (sharp's
    // toFile is only used for that write), or while the input is being read (before any tile)
    fs.writeFileSync(
      path.join(hooks, 'signal.js'),
      `
      const sharp = require(${JSON.stringify(require.resolve('sharp', { paths: [PKG] }))});
      const sig = process.env.SR_TEST_SIGNAL, when = process.env.SR_TEST_WHEN;
      const method = when === 'write' ? 'toFile' : 'metadata';
      const orig = sharp.prototype[method];
      sharp.prototype[method] = async function (...a) {
        process.kill(process.pid, sig);
        await new Promise((r) => setTimeout(r, 200)); // the handler runs while the call is in flight
        return orig.apply(this, a);
      };
    `,
    );
  });
  afterAll(() => fs.rmSync(hooks, { recursive: true, force: true }));
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-cli-tmp-'));
    fs.copyFileSync(EXAMPLE, path.join(dir, 'ok.png'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a stale temporary of a dead process beside the target is removed by the next run writing it', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid; // exited: its PID names nothing now
    const stale = [`.out.png.${dead}-0badc0de.tmp`, `.out.png.${dead}.k3j4h5g6.tmp`]; // core-models' naming and sr's older one
    const live = `.out.png.${process.pid}-cafef00d.tmp`; // a run still writing: left alone
    for (const f of [...stale, live]) fs.writeFileSync(path.join(dir, f), Buffer.alloc(1024));
    const r = await sr(['upscale', path.join(dir, 'ok.png'), '-o', path.join(dir, 'out.png'), '--scale', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual([live, 'ok.png', 'out.png']);
  });

  // an interruption during the final write is handled as one before it: exit 130, the same line, nothing written
  test.each([
    ['SIGTERM', 'write'],
    ['SIGINT', 'write'],
    ['SIGTERM', 'read'],
    ['SIGINT', 'read'],
  ])('%s during the %s', async (sig, when) => {
    const r = await finished(
      spawn(
        process.execPath,
        ['-r', path.join(hooks, 'signal.js'), path.join(ROOT, BIN), 'upscale', path.join(dir, 'ok.png'), '-o', path.join(dir, 'out.png'), '--scale', '2'],
        { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0', SR_TEST_SIGNAL: sig, SR_TEST_WHEN: when } },
      ),
    );
    expect(r.stderr).toBe('sr: interrupted, no output written\n');
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(fs.readdirSync(dir)).toEqual(['ok.png']);
  });
});
