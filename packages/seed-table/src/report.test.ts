/** The README's seed-table block and results.md are the bench's report, rendered from the committed results.json. */
import * as fs from 'fs';
import * as path from 'path';
import { benchBlockOf, renderBenchReport } from '@diffgan/core-models';
import { seedTableReport, seedTableReadmeBlock, seedTableMarkers, evaluateTargets } from './run';

const PKG = path.resolve(__dirname, '..');

test('README block and results/results.md = seedTableReport(results/results.json)', () => {
  const r = JSON.parse(fs.readFileSync(path.join(PKG, 'results', 'results.json'), 'utf8'));
  expect(evaluateTargets(r.rows)).toEqual(r.targets);
  // the 2026-12-05 run's results.json has neither its date nor env.training (the report says both)
  const env = { training: 'tfjs-wasm', ...r.env };
  const report = seedTableReport(r.options, r.rows, r.floor, r.noise, env, '2026-12-05');
  expect(fs.readFileSync(path.join(PKG, 'results', 'results.md'), 'utf8')).toBe(renderBenchReport(report));
  const readme = fs.readFileSync(path.join(PKG, 'README.md'), 'utf8');
  expect(benchBlockOf(readme, seedTableMarkers('mnist'))).toBe(seedTableReadmeBlock(report, r.rows, 'results'));
});
