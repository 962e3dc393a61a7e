/**
 * Intelligibility by an offline Mandarin recognizer (issue #26): shared/tools/asr-zh, installed
 * by its setup.sh into $ASR_HOME (default ~/.cache/asr-zh). Its `asr-ser LIST.tsv` decodes each
 * WAV and prints per line the character error rate and the toneless-syllable error rate (SER),
 * then the means. The recognizer is weak (a 5,000-word news language model), so its numbers
 * only mean something relative to the real recordings of the same sentences; differences under
 * ~0.05 are noise. Bench-only: nothing here is part of synthesis.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { DiffganError } from '@diffgan/core-models';
import { encodeWav16 } from './dsp/wav';

export const ASR_SAMPLE_RATE = 22050;

/** The recognizer's folder: $ASR_HOME, else where setup.sh installs by default. */
export function asrHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.ASR_HOME || path.join(os.homedir(), '.cache', 'asr-zh');
}

/** Path of the installed `asr-ser` script, or null when the recognizer is not installed there. */
export function findAsrSer(home = asrHome()): string | null {
  const p = path.join(home, 'asr-ser');
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return p;
  } catch {
    return null;
  }
}

/** One sentence to recognise: the reference text and the audio (22,050 Hz mono). */
export interface AsrItem {
  id: string;
  text: string;
  wave: Float32Array;
}

export interface AsrLine {
  id: string;
  cer: number;
  ser: number;
  ref: string;
  hyp: string;
}

/** asr-ser's result: per-sentence lines and its summary (means over sentences; corpus = pooled counts). */
export interface AsrScore {
  utterances: number;
  meanCer: number;
  meanSer: number;
  corpusCer: number;
  corpusSer: number;
  lines: AsrLine[];
}

const SUMMARY = /^# utterances (\d+)\s+mean CER ([\d.]+)\s+mean SER ([\d.]+)\s+corpus CER ([\d.]+)\s+corpus SER ([\d.]+)/m;

/**
 * Parses asr-ser's stdout: a header `id CER SER ref hyp`, one tab-separated line per sentence
 * (an empty hypothesis leaves the last field empty), then `# utterances N  mean CER x  mean SER
 * y  corpus CER z  corpus SER w`. Output without that summary (a crash half-way) is an error.
 */
export function parseAsrSer(stdout: string): AsrScore {
  const m = SUMMARY.exec(stdout);
  if (!m) throw new DiffganError(`asr-ser: no summary line in its output:\n${stdout.slice(-400)}`);
  const lines: AsrLine[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('#') || line.startsWith('id\t')) continue;
    const f = line.split('\t');
    if (f.length < 4) continue;
    lines.push({ id: f[0], cer: Number(f[1]), ser: Number(f[2]), ref: f[3], hyp: f[4] ?? '' });
  }
  const score = { utterances: Number(m[1]), meanCer: Number(m[2]), meanSer: Number(m[3]), corpusCer: Number(m[4]), corpusSer: Number(m[5]), lines };
  if (lines.length !== score.utterances) throw new DiffganError(`asr-ser: ${lines.length} sentence lines but the summary counts ${score.utterances}`);
  return score;
}

/**
 * Adds one sentence to the list in `dir`: its audio as `<dir>/<id>.wav` (16-bit) and a row
 * `id<TAB>text<TAB>wav path` in `<dir>/list.tsv` (what asr-ser reads). Written as the bench goes,
 * so that no system's audio stays in memory.
 */
export function addAsrItem(dir: string, item: AsrItem): void {
  fs.mkdirSync(dir, { recursive: true });
  const wav = path.join(dir, `${item.id}.wav`);
  fs.writeFileSync(wav, encodeWav16(item.wave, ASR_SAMPLE_RATE));
  // a tab or newline in the text would split the row
  fs.appendFileSync(path.join(dir, 'list.tsv'), `${item.id}\t${item.text.replace(/[\t\r\n]+/g, ' ')}\t${wav}\n`);
}

/** Recognises the list in `dir` (addAsrItem) with asr-ser and returns its scores. */
export function scoreAsrList(dir: string, asrSer: string): AsrScore {
  const list = path.join(dir, 'list.tsv');
  const r = spawnSync(asrSer, [list], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.error || r.status !== 0) throw new DiffganError(`asr-ser ${list} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').slice(-400)}`);
  return parseAsrSer(r.stdout);
}
