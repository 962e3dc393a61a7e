import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { markdownTable, writeJson, writeReport, ColumnSpec } from './report';

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

describe('markdownTable', () => {
  test('formats digits, right-aligns numbers, escapes pipes and newlines', () => {
    expect(markdownTable(rows, columns)).toBe(
      [
        '| Model     | PSNR (dB) |   SSIM | note      |',
        '| --------- | --------: | -----: | --------- |',
        '| bicubic   |     28.42 | 0.8101 |           |',
        '| srcnn\\|v2 |     30.49 | 0.8628 | two lines |',
        '',
      ].join('\n'),
    );
  });

  test('custom formatter and non-finite numbers', () => {
    const t = markdownTable([{ v: Infinity }, { v: 0.5 }], [{ key: 'v', format: (v) => `${Number(v) * 100}%` }]);
    expect(t).toContain('Infinity%');
    expect(markdownTable([{ v: Infinity }], [{ key: 'v', digits: 2 }])).toContain('inf');
  });
});

describe('writeJson / writeReport', () => {
  test('write complete files and leave no temporaries; Infinity becomes null', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-report-'));
    try {
      await writeJson(path.join(dir, 'sub', 'a.json'), { psnr: Infinity, x: [1, 2] });
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'sub', 'a.json'), 'utf8'))).toEqual({ psnr: null, x: [1, 2] });
      await writeReport(path.join(dir, 'bench'), rows, columns, 'Set5 x4');
      expect(fs.readFileSync(path.join(dir, 'bench.md'), 'utf8')).toMatch(/^# Set5 x4\n\n\| Model/);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'bench.json'), 'utf8'))).toEqual(rows);
      expect(fs.readdirSync(dir).sort()).toEqual(['bench.json', 'bench.md', 'sub']);
      expect(fs.readdirSync(path.join(dir, 'sub'))).toEqual(['a.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
