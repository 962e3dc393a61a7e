import { spawnSync } from 'child_process';
import * as path from 'path';

// Backend selection happens once per process, so each case runs in a fresh node.
const script = (code: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['-e', code], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    cwd: path.resolve(__dirname, '..'),
  });
const dist = path.resolve(__dirname, '..', 'dist', 'train.js');
const choose = `require(${JSON.stringify(dist)}).initBackend({ verbose: true }).then(b => console.log(b.name)).catch(e => { console.error(e.message); process.exit(1); })`;

test('default: tfjs-node is absent here, so wasm is chosen and reported with --verbose', () => {
  const r = script(choose, { DIFFGAN_BACKEND: '' });
  expect(r.stdout.trim()).toBe('wasm');
  expect(r.stderr).toContain('diffgan: tfjs backend wasm');
});
test('DIFFGAN_BACKEND=cpu overrides', () => {
  expect(script(choose, { DIFFGAN_BACKEND: 'cpu' }).stdout.trim()).toBe('cpu');
});
test('asking for an unavailable or unknown backend is a one-line error', () => {
  const r = script(choose, { DIFFGAN_BACKEND: 'tensorflow' });
  expect(r.status).toBe(1);
  expect(r.stderr.trim()).toBe("tfjs backend 'tensorflow' is not available");
  const u = script(choose, { DIFFGAN_BACKEND: 'gpu9000' });
  expect(u.stderr.trim()).toMatch(/^DIFFGAN_BACKEND=gpu9000 is not one of/);
});
