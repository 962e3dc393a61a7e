import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { PendingFile, removeStaleTemps, tempPathFor, writeFileAtomic, writeFileAtomicAsync } from './temp-files';

test('stale temporaries of dead processes are removed; live ones, other files and other targets stay', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temps-'));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout);
  const target = path.join(dir, 'out.png');
  const stale = [
    `.out.png.${deadPid}-0a1b2c3d.tmp`,
    `.out.png.${deadPid}-99aa00ff.partial`,
    `.out.png.${deadPid}.k3j4h5g6.tmp`,
    `.out.png.${deadPid}.tmp`,
    `out.png.tmp-${deadPid}`,
  ];
  const kept = [`.out.png.${process.pid}-0a1b2c3d.tmp`, `.other.png.${deadPid}-0a1b2c3d.tmp`, 'out.png', `.out.png.${deadPid}-0a1b2c3d.tmp.bak`];
  for (const f of [...stale, ...kept]) fs.writeFileSync(path.join(dir, f), 'x');
  expect(
    removeStaleTemps(target)
      .map((p) => path.basename(p))
      .sort(),
  ).toEqual([...stale].sort());
  expect(fs.readdirSync(dir).sort()).toEqual([...kept].sort());
  expect(path.basename(tempPathFor(target, 'partial'))).toMatch(new RegExp(`^\\.out\\.png\\.${process.pid}-[0-9a-f]{8}\\.partial$`));
});

test('writeFileAtomic replaces the file whole and leaves no temporary', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  const f = path.join(dir, 'a.json');
  writeFileAtomic(f, 'one');
  writeFileAtomic(f, 'two');
  expect(fs.readFileSync(f, 'utf8')).toBe('two');
  expect(fs.readdirSync(dir)).toEqual(['a.json']);
  expect(() => writeFileAtomic(path.join(dir, 'missing', 'b.json'), 'x')).toThrow();
  expect(fs.readdirSync(dir)).toEqual(['a.json']);
});

test('writeFileAtomicAsync: same contract; makeDirs creates missing folders (both variants)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-async-'));
  const f = path.join(dir, 'a.bin');
  await writeFileAtomicAsync(f, Uint8Array.of(1, 2, 3));
  await writeFileAtomicAsync(f, Uint8Array.of(4));
  expect([...fs.readFileSync(f)]).toEqual([4]);
  await expect(writeFileAtomicAsync(path.join(dir, 'missing', 'b'), 'x')).rejects.toThrow();
  expect(fs.readdirSync(dir)).toEqual(['a.bin']);
  await writeFileAtomicAsync(path.join(dir, 'n1', 'n2', 'c.txt'), 'deep', { makeDirs: true });
  writeFileAtomic(path.join(dir, 'm1', 'd.txt'), 'sync', { makeDirs: true });
  expect(fs.readFileSync(path.join(dir, 'n1', 'n2', 'c.txt'), 'utf8')).toBe('deep');
  expect(fs.readFileSync(path.join(dir, 'm1', 'd.txt'), 'utf8')).toBe('sync');
});

test('PendingFile: the target appears only at commit; discard leaves the old file; a stale temporary goes at open', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pending-'));
  const target = path.join(dir, 'out.wav');
  fs.writeFileSync(target, 'old');
  const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  fs.writeFileSync(path.join(dir, `.out.wav.${dead}-00000000.partial`), 'stale');
  const p = new PendingFile(target, 'partial');
  expect(path.basename(p.path)).toMatch(new RegExp(`^\\.out\\.wav\\.${process.pid}-[0-9a-f]{8}\\.partial$`));
  expect(fs.readdirSync(dir).sort()).toEqual(['out.wav']); // the stale one removed, ours not created yet
  fs.writeFileSync(p.path, 'new');
  expect(fs.readFileSync(target, 'utf8')).toBe('old');
  p.commit();
  expect(fs.readFileSync(target, 'utf8')).toBe('new');
  const q = new PendingFile(target);
  fs.writeFileSync(q.path, 'never');
  q.discard();
  q.discard();
  expect(fs.readdirSync(dir)).toEqual(['out.wav']);
  expect(fs.readFileSync(target, 'utf8')).toBe('new');
  // a commit that cannot rename (target is a non-empty folder) removes the temporary and throws
  const folder = path.join(dir, 'folder');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'x'), 'x');
  const r = new PendingFile(folder);
  fs.writeFileSync(r.path, 'y');
  expect(() => r.commit()).toThrow();
  expect(fs.readdirSync(dir).sort()).toEqual(['folder', 'out.wav']);
});

test('PendingFile: a temporary neither committed nor discarded is removed when the process exits', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pending-exit-'));
  // the built module (tests run from source; a child process needs JavaScript)
  const mod = JSON.stringify(path.join(__dirname, '..', 'dist', 'temp-files.js'));
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `const fs = require('fs'); const { PendingFile } = require(${mod}); const p = new PendingFile(${JSON.stringify(path.join(dir, 'o.png'))}); fs.writeFileSync(p.path, 'x'); process.stdout.write(String(fs.readdirSync(${JSON.stringify(dir)}).length));`,
    ],
    { encoding: 'utf8' },
  );
  expect(r.stdout).toBe('1');
  expect(fs.readdirSync(dir)).toEqual([]);
});
