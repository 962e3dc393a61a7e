/** The README's results block is the bench's: rendered from the committed bench/results.json, byte for byte. */
import * as fs from 'fs';
import * as path from 'path';
import { benchBlockOf, renderBenchReport } from '@diffgan/core-models';
import { readmeBlock, benchReport } from './bench';

const PKG = path.resolve(__dirname, '..');
const results = JSON.parse(fs.readFileSync(path.join(PKG, 'bench', 'results.json'), 'utf8'));

test('README block = readmeBlock(bench/results.json)', () => {
  expect(benchBlockOf(fs.readFileSync(path.join(PKG, 'README.md'), 'utf8'))).toBe(readmeBlock(results));
});

test("the README block is bench/results.md's tables condensed: each cell equals that row's value", () => {
  const block = readmeBlock(results);
  const line = (clip: string, setting: string) => block.split('\n').find((l) => l.startsWith(`| ${clip} `) && l.includes(setting))!;
  // carphone interpolation, Y-PSNR (results.md): ifnet 37.83, minterpolate 37.67 (margin +0.16), no block candidate 37.64,
  // the net's flows 37.59, flip average 37.85, GAN model 37.85, blend 37.48, duplicate 34.89
  expect(
    line('carphone', '176x144')
      .split('|')
      .map((c) => c.trim()),
  ).toEqual(['', 'carphone', '176x144', '37.83', '37.67', '+0.16', '37.64', '37.59', '37.85', '37.85', '37.48', '34.89', '']);
  // foreman x4 upscaling: lanczos 23.87, per frame 24.46, ours 24.47; temporal error 6.008 and 5.978
  expect(
    line('foreman', 'x4')
      .split('|')
      .map((c) => c.trim()),
  ).toEqual(['', 'foreman', 'x4 (88x72 → 352x288)', '23.87', '24.46', '24.47', '6.008', '5.978', '']);
});

test('bench/results.md = benchReport(bench/results.json)', () => {
  const strip =
    'cockatoo, the 4 consecutive dropped frames with the most motion among the scored pairs (eval range, centre crop 320x180); rows: blend of the two kept neighbours (what the input gives), ifnet (ours), minterpolate, ground truth';
  expect(fs.readFileSync(path.join(PKG, 'bench', 'results.md'), 'utf8')).toBe(`# video-gen benchmark\n\n${renderBenchReport(benchReport(results, strip))}`);
});
