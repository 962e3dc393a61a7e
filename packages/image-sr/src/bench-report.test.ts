/** The README's results block and bench/results.md are the bench's report, rendered from the committed bench/results.json. */
import * as fs from 'fs';
import * as path from 'path';
import { benchBlockOf, renderBenchReport } from '@diffgan/core-models';
import { srBenchReport, benchCommand, SrBenchResults } from './bench';

const PKG = path.resolve(__dirname, '..');

test('README block = bench/results.md body = srBenchReport(bench/results.json)', () => {
  const r = JSON.parse(fs.readFileSync(path.join(PKG, 'bench', 'results.json'), 'utf8')) as SrBenchResults;
  // runs before 2026-12 did not record these fields (their results.md says them)
  const run = {
    ...r,
    sets: r.sets ?? ['Set5', 'Set14'],
    threads: r.threads ?? 0,
    tfjs: r.tfjs ?? '4.22.0',
    wasmThreads: r.wasmThreads ?? false,
  };
  const md = renderBenchReport(srBenchReport(run, []));
  expect(benchBlockOf(fs.readFileSync(path.join(PKG, 'README.md'), 'utf8'))).toBe(md);
  expect(fs.readFileSync(path.join(PKG, 'bench', 'results.md'), 'utf8')).toBe(`# image-sr benchmark\n\n${md}`);
});

test('bench options: declared (a mistyped one is an error), --help lists each, defaults kept', () => {
  expect(benchCommand.parse([])).toMatchObject({
    scales: ['4', '2'],
    refine: 2,
    threads: 0,
    upscalerjs: ['slim', 'medium', 'thick'],
    quick: false,
    'no-metrics': false,
  });
  expect(() => benchCommand.parse(['--scales', '3'])).toThrow('invalid value for --scales: 3 (a comma-separated list of 4, 2)');
  expect(() => benchCommand.parse(['--upscalerjs', 'slim,huge'])).toThrow(
    'invalid value for --upscalerjs: slim,huge (a comma-separated list of slim, medium, thick)',
  );
  expect(() => benchCommand.parse(['--no-metric'])).toThrow(
    'unknown option --no-metric (see npm run bench -w @diffgan/image-sr -- --help; did you mean --no-metrics?)',
  );
  for (const name of Object.keys(benchCommand.spec.options)) expect(benchCommand.help()).toContain(`--${name}`);
});
