import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeJson, writeReport, ColumnSpec } from './report';

// markdownTable is core-models' (re-exported here): its cases are in core-models src/cli/bench-report.test.ts;
// this file checks what eval adds, the files: a titled table next to the raw rows.
interface Row {
  set: string;
  psnr: number;
}

const rows: Row[] = [
  { set: 'Set5', psnr: 28.41654 },
  { set: 'Set14', psnr: 26.08441 },
];
const columns: ColumnSpec<Row>[] = [
  { key: 'set', title: 'Set' },
  { key: 'psnr', title: 'PSNR (dB)', digits: 2 },
];

describe('writeJson / writeReport', () => {
  test('write complete files and leave no temporaries; Infinity becomes null', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-report-'));
    try {
      await writeJson(path.join(dir, 'sub', 'a.json'), { psnr: Infinity, x: [1, 2] });
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'sub', 'a.json'), 'utf8'))).toEqual({ psnr: null, x: [1, 2] });
      await writeReport(path.join(dir, 'bench'), rows, columns, 'Bicubic x4');
      expect(fs.readFileSync(path.join(dir, 'bench.md'), 'utf8')).toBe(
        '# Bicubic x4\n\n| Set   | PSNR (dB) |\n| ----- | --------: |\n| Set5  |     28.42 |\n| Set14 |     26.08 |\n',
      );
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'bench.json'), 'utf8'))).toEqual(rows);
      expect(fs.readdirSync(dir).sort()).toEqual(['bench.json', 'bench.md', 'sub']);
      expect(fs.readdirSync(path.join(dir, 'sub'))).toEqual(['a.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
