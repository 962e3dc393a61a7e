/**
 * The one way a bench reports: it declares rows and columns, and writeBenchReport renders the
 * markdown tables, writes `<base>.md` (and `<base>.json`) and replaces the results block of the
 * package README between `<!-- bench:start -->` and `<!-- bench:end -->`, so every results table
 * in a README is the output of its command. Here (not in eval) so that core-models' own bench
 * can use it too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DiffganError, warnLine } from '../errors';
import { writeFileAtomic } from '../temp-files';

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

/** One table of a report, with the lines of text before it. */
export interface BenchTable<Row = never> {
  before?: readonly string[];
  rows: readonly Row[];
  columns: readonly ColumnSpec<Row>[];
}

/** A bench's results: text before the tables (machine, date, protocol), the tables, text after them (notes). */
export interface BenchReport {
  intro?: readonly string[];
  // biome-ignore lint/suspicious/noExplicitAny: each table has its own row type
  tables: readonly BenchTable<any>[];
  notes?: readonly string[];
}

export const BENCH_START = '<!-- bench:start -->';
export const BENCH_END = '<!-- bench:end -->';

/** The report as markdown: intro lines, then each table after its lines, then the notes. */
export function renderBenchReport(report: BenchReport): string {
  const parts: string[] = [];
  if (report.intro?.length) parts.push(report.intro.join('\n') + '\n');
  for (const t of report.tables) parts.push((t.before?.length ? t.before.join('\n') + '\n\n' : '') + markdownTable(t.rows, t.columns));
  if (report.notes?.length) parts.push(report.notes.join('\n') + '\n');
  return parts.join('\n');
}

/** The comments a README block sits between; a README with two generated blocks gives one its own pair. */
export interface BenchMarkers {
  start: string;
  end: string;
}
const DEFAULT_MARKERS: BenchMarkers = { start: BENCH_START, end: BENCH_END };

/** `text` with the block between the bench markers replaced by `block`; an error when the markers are missing or out of order. */
export function replaceBenchBlock(text: string, block: string, markers: BenchMarkers = DEFAULT_MARKERS): string {
  const start = text.indexOf(markers.start),
    end = text.indexOf(markers.end);
  if (start < 0 || end < start) throw new DiffganError(`no ${markers.start} … ${markers.end} block`);
  return text.slice(0, start + markers.start.length) + '\n' + block.replace(/\n*$/, '\n') + text.slice(end);
}

/** The block between the bench markers of `text` (undefined when it has none), as replaceBenchBlock wrote it. */
export function benchBlockOf(text: string, markers: BenchMarkers = DEFAULT_MARKERS): string | undefined {
  const start = text.indexOf(markers.start),
    end = text.indexOf(markers.end);
  return start < 0 || end < start ? undefined : text.slice(start + markers.start.length + 1, end);
}

/**
 * Replaces the README's block between the markers with `block`, atomically. A README without
 * the markers is left alone, with a warning, so a long run's results are never lost to it.
 */
export function writeReadmeBlock(readme: string, block: string, markers: BenchMarkers = DEFAULT_MARKERS): void {
  const text = fs.readFileSync(readme, 'utf8');
  try {
    writeFileAtomic(readme, replaceBenchBlock(text, block, markers));
  } catch (e) {
    if (!(e instanceof DiffganError)) throw e;
    warnLine(`bench: ${readme}: ${e.message}; README not updated`);
  }
}

/**
 * Writes a bench's results: `<base>.md` (the rendered report, with `title` as its heading),
 * `<base>.json` (`json`, when given; non-finite numbers as null) and, with `readme`, the README's
 * block between the bench markers (`markers`; `readmeBlock` when the README shows more or other
 * than the report, e.g. links relative to the README; see writeReadmeBlock). Files are written
 * atomically. Returns the markdown.
 */
export function writeBenchReport(
  report: BenchReport,
  to: { base: string; title?: string; json?: unknown; readme?: string; markers?: BenchMarkers; readmeBlock?: string },
): string {
  const md = renderBenchReport(report);
  fs.mkdirSync(path.dirname(to.base), { recursive: true });
  writeFileAtomic(`${to.base}.md`, (to.title ? `# ${to.title}\n\n` : '') + md);
  if (to.json !== undefined) writeFileAtomic(`${to.base}.json`, jsonText(to.json));
  if (to.readme) writeReadmeBlock(to.readme, to.readmeBlock ?? md, to.markers);
  return md;
}

/** Pretty JSON; non-finite numbers become null (JSON has no Infinity, and the PSNR of identical images is Infinity). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
