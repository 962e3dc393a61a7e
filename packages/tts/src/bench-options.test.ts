/** The options of the front-end evaluation and the soak bench (declared; a mistyped one is an error). */
import { evaluateCommand } from './frontend/evaluate';
import { soakCommand } from './soak';
import { DEFAULT_DENOISE_STEPS, DEFAULT_GL_ITERATIONS } from './synth/synthesize';

test('front-end evaluation: flags parse; a mistyped one was ignored before (argv.includes) and is an error now', () => {
  expect(evaluateCommand.parse([])).toMatchObject({ plain: false, from: 1, to: 9800, errors: 0 });
  expect(evaluateCommand.parse(['--plain', '--from=7001', '--to', '9800', '--errors', '5'])).toMatchObject({ plain: true, from: 7001, to: 9800, errors: 5 });
  expect(() => evaluateCommand.parse(['--plian'])).toThrow('unknown option --plian (see node dist/frontend/evaluate.js --help; did you mean --plain?)');
  expect(() => evaluateCommand.parse(['--from', 'x'])).toThrow('invalid value for --from: x (must be an integer ≥ 1)');
});

test('soak: defaults are the library defaults', () => {
  expect(soakCommand.parse([])).toMatchObject({ n: 1000, steps: DEFAULT_DENOISE_STEPS, gl: DEFAULT_GL_ITERATIONS });
  expect(() => soakCommand.parse(['--n', '0'])).toThrow('invalid value for --n: 0 (must be an integer ≥ 1)');
});

test('bench: declared options (it read them with argv.indexOf: a mistyped one was ignored); --help lists each', () => {
  const { benchCommand } = require('./bench') as typeof import('./bench');
  expect(benchCommand.parse([])).toMatchObject({ steps: DEFAULT_DENOISE_STEPS, gl: DEFAULT_GL_ITERATIONS, out: undefined });
  expect(benchCommand.parse(['--steps', '2', '--gl', '4', '--phase-lock', '0'])).toMatchObject({ steps: 2, gl: 4, 'phase-lock': 0 });
  expect(() => benchCommand.parse(['--stpes', '2'])).toThrow('unknown option --stpes (see npm run bench -w @diffgan/tts -- --help; did you mean --steps?)');
  expect(() => benchCommand.parse(['--gl', 'x'])).toThrow('invalid value for --gl: x (must be an integer from 0 to 500)');
  for (const name of Object.keys(benchCommand.spec.options)) expect(benchCommand.help()).toContain(`--${name}`);
});

test("the README's results block is the bench's report (bench/report.md; no results.json before this run format)", () => {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const { benchBlockOf } = require('@diffgan/core-models') as typeof import('@diffgan/core-models');
  const pkg = path.join(__dirname, '..');
  const report = fs.readFileSync(path.join(pkg, 'bench', 'report.md'), 'utf8');
  expect(`# @diffgan/tts bench\n\n${benchBlockOf(fs.readFileSync(path.join(pkg, 'README.md'), 'utf8'))}`).toBe(report);
});
