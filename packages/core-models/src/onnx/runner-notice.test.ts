import { spawnSync } from 'child_process';
import * as path from 'path';
import { ortFallbackNotice } from './runner';

const moduleNotFound = (name: string) =>
  Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- /app/node_modules/@diffgan/core-models/dist/onnx/runner.js`), {
    code: 'MODULE_NOT_FOUND',
  });

describe('ortFallbackNotice', () => {
  test('a missing package: one line, the reason, the cost and the fix', () => {
    const line = ortFallbackNotice(moduleNotFound('onnxruntime-node'));
    expect(line).toBe(
      'onnxruntime-node is not installed (its install step downloads a binary): running on tfjs, 2-7x slower; ' +
        'fix: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node (the CPU build ships in the package; DIFFGAN_RUNTIME=tfjs hides this line)',
    );
    expect(line).not.toContain('\n');
  });

  test('installed but broken (a missing dependency of its own, a bad binary) says "failed to load" with the first line of the error', () => {
    const dep = ortFallbackNotice(moduleNotFound('onnxruntime-common'));
    expect(dep.startsWith("onnxruntime-node failed to load (Cannot find module 'onnxruntime-common'): running on tfjs")).toBe(true);
    const bin = ortFallbackNotice(new Error('libonnxruntime.so.1: cannot open shared object file: No such file or directory'));
    expect(bin.startsWith('onnxruntime-node failed to load (libonnxruntime.so.1: cannot open shared object file: No such file or directory): ')).toBe(true);
    expect(bin).not.toContain('\n');
  });
});

// The real loader in a fresh process where onnxruntime-node cannot be resolved (as after npm drops a failed
// optional dependency): the line is printed once however often the fallback is taken. Needs the built dist.
test('a process without onnxruntime-node prints the notice once', () => {
  const dist = path.join(__dirname, '..', '..', 'dist', 'onnx', 'runner.js');
  const script = `
    const Module = require('module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (req, ...rest) {
      if (req === 'onnxruntime-node') { const e = new Error("Cannot find module 'onnxruntime-node'"); e.code = 'MODULE_NOT_FOUND'; throw e; }
      return resolve.call(this, req, ...rest);
    };
    const r = require(${JSON.stringify(dist)});
    if (r.loadOrt() !== null) throw new Error('onnxruntime-node still loaded');
    r.noteOrtFallback(); r.noteOrtFallback(); r.noteOrtFallback();`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  const lines = run.stderr.split('\n').filter((l) => l.includes('onnxruntime-node'));
  expect(lines).toEqual([ortFallbackNotice(moduleNotFound('onnxruntime-node'))]);
});
