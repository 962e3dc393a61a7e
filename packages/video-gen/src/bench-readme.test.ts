/** The README's two result blocks are the bench's: rendered from the committed bench/results.json, byte for byte. */
import * as fs from 'fs';
import * as path from 'path';
import { benchBlockOf, renderBenchReport } from '@diffgan/core-models';
import { readmeBlocks, benchReport } from './bench';

const PKG = path.resolve(__dirname, '..');
const results = JSON.parse(fs.readFileSync(path.join(PKG, 'bench', 'results.json'), 'utf8'));

test('README blocks = readmeBlocks(bench/results.json)', () => {
  const readme = fs.readFileSync(path.join(PKG, 'README.md'), 'utf8');
  for (const { markers, block } of readmeBlocks(results)) expect(benchBlockOf(readme, markers)).toBe(block);
});

test('bench/results.md = benchReport(bench/results.json)', () => {
  const strip = 'cockatoo, the 4 consecutive dropped frames with the most motion among the scored pairs';
  expect(fs.readFileSync(path.join(PKG, 'bench', 'results.md'), 'utf8')).toBe(`# video-gen benchmark\n\n${renderBenchReport(benchReport(results, strip))}`);
});
