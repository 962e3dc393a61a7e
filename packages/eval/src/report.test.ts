import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeJson, writeReport, ColumnSpec } from './report';

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

// markdownTable is core-models' (re-exported here): its cases are in core-models src/cli/bench-report.test.ts

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
