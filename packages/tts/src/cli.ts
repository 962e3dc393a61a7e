/**
 * `tts` command line (its options: synth/cli.ts ttsCommand). Speech synthesis, or only the front end:
 *   tts --pinyin 文本……      one line per sentence: units separated by " | ", breaks as #n
 *   tts --json 文本……        the structured reading as JSON
 * Text comes from the arguments, or from stdin when there are none.
 * Warnings (dropped symbols, spelled letters) go to stderr.
 */
import * as fs from 'fs';
import { readText } from './frontend/reading';
import type { SentenceReading } from './frontend/types';
import { synthMain, parseTtsArgs, ttsCommand } from './synth/cli';

/** "ni2 hao3 #1 shi4 jie4 #4" style line for one sentence. */
export function formatSentence(sentence: SentenceReading): string {
  return sentence.units.map((u) => `${u.syllables.map((s) => s.pinyin).join(' ')} #${u.breakAfter}`).join(' ');
}

export function main(
  argv: string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void; isTTY?: boolean } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: process.stderr.isTTY === true,
  },
): number | Promise<number> {
  let args: ReturnType<typeof parseTtsArgs>;
  try {
    args = parseTtsArgs(argv);
  } catch (e) {
    io.stderr(`tts: ${(e as Error).message}\n`);
    return 1;
  }
  // Speech synthesis unless only the front end was asked for (--pinyin/--json without -o).
  const frontEndOnly = (args.pinyin || args.json) && args.out === undefined;
  if (!frontEndOnly && !args.help && argv.length > 0) return synthMain(argv, io);
  if (args.help || !frontEndOnly) {
    io.stdout(ttsCommand.help());
    return args.help ? 0 : 2;
  }
  const file = args.file;
  let text: string;
  try {
    text = args._.length > 0 ? args._.join(' ') : fs.readFileSync(file ?? 0, 'utf8');
  } catch (e) {
    io.stderr(`tts: cannot read ${file ?? 'stdin'}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 1;
  }
  const reading = readText(text);
  if (args.json) io.stdout(JSON.stringify(reading, null, 2) + '\n');
  else for (const sentence of reading.sentences) io.stdout(`${sentence.units.map((u) => u.text).join(' | ')}\n${formatSentence(sentence)}\n`);
  for (const warning of reading.warnings) io.stderr(`warning: ${warning}\n`);
  return 0;
}

if (require.main === module)
  void Promise.resolve(main(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  });
