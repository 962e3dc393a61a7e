import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findDataRoot } from '@diffgan/core-models';
import { readImage, writePng } from '@diffgan/image';
import { seedTableData } from '@diffgan/seed-table';
import { main } from './cli';

function capture(): { out: string[]; err: string[]; restore: () => void } {
  const out: string[] = [],
    err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out.push(String(s));
    return true;
  });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err.push(String(s));
    return true;
  });
  return {
    out,
    err,
    restore: () => {
      o.mockRestore();
      e.mockRestore();
      process.exitCode = 0;
    },
  };
}

describe('diffgan CLI', () => {
  test('--help for every command', async () => {
    for (const argv of [['--help'], ['sample', '--help'], ['train', '--help'], ['eval', '--help']]) {
      const c = capture();
      expect(await main(argv)).toBe(0);
      c.restore();
      expect(c.out.join('')).toMatch(/usage: diffgan/);
    }
  });
  test('errors are one line with exit code 1', async () => {
    for (const argv of [
      ['frobnicate'],
      ['sample', '--model', 'vae'],
      ['train'],
      ['sample', '--model', 'gan', '--run', '/nonexistent'],
      ['eval', 'fid', '/nonexistent', '/x'],
      ['sample', '--bogus', '1'],
      ['train', 'gan', '--runtime', 'gpu'],
      ['train', 'gan', '--threads', '0'],
    ]) {
      const c = capture();
      expect(await main(argv)).toBe(1);
      c.restore();
      const text = c.err.join('');
      expect(text.trim().split('\n')).toHaveLength(1);
      expect(text).toMatch(/^diffgan: /);
    }
  });
  const d = findDataRoot() ? test : test.skip;
  d('train (1 step, then resumed to 2) and sample a grid', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diffgan-cli-'));
    try {
      const c = capture();
      expect(await main(['train', 'gan', '--steps', '1', '--batch', '4', '--run', tmp])).toBe(0);
      expect(await main(['train', 'gan', '--steps', '2', '--batch', '4', '--run', tmp])).toBe(0);
      expect(await main(['sample', '--model', 'gan', '-n', '4', '-o', path.join(tmp, 'grid.png'), '--run', tmp])).toBe(0);
      c.restore();
      expect(c.out.join('')).toMatch(/trained 1\/1 steps[\s\S]*trained 2\/2 steps[\s\S]*grid.png: 4 samples of gan/);
      const png = await readImage(path.join(tmp, 'grid.png'));
      expect([png.width, png.height]).toEqual([4 * 28 + 5 * 2, 28 + 2 * 2]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
  d("another model's weights, checkpoint or a corrupt train.json: one-line errors naming the file, nothing overwritten (issue #29)", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diffgan-cli-'));
    try {
      let c = capture();
      expect(await main(['train', 'gan', '--steps', '1', '--batch', '4', '--run', tmp])).toBe(0);
      c.restore();
      const gan = path.join(tmp, 'gan', 'seed0'),
        ddpm = path.join(tmp, 'ddpm', 'seed0');
      fs.mkdirSync(ddpm, { recursive: true });
      // the GAN's generator under the name the DDPM row loads
      fs.copyFileSync(path.join(gan, 'g.manifest.json'), path.join(ddpm, 'den.manifest.json'));
      fs.copyFileSync(path.join(gan, 'g.dgw'), path.join(ddpm, 'g.dgw'));
      const fails = async (argv: string[], re: RegExp) => {
        c = capture();
        expect(await main(argv)).toBe(1);
        c.restore();
        const text = c.err.join('');
        expect(text.trim().split('\n')).toHaveLength(1);
        expect(text).toMatch(re);
      };
      await fails(
        ['sample', '--model', 'ddpm', '-n', '4', '-o', path.join(tmp, 'x.png'), '--run', tmp],
        /den\.manifest\.json: weights of 'gan', not of 'ddpm'/,
      );
      expect(fs.existsSync(path.join(tmp, 'x.png'))).toBe(false);
      // the GAN's checkpoint in the DDPM row's run folder: refused, the folder's files untouched
      fs.rmSync(path.join(ddpm, 'den.manifest.json'));
      fs.copyFileSync(path.join(gan, 'checkpoint.dgw'), path.join(ddpm, 'checkpoint.dgw'));
      const before = fs.readFileSync(path.join(ddpm, 'checkpoint.dgw'));
      await fails(['train', 'ddpm', '--steps', '2', '--batch', '4', '--run', tmp], /checkpoint\.dgw: a checkpoint of 'gan', not of 'ddpm'/);
      expect(fs.readFileSync(path.join(ddpm, 'checkpoint.dgw')).equals(before)).toBe(true);
      expect(fs.existsSync(path.join(ddpm, 'den.dgw'))).toBe(false);
      // a corrupt state file
      fs.writeFileSync(path.join(gan, 'train.json'), '{"steps": 1, "seco');
      await fails(['train', 'gan', '--steps', '2', '--batch', '4', '--run', tmp], /gan\/seed0\/train\.json: not valid JSON/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
  d('eval fid on two folders of MNIST PNGs (and a resized colour folder, with a warning)', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diffgan-cli-'));
    try {
      const { reference } = seedTableData();
      const img = (k: number) => ({
        data: Float32Array.from(reference.subarray(k * 784, (k + 1) * 784), (v) => (v + 1) * 127.5),
        width: 28,
        height: 28,
        channels: 1,
      });
      for (const [name, from] of [
        ['a', 0],
        ['b', 200],
      ] as const) {
        fs.mkdirSync(path.join(tmp, name));
        for (let k = 0; k < 100; k++) await writePng(path.join(tmp, name, `${String(k).padStart(3, '0')}.png`), img(from + k));
      }
      fs.mkdirSync(path.join(tmp, 'c'));
      for (let k = 0; k < 10; k++) {
        const g = img(400 + k),
          rgb = new Float32Array(56 * 56 * 3);
        for (let y = 0; y < 56; y++) for (let x = 0; x < 56; x++) for (let ch = 0; ch < 3; ch++) rgb[(y * 56 + x) * 3 + ch] = g.data[(y >> 1) * 28 + (x >> 1)];
        await writePng(path.join(tmp, 'c', `${k}.png`), { data: rgb, width: 56, height: 56, channels: 3 });
      }
      const c = capture();
      expect(await main(['eval', 'fid', path.join(tmp, 'a'), path.join(tmp, 'b')])).toBe(0);
      expect(await main(['eval', 'fid', path.join(tmp, 'a'), path.join(tmp, 'c'), '--no-kid'])).toBe(0);
      c.restore();
      const out = c.out.join('');
      expect(out).toMatch(/^FID \d+\.\d+ +\(100 vs 100 images/m);
      expect(out).toMatch(/KID/);
      expect(c.err.join('')).toMatch(/warning: .*c: 10 colour image\(s\) converted to grayscale, 10 resized/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
