import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { removeStaleTemps, tempPathFor, writeFileAtomic } from './temp-files';

test('stale temporaries of dead processes are removed; live ones, other files and other targets stay', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temps-'));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout);
  const target = path.join(dir, 'out.png');
  const stale = [`.out.png.${deadPid}-0a1b2c3d.tmp`, `.out.png.${deadPid}-99aa00ff.partial`, `.out.png.${deadPid}.k3j4h5g6.tmp`, `.out.png.${deadPid}.tmp`, `out.png.tmp-${deadPid}`];
  const kept = [`.out.png.${process.pid}-0a1b2c3d.tmp`, `.other.png.${deadPid}-0a1b2c3d.tmp`, 'out.png', `.out.png.${deadPid}-0a1b2c3d.tmp.bak`];
  for (const f of [...stale, ...kept]) fs.writeFileSync(path.join(dir, f), 'x');
  expect(removeStaleTemps(target).map((p) => path.basename(p)).sort()).toEqual([...stale].sort());
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
