/**
 * eval's report helpers. The markdown table is core-models' (one renderer for every bench and
 * report); writeJson / writeReport are the async writers of a rows file and its table.
 */
import { writeFileAtomicAsync, markdownTable, jsonText } from '@diffgan/core-models';
import type { ColumnSpec } from '@diffgan/core-models';

export { markdownTable };
export type { ColumnSpec };

/**
 * Writes `value` as pretty JSON, atomically (no truncated report after a
 * crash). Non-finite numbers become null: JSON has no Infinity, and PSNR of
 * identical images is Infinity.
 */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFileAtomicAsync(file, jsonText(value), { makeDirs: true });
}

/** Writes the markdown table to `<base>.md` and the raw rows to `<base>.json`. */
export async function writeReport<Row>(base: string, rows: readonly Row[], columns: readonly ColumnSpec<Row>[], title?: string): Promise<void> {
  await writeFileAtomicAsync(`${base}.md`, (title ? `# ${title}\n\n` : '') + markdownTable(rows, columns), { makeDirs: true });
  await writeJson(`${base}.json`, rows);
}
