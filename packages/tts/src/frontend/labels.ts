/** Reads the corpus label TSV (id, text with prosody marks, text, surface pinyin). */
import * as fs from 'fs';
import * as path from 'path';
import { requireDataRoot } from '@diffgan/core-models';

export interface LabelRow {
  id: number;
  markedText: string;
  text: string;
  pinyin: string[];
}

/** The BZNSYP corpus folder under the data root (core-models' requireDataRoot: a clear error when it is missing). */
export function bznsypDir(dataArg?: string): string {
  return path.join(requireDataRoot(dataArg, 'tts/bznsyp'), 'tts', 'bznsyp');
}

export function labelsPath(): string {
  return path.join(bznsypDir(), 'labels_000001-009800.tsv');
}

export function readLabels(file = labelsPath()): LabelRow[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const rows: LabelRow[] = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const [id, markedText, text, pinyin] = line.split('\t');
    rows.push({ id: Number(id), markedText, text, pinyin: pinyin.trim().split(/\s+/) });
  }
  return rows;
}
