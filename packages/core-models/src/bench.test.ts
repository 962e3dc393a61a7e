/**
 * The README's results block is the bench's report: rendered from the committed
 * bench/results.json it is the block between the bench markers, byte for byte.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderCoreBench, benchCommand } from './bench';
import type { CoreBenchResults } from './bench';
import { benchBlockOf, renderBenchReport } from './cli/bench-report';

const PKG = path.resolve(__dirname, '..');

test('README block = renderCoreBench(bench/results.json) = bench/results.md', () => {
  const results = JSON.parse(fs.readFileSync(path.join(PKG, 'bench', 'results.json'), 'utf8')) as CoreBenchResults;
  // the 2026-12-06 run predates results.json's env; its machine line said this
  results.env ??= { cpu: 'AMD EPYC', cores: 2, node: 'v20.20.2', minutes: 7 };
  const md = renderBenchReport(renderCoreBench(results));
  expect(benchBlockOf(fs.readFileSync(path.join(PKG, 'README.md'), 'utf8'))).toBe(md);
  expect(fs.readFileSync(path.join(PKG, 'bench', 'results.md'), 'utf8')).toBe(md);
});

test('the bench takes no options: a flag is an error, --help says what it runs', () => {
  expect(() => benchCommand.parse(['--quick'])).toThrow('unknown option --quick (see npm run bench -w @diffgan/core-models -- --help)');
  expect(benchCommand.parse(['--help']).help).toBe(true);
  expect(benchCommand.help()).toMatch(/^usage: npm run bench -w @diffgan\/core-models --\n/);
});
