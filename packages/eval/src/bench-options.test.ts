/** The eval benchmark declares its options: a mistyped one is an error, --help lists each, defaults and ranges are kept. */
import { trainClassifierCommand, HELP } from './bench';

test('train-classifier: --help lists every option; a mistyped option is an error naming the one meant', () => {
  const help = trainClassifierCommand.help();
  for (const o of Object.keys(trainClassifierCommand.spec.options)) expect(help).toContain(`--${o}`);
  expect(HELP).toContain('train-classifier');
  expect(() => trainClassifierCommand.parse(['--stpes', '1'])).toThrow(
    'unknown option --stpes (see npm run bench -w @diffgan/eval -- train-classifier --help; did you mean --steps?)',
  );
});

test('train-classifier: the defaults it had, values checked', () => {
  expect(trainClassifierCommand.parse([])).toMatchObject({
    dataset: 'mnist',
    steps: 3000,
    batch: 64,
    lr: 2e-3,
    run: undefined,
    out: undefined,
    workers: undefined,
    threads: 1,
    ep: 'cpu',
  });
  expect(() => trainClassifierCommand.parse(['--steps', '0'])).toThrow('invalid value for --steps: 0 (must be an integer ≥ 1)');
  expect(() => trainClassifierCommand.parse(['--dataset', 'cifar'])).toThrow('invalid value for --dataset: cifar (must be mnist or fashion-mnist)');
});
