import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireDataRoot, findDataRoot, findRepoRoot } from './data-root';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-root-'));
const saved = process.env.DIFFGAN_DATA;
afterEach(() => {
  if (saved === undefined) delete process.env.DIFFGAN_DATA;
  else process.env.DIFFGAN_DATA = saved;
});

test('findRepoRoot: the nearest folder whose package.json declares workspaces (a package.json without them is passed)', () => {
  const repo = path.join(tmp, 'repo'),
    pkg = path.join(repo, 'packages', 'a', 'src');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ workspaces: ['packages/*'] }));
  fs.writeFileSync(path.join(repo, 'packages', 'a', 'package.json'), JSON.stringify({ name: 'a' }));
  expect(findRepoRoot(pkg)).toBe(repo);
  expect(findRepoRoot(__dirname)).toBe(path.resolve(__dirname, '..', '..', '..'));
});

test('requireDataRoot: --data wins, then DIFFGAN_DATA; a missing folder or sub-folder is one clear error', () => {
  const data = path.join(tmp, 'data'),
    other = path.join(tmp, 'other');
  fs.mkdirSync(path.join(data, 'sr', 'train'), { recursive: true });
  fs.mkdirSync(other);
  process.env.DIFFGAN_DATA = other;
  expect(requireDataRoot(data, 'sr/train')).toBe(data);
  expect(requireDataRoot()).toBe(other);
  expect(findDataRoot()).toBe(other);
  expect(() => requireDataRoot(undefined, 'sr/train')).toThrow(`no sr/train under ${other}: pass --data DIR (the folder holding sr/train) or set DIFFGAN_DATA`);
  expect(() => requireDataRoot(path.join(tmp, 'nope'), 'mnist')).toThrow(
    `no data at ${path.join(tmp, 'nope')}: pass --data DIR (the folder holding mnist) or set DIFFGAN_DATA`,
  );
  process.env.DIFFGAN_DATA = path.join(tmp, 'gone');
  expect(findDataRoot()).toBeUndefined();
  expect(() => requireDataRoot()).toThrow(/^no data at .*gone: pass --data DIR \(the folder holding the shared data\) or set DIFFGAN_DATA$/);
});

test('without DIFFGAN_DATA the default is <repo>/../shared/data', () => {
  delete process.env.DIFFGAN_DATA;
  const expected = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'data');
  expect(findDataRoot()).toBe(fs.existsSync(expected) ? expected : undefined);
});
