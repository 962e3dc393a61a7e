import { spawnSync } from 'child_process';
import * as path from 'path';
import { ortFallbackNotice } from './onnx/runner';
import { hasTf, loadTf, tf, TFJS_INSTALL } from './tf';

// tfjs is an optional peer dependency (#28): the package loads without it, inference on onnxruntime-node
// never touches it, and the first use says what to install. Run in a fresh process where no
// @tensorflow/* package resolves (as in an inference install); needs the built dist.
const DIST = path.join(__dirname, '..', 'dist');
function withoutTfjs(body: string): { status: number | null; stdout: string; stderr: string } {
  const script = `
    const Module = require('module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (req, ...rest) {
      if (/^@tensorflow\\//.test(req)) { const e = new Error("Cannot find module '" + req + "'"); e.code = 'MODULE_NOT_FOUND'; throw e; }
      return resolve.call(this, req, ...rest);
    };
    const core = { ...require(${JSON.stringify(path.join(DIST, 'index.js'))}), ...require(${JSON.stringify(path.join(DIST, 'train.js'))}) };
    (async () => { ${body} })().catch((e) => { console.error('unexpected: ' + e.message); process.exit(2); });`;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
}

test('without tfjs: both entries load and the index runs ONNX inference; tf, initBackend (/train) and the tfjs runtime say what to install', () => {
  const r = withoutTfjs(`
    const g = new core.GraphBuilder('one-conv');
    g.output('y', g.conv(g.input('x', 'image', 1), 1, { k: 1 }));
    const spec = g.build();
    const w = new Map(spec.params.map((p) => [p.name, { shape: p.shape, data: new Float32Array(p.shape.reduce((a, b) => a * b, 1)).fill(p.name.endsWith('b') ? 0.5 : 2) }]));
    const runner = await core.createRunner(spec, w);
    const out = await runner.run({ x: { data: new Float32Array([1, 2, 3, 4]), shape: [1, 2, 2, 1] } });
    console.log(runner.runtime, Array.from(out.y.data).join(' '));
    const fails = async (f) => { try { await f(); return 'no error'; } catch (e) { return e.message; } };
    console.log(await fails(() => core.tf.tidy(() => 1)));
    console.log(await fails(() => core.initBackend()));
    console.log(await fails(() => core.createRunner(spec, w, { runtime: 'tfjs' })));`);
  expect(r.stderr).toBe('');
  expect(r.stdout.trim().split('\n')).toEqual([
    // a 1x1 conv with weight 2 and bias 0.5: y = 2x + 0.5
    'onnxruntime-node 2.5 4.5 6.5 8.5',
    `@tensorflow/tfjs is needed for training and the tfjs runtime: ${TFJS_INSTALL}`,
    `@tensorflow/tfjs is needed for a tfjs backend (training, or inference without onnxruntime-node): ${TFJS_INSTALL}`,
    `@tensorflow/tfjs is needed for the tfjs runtime: ${TFJS_INSTALL}`,
  ]);
  expect(TFJS_INSTALL).toBe('npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm');
});

test('with tfjs installed (this repository) tf is tfjs-core, loaded once', () => {
  expect(hasTf()).toBe(true);
  const core = loadTf();
  expect(loadTf()).toBe(core);
  expect(tf.tidy).toBe(core.tidy);
  expect(Array.from(tf.tensor([1, 2]).add(1).dataSync())).toEqual([2, 3]);
  expect(tf.scalar(1)).toBeInstanceOf(tf.Tensor);
});

test('neither onnxruntime-node nor tfjs: the one line names both fixes', () => {
  const missing = Object.assign(new Error("Cannot find module 'onnxruntime-node'"), { code: 'MODULE_NOT_FOUND' });
  expect(ortFallbackNotice(missing, false)).toBe(
    'onnxruntime-node is not installed (its install step downloads a binary), and the tfjs fallback is not installed either; ' +
      `fix: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node (the CPU build ships in the package), or ${TFJS_INSTALL}`,
  );
});
