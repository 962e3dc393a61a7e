/**
 * `tts` command line. For now only the front end:
 *   tts --pinyin 文本……      one line per sentence: units separated by " | ", breaks as #n
 *   tts --json 文本……        the structured reading as JSON
 * Text comes from the arguments, or from stdin when there are none.
 * Warnings (dropped symbols, spelled letters) go to stderr.
 */
import * as fs from 'fs';
import { readText } from './frontend/reading';
import type { SentenceReading } from './frontend/types';
import { synthMain, SYNTH_USAGE } from './synth/cli';

const USAGE = `usage: tts --pinyin [text]   print the reading (pinyin with prosodic units)
       tts --json [text]     print the structured reading as JSON
text defaults to stdin`;

/** "ni2 hao3 #1 shi4 jie4 #4" style line for one sentence. */
export function formatSentence(sentence: SentenceReading): string {
  return sentence.units
    .map((u) => `${u.syllables.map((s) => s.pinyin).join(' ')} #${u.breakAfter}`)
    .join(' ');
}

export function main(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
}): number | Promise<number> {
  // Speech synthesis unless only the front end was asked for (--pinyin/--json without -o).
  const frontEndOnly = (argv.includes('--pinyin') || argv.includes('--json')) && !argv.includes('-o') && !argv.includes('--out');
  if (!frontEndOnly && !argv.includes('--help') && argv.length > 0) return synthMain(argv, io);
  const flags = argv.filter((a) => a.startsWith('--'));
  const words = argv.filter((a) => !a.startsWith('--'));
  if (flags.includes('--help') || (!flags.includes('--pinyin') && !flags.includes('--json'))) {
    io.stdout(USAGE + '\n' + SYNTH_USAGE + '\n');
    return flags.includes('--help') ? 0 : 2;
  }
  const text = words.length > 0 ? words.join(' ') : fs.readFileSync(0, 'utf8');
  const reading = readText(text);
  if (flags.includes('--json')) io.stdout(JSON.stringify(reading, null, 2) + '\n');
  else for (const sentence of reading.sentences) io.stdout(`${sentence.units.map((u) => u.text).join(' | ')}\n${formatSentence(sentence)}\n`);
  for (const warning of reading.warnings) io.stderr(`warning: ${warning}\n`);
  return 0;
}

if (require.main === module) void Promise.resolve(main(process.argv.slice(2))).then((code) => { process.exitCode = code; });
