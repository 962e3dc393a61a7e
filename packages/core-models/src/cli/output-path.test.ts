/** The output-path check every file-writing command runs before its work. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkOutputPath, OutputPathError } from './output-path';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'out-check-'));
  fs.writeFileSync(path.join(dir, 'in.png'), 'x');
  fs.writeFileSync(path.join(dir, 'afile'), 'x');
  fs.mkdirSync(path.join(dir, 'sub.png'));
  fs.linkSync(path.join(dir, 'in.png'), path.join(dir, 'hard.png'));
  fs.symlinkSync(path.join(dir, 'in.png'), path.join(dir, 'soft.png'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const problem = (output: string, opts: Parameters<typeof checkOutputPath>[1] = {}): string | undefined => {
  try {
    checkOutputPath(output, opts);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(OutputPathError);
    return `${(e as OutputPathError).problem}: ${(e as Error).message}`;
  }
};

test('accepts a new file and an existing one (replaced), and leaves nothing behind', () => {
  expect(problem(path.join(dir, 'new.png'), { input: path.join(dir, 'in.png'), extensions: ['.png'] })).toBeUndefined();
  expect(problem(path.join(dir, 'afile'))).toBeUndefined();
  expect(fs.readdirSync(dir).sort()).toEqual(['afile', 'hard.png', 'in.png', 'soft.png', 'sub.png']);
});

test('refuses, naming what is wrong', () => {
  const d = dir;
  expect(problem(path.join(d, 'x.jpg'), { extensions: ['.png'] })).toBe(`extension: output must be a .png file: ${path.join(d, 'x.jpg')}`);
  expect(problem(path.join(d, 'x.avi'), { extensions: ['.mp4', '.mov', '.mkv'] })).toBe(
    `extension: output must be a .mp4, .mov or .mkv file: ${path.join(d, 'x.avi')}`,
  );
  expect(problem(path.join(d, 'no', 'x.png'))).toBe(`no-folder: output folder does not exist: ${path.join(d, 'no')}`);
  expect(problem(path.join(d, 'afile', 'x.png'))).toBe(`not-a-folder: output folder is not a folder: ${path.join(d, 'afile')}`);
  expect(problem(path.join(d, 'sub.png'))).toBe(`is-a-folder: output is a folder: ${path.join(d, 'sub.png')}`);
  for (const same of [path.join(d, 'in.png'), path.join(d, '.', 'x', '..', 'in.png'), path.join(d, 'hard.png'), path.join(d, 'soft.png')]) {
    expect(problem(same, { input: path.join(d, 'in.png') })).toBe(`is-input: output would overwrite the input: ${same}`);
  }
  if (process.platform === 'linux') expect(problem('/proc/x.png')).toMatch(/^not-writable: output folder is not writable: \/proc \(/);
});
