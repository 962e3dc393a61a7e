/** train, train-refiner and export read their flags without a list of known ones: a mistyped flag was ignored. Now declared. */
import { trainCommand } from './train';
import { trainRefinerCommand } from './train-refiner';
import { exportCommand } from './export';

test('defaults as before; typed values; a mistyped or unknown flag is an error naming it', () => {
  expect(trainCommand.parse([])).toMatchObject({ scale: 4, steps: 20000, batch: 16, patch: 32, lr: 5e-4, seed: 0, 'checkpoint-every': 250, 'log-every': 25, threads: 1, ep: 'cpu', runtime: undefined, workers: undefined });
  expect(trainCommand.parse(['--scale=2', '--steps', '3500', '--runtime', 'tfjs'])).toMatchObject({ scale: 2, steps: 3500, runtime: 'tfjs' });
  expect(() => trainCommand.parse(['--stpes', '100'])).toThrow('unknown option --stpes (see npm run train -w @diffgan/image-sr -- --help; did you mean --steps?)');
  expect(() => trainCommand.parse(['--scale', '3'])).toThrow('invalid value for --scale: 3 (must be 2 or 4)');
  expect(trainRefinerCommand.parse([])).toMatchObject({ scale: 4, steps: 3000, batch: 8, patch: undefined, lr: 2e-4, l1: 1, r1: 0.1, 'checkpoint-every': 100, 'log-every': 10 });
  expect(() => trainRefinerCommand.parse(['--r1-gamma', '1'])).toThrow(/^unknown option --r1-gamma/);
  expect(exportCommand.parse(['--refiner', '--scale', '2'])).toMatchObject({ refiner: true, scale: 2, 'no-floor': false });
  expect(() => exportCommand.parse(['--no-flor'])).toThrow(/did you mean --no-floor\?/);
});
