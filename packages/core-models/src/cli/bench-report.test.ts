/** The bench report writer: tables from column specs, the results files and the README block between markers. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { markdownTable, renderBenchReport, replaceBenchBlock, benchBlockOf, writeBenchReport, ColumnSpec } from './bench-report';

interface Row {
  model: string;
  psnr: number;
  ssim: number;
  note?: string;
}
const rows: Row[] = [
  { model: 'bicubic', psnr: 28.41654, ssim: 0.81012 },
  { model: 'srcnn|v2', psnr: 30.4851, ssim: 0.8628, note: 'two\nlines' },
];
const columns: ColumnSpec<Row>[] = [
  { key: 'model', title: 'Model' },
  { key: 'psnr', title: 'PSNR (dB)', digits: 2 },
  { key: 'ssim', title: 'SSIM', digits: 4 },
  { key: 'note' },
];
const TABLE = [
  '| Model     | PSNR (dB) |   SSIM | note      |',
  '| --------- | --------: | -----: | --------- |',
  '| bicubic   |     28.42 | 0.8101 |           |',
  '| srcnn\\|v2 |     30.49 | 0.8628 | two lines |',
  '',
].join('\n');

test('markdownTable: digits, numbers right-aligned, pipes and newlines escaped, non-finite and custom cells', () => {
  expect(markdownTable(rows, columns)).toBe(TABLE);
  expect(markdownTable([{ v: Infinity }, { v: 0.5 }], [{ key: 'v', format: (v) => `${Number(v) * 100}%` }])).toBe(
    '|         v |\n| --------: |\n| Infinity% |\n|       50% |\n',
  );
  expect(markdownTable([{ v: -Infinity }, { v: NaN }], [{ key: 'v', digits: 2, align: 'center' }])).toBe('| v    |\n| :--: |\n| -inf |\n| NaN  |\n');
});

test('renderBenchReport: intro, each table after its lines, notes', () => {
  const md = renderBenchReport({
    intro: ['Machine: x.'],
    tables: [
      { rows, columns },
      { before: ['Second:'], rows: [{ a: 1 }], columns: [{ key: 'a' }] },
    ],
    notes: ['Note: n.'],
  });
  expect(md).toBe(`Machine: x.\n\n${TABLE}\nSecond:\n\n|   a |\n| --: |\n|   1 |\n\nNote: n.\n`);
});

test('replaceBenchBlock: only the block changes; a missing marker is an error', () => {
  const readme = '# pkg\n\ntext\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nafter\n';
  const next = replaceBenchBlock(readme, '| new |\n');
  expect(next).toBe('# pkg\n\ntext\n\n<!-- bench:start -->\n| new |\n<!-- bench:end -->\n\nafter\n');
  expect(benchBlockOf(next)).toBe('| new |\n');
  expect(replaceBenchBlock(next, '| new |\n')).toBe(next); // idempotent
  expect(() => replaceBenchBlock('# pkg\n<!-- bench:end -->\n<!-- bench:start -->\n', 'x')).toThrow(/no <!-- bench:start -->/);
  expect(benchBlockOf('# none\n')).toBeUndefined();
});

test('writeBenchReport: results.md/.json and the README block, round trip; a README without markers is left alone', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
  const warn = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const readme = path.join(dir, 'README.md');
    fs.writeFileSync(readme, 'intro\n<!-- bench:start -->\n<!-- bench:end -->\nend\n');
    const report = { intro: ['2026-01-01.'], tables: [{ rows, columns }] };
    const md = writeBenchReport(report, { base: path.join(dir, 'bench', 'results'), title: 'Set5', json: { rows, best: Infinity }, readme });
    expect(md).toBe(`2026-01-01.\n\n${TABLE}`);
    expect(fs.readFileSync(path.join(dir, 'bench', 'results.md'), 'utf8')).toBe(`# Set5\n\n${md}`);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'bench', 'results.json'), 'utf8'))).toEqual({ rows, best: null });
    expect(fs.readFileSync(readme, 'utf8')).toBe(`intro\n<!-- bench:start -->\n${md}<!-- bench:end -->\nend\n`);
    expect(benchBlockOf(fs.readFileSync(readme, 'utf8'))).toBe(renderBenchReport(report));
    fs.writeFileSync(readme, 'no markers\n');
    writeBenchReport(report, { base: path.join(dir, 'r'), readme });
    expect(fs.readFileSync(readme, 'utf8')).toBe('no markers\n');
    expect(String(warn.mock.calls[0][0])).toMatch(/README\.md: no <!-- bench:start -->.*README not updated/);
    expect(fs.readdirSync(dir).sort()).toEqual(['README.md', 'bench', 'r.md']);
  } finally {
    warn.mockRestore();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('writeBenchReport: a README block of its own between named markers (two generated blocks in one README)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
  try {
    const readme = path.join(dir, 'README.md');
    const a = { start: '<!-- a:begin -->', end: '<!-- a:end -->' },
      b = { start: '<!-- b:begin -->', end: '<!-- b:end -->' };
    fs.writeFileSync(readme, `x\n${a.start}\nold a\n${a.end}\ny\n${b.start}\nold b\n${b.end}\n`);
    const report = { tables: [{ rows, columns }] };
    writeBenchReport(report, { base: path.join(dir, 'r'), readme, markers: b, readmeBlock: 'README only\n' });
    expect(fs.readFileSync(path.join(dir, 'r.md'), 'utf8')).toBe(TABLE);
    expect(fs.readFileSync(readme, 'utf8')).toBe(`x\n${a.start}\nold a\n${a.end}\ny\n${b.start}\nREADME only\n${b.end}\n`);
    expect(benchBlockOf(fs.readFileSync(readme, 'utf8'), a)).toBe('old a\n');
    expect(benchBlockOf(fs.readFileSync(readme, 'utf8'))).toBeUndefined();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
