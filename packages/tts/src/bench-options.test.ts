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
