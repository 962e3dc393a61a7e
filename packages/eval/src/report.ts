import { writeFileAtomicAsync } from '@diffgan/core-models';

/** How one column of a results table is titled and formatted. */
export interface ColumnSpec<Row> {
  /** Property of the row to show. */
  key: keyof Row & string;
  /** Header text. Default: the key. */
  title?: string;
  /** Fixed number of decimals for numbers (e.g. 2 for PSNR, 4 for SSIM). Default: shown as is. */
  digits?: number;
  /** Markdown alignment. Default: right for numbers, left otherwise. */
  align?: 'left' | 'right' | 'center';
  /** Custom formatter; overrides `digits`. */
  format?: (value: Row[keyof Row & string], row: Row) => string;
}

function formatCell<Row>(col: ColumnSpec<Row>, row: Row): string {
  const value = row[col.key];
  if (col.format) return col.format(value, row);
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return col.digits !== undefined ? value.toFixed(col.digits) : String(value);
  }
  return String(value);
}

/** Pipes would end a cell and newlines would end the row. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Renders rows as a GitHub-flavoured markdown table, columns padded so the source reads well too. */
export function markdownTable<Row>(rows: readonly Row[], columns: readonly ColumnSpec<Row>[]): string {
  if (columns.length === 0) throw new Error('markdownTable: no columns');
  const header = columns.map((c) => escapeCell(c.title ?? c.key));
  const body = rows.map((r) => columns.map((c) => escapeCell(formatCell(c, r))));
  const align = columns.map((c) => c.align ?? (rows.length > 0 && typeof rows[0][c.key] === 'number' ? 'right' : 'left'));
  const widths = columns.map((_, i) => Math.max(3, header[i].length, ...body.map((b) => b[i].length)));
  const pad = (text: string, i: number) => (align[i] === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const rule = widths.map((w, i) => {
    if (align[i] === 'right') return '-'.repeat(w - 1) + ':';
    if (align[i] === 'center') return ':' + '-'.repeat(w - 2) + ':';
    return '-'.repeat(w);
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header.map(pad)), line(rule), ...body.map((b) => line(b.map(pad)))].join('\n') + '\n';
}

/**
 * Writes `value` as pretty JSON, atomically (no truncated report after a
 * crash). Non-finite numbers become null: JSON has no Infinity, and PSNR of
 * identical images is Infinity.
 */
export async function writeJson(file: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
  await writeFileAtomicAsync(file, text, { makeDirs: true });
}

/** Writes the markdown table to `<base>.md` and the raw rows to `<base>.json`. */
export async function writeReport<Row>(base: string, rows: readonly Row[], columns: readonly ColumnSpec<Row>[], title?: string): Promise<void> {
  await writeFileAtomicAsync(`${base}.md`, (title ? `# ${title}\n\n` : '') + markdownTable(rows, columns), { makeDirs: true });
  await writeJson(`${base}.json`, rows);
}
