/**
 * Speech synthesis command line (wired into `tts` by cli.ts):
 *   tts "今天天气很好，我们去公园散步。" -o out.wav [--speed 1.0] [--pitch 1.0] [--steps N]
 *       [--gl N] [--spectrogram out.png] [--pinyin] [-f text.txt]
 * Text from the arguments (after `--` when it starts with '-'), -f FILE, or stdin; long texts are
 * synthesised and appended sentence by sentence (a progress bar when stderr is a terminal, a plain
 * line every 10 s otherwise), so memory stays bounded by one sentence. Unknown options are an error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import { DiffganError, writeFileAtomic, PendingFile, defineCommand } from '@diffgan/core-models';
import type { ParsedCommand } from '@diffgan/core-models';
import { loadVoice, synthesizeSentence, SAMPLE_RATE, DEFAULT_DENOISE_STEPS, DEFAULT_GL_ITERATIONS, DEFAULT_PHASE_LOCK } from './synthesize';
import type { SynthesizeOptions } from './synthesize';
import { splitSentenceChunks } from '../frontend/sentence-splitter';
import { readSentence } from '../frontend/reading';
import { spectrogramPng } from './png';

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY?: boolean;
}

/** The options of `tts` (speech and front end); an unknown option or a value out of range is a one-line error naming it. */
export const ttsCommand = defineCommand({
  name: 'tts',
  usage: [
    '[text] [-o out.wav] [-f text.txt] [--speed 1.0] [--pitch 1.0] [--steps N] [--gl N] [--phase-lock F] [--spectrogram out.png] [--pinyin]',
    '--pinyin [text]   (the reading: pinyin with prosodic units, one line per sentence)',
    '--json [text]     (the structured reading as JSON)',
  ],
  summary: 'Offline Mandarin speech: a 22,050 Hz 16-bit mono WAV, or with --pinyin / --json (and no -o) only the reading.',
  description: "Text from the arguments, -f FILE or stdin; text starting with '-' goes after --: tts -o out.wav -- -5度",
  positionals: [{ name: 'text', optional: true, repeat: true }],
  options: {
    out: { type: 'string', alias: 'o', placeholder: 'FILE', help: 'output WAV (default out.wav)' },
    file: { type: 'string', alias: 'f', placeholder: 'FILE', help: 'read the text from this file' },
    speed: { type: 'number', min: 0.25, max: 4, default: 1, help: 'speaking rate factor' },
    pitch: { type: 'number', min: 0.5, max: 2, default: 1, help: 'F0 factor' },
    steps: { type: 'integer', min: 0, max: 50, default: DEFAULT_DENOISE_STEPS, help: 'diffusion denoising steps' },
    gl: { type: 'integer', min: 0, max: 500, default: DEFAULT_GL_ITERATIONS, help: "Griffin-Lim iterations after denoising (0 = the generator's phase as is)" },
    'phase-lock': {
      type: 'number',
      min: 0,
      max: 20,
      default: DEFAULT_PHASE_LOCK,
      help: "keep the generator's phase below this multiple of F0 in Griffin-Lim (0 = off)",
    },
    spectrogram: { type: 'string', placeholder: 'FILE', help: 'also write a log-mel spectrogram PNG (up to 8 sentences)' },
    weights: { type: 'string', placeholder: 'DIR', help: 'voice weights folder (default: the shipped voice)' },
    pinyin: { type: 'boolean', help: 'print the reading (on stderr while synthesising)' },
    json: { type: 'boolean', help: 'print the structured reading as JSON (front end only)' },
  },
  epilog: 'The voice was trained on BZNSYP/CSMSC: non-commercial research use only.',
  hint: "see tts --help; text starting with '-' goes after --",
});

export type TtsArgs = ParsedCommand<typeof ttsCommand.spec.options>;

/** The options of `tts` parsed and checked (see ttsCommand). */
export function parseTtsArgs(argv: string[]): TtsArgs {
  return ttsCommand.parse(argv);
}

/** One-line error for an output path we cannot create. */
function cannotWrite(file: string, e: unknown): DiffganError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? `no such directory: ${path.dirname(path.resolve(file))}`
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EROFS'
            ? 'read-only file system'
            : (e as Error).message;
  return new DiffganError(`cannot write ${file}: ${why}`);
}

/**
 * Streaming WAV writer: header patched with the final length on close. It writes core-models'
 * `.<name>.<pid>-<hex>.partial` beside the target and renames it at the end; a run killed with
 * SIGKILL leaves that temporary, and the next run writing the same target removes it.
 */
class WavStream {
  private fd: number;
  private samples = 0;
  private tmp: PendingFile;
  constructor(private file: string) {
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw cannotWrite(file, Object.assign(new Error('EISDIR'), { code: 'EISDIR' }));
    this.tmp = new PendingFile(file, 'partial');
    try {
      this.fd = fs.openSync(this.tmp.path, 'w');
    } catch (e) {
      this.tmp.discard();
      throw cannotWrite(file, e);
    }
    fs.writeSync(this.fd, Buffer.alloc(44));
  }
  write(x: Float32Array): void {
    const b = Buffer.alloc(x.length * 2);
    for (let i = 0; i < x.length; i++) b.writeInt16LE(Math.round(Math.max(-1, Math.min(1, x[i])) * 32767), i * 2);
    fs.writeSync(this.fd, b);
    this.samples += x.length;
  }
  close(): void {
    const h = Buffer.alloc(44),
      data = this.samples * 2;
    h.write('RIFF', 0);
    h.writeUInt32LE(36 + data, 4);
    h.write('WAVE', 8);
    h.write('fmt ', 12);
    h.writeUInt32LE(16, 16);
    h.writeUInt16LE(1, 20);
    h.writeUInt16LE(1, 22);
    h.writeUInt32LE(SAMPLE_RATE, 24);
    h.writeUInt32LE(SAMPLE_RATE * 2, 28);
    h.writeUInt16LE(2, 32);
    h.writeUInt16LE(16, 34);
    h.write('data', 36);
    h.writeUInt32LE(data, 40);
    fs.writeSync(this.fd, h, 0, 44, 0);
    fs.closeSync(this.fd);
    try {
      this.tmp.commit();
    } catch (e) {
      throw cannotWrite(this.file, e);
    }
  }
  abort(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* closed */
    }
    this.tmp.discard();
  }
  get seconds(): number {
    return this.samples / SAMPLE_RATE;
  }
}

/** UTF-8 text of a file descriptor in 64 KiB chunks (multi-byte characters kept whole). */
export function* readChunks(fd: number): Generator<string> {
  const buf = Buffer.alloc(1 << 16);
  const decoder = new StringDecoder('utf8');
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw e;
    }
    if (n <= 0) break;
    yield decoder.write(buf.subarray(0, n));
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

function bar(done: number, total: number | null, secs: number, drawn = true): string {
  const w = 24;
  if (total && !drawn) return `${done}/${total} sentences, ${secs.toFixed(1)} s audio`;
  if (total) {
    const f = Math.round((done / total) * w);
    return `[${'#'.repeat(f)}${'.'.repeat(w - f)}] ${done}/${total} sentences, ${secs.toFixed(1)} s audio`;
  }
  return `${done} sentences, ${secs.toFixed(1)} s audio`;
}

export async function synthMain(argv: string[], io: Io): Promise<number> {
  try {
    const args = parseTtsArgs(argv);
    const words = args._;
    if (args.help) {
      io.stdout(ttsCommand.help());
      return 0;
    }
    if (args.json) throw new DiffganError('--json prints the reading and writes no audio: leave out -o, or use --pinyin');
    const out = args.out ?? 'out.wav';
    const opts: SynthesizeOptions = {
      speed: args.speed,
      pitch: args.pitch,
      steps: args.steps,
      griffinLimIterations: args.gl,
      phaseLock: args['phase-lock'],
      weightsDir: args.weights,
    };
    const file = args.file,
      pngOut = args.spectrogram;
    let sentences: Iterable<string>;
    let total: number | null = null;
    if (words.length || file) {
      if (file && !fs.existsSync(file)) throw new DiffganError(`no such file: ${file}`);
      if (file && fs.statSync(file).isDirectory()) throw new DiffganError(`${file} is a directory, not a text file`);
      const text = words.length ? words.join(' ') : fs.readFileSync(file!, 'utf8');
      if (!text.trim()) throw new DiffganError('empty text: nothing to say');
      const all = [...splitSentenceChunks([text])];
      sentences = all;
      total = all.length;
    } else sentences = splitSentenceChunks(readChunks(0)); // stdin: streamed, sentence by sentence
    const voice = await loadVoice(opts.weightsDir);
    const wav = new WavStream(out);
    // progress: a \r bar on a terminal; otherwise (a pipe, a log file) a plain line every 10 s at most
    let barOpen = false,
      lastLine = Date.now();
    const progress = (): void => {
      if (total === 1) return;
      if (io.isTTY) {
        io.stderr(`\r${bar(done, total, wav.seconds)}`);
        barOpen = true;
      } else if (Date.now() - lastLine >= 10_000) {
        io.stderr(`${bar(done, total, wav.seconds, false)}\n`);
        lastLine = Date.now();
      }
    };
    // Ctrl-C / kill: drop the partial file (only the temporary name exists until the end)
    const onSignal = (sig: NodeJS.Signals): void => {
      wav.abort();
      io.stderr(`${barOpen ? '\n' : ''}tts: interrupted, nothing written\n`);
      process.exit(sig === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const pngPanels: { mel: Float32Array; frames: number; bands: number }[] = [];
    let done = 0;
    const t0 = Date.now();
    try {
      for (const text of sentences) {
        const reading = readSentence(text);
        for (const w of reading.warnings) io.stderr(`warning: ${w}\n`);
        done++;
        if (!reading.units.some((u) => u.syllables.length)) continue;
        if (args.pinyin) io.stderr(`${reading.units.map((u) => `${u.syllables.map((s) => s.pinyin).join(' ')} #${u.breakAfter}`).join(' ')}\n`);
        const s = await synthesizeSentence(voice, reading, opts);
        let peak = 0;
        for (const v of s.audio) peak = Math.max(peak, Math.abs(v));
        wav.write(peak > 0.95 ? s.audio.map((v) => (v * 0.95) / peak) : s.audio);
        if (pngOut && pngPanels.length < 8) pngPanels.push({ mel: s.mel, frames: s.plan.frames, bands: 80 });
        progress();
      }
      if (wav.seconds === 0) throw new DiffganError('nothing to say: the text has no Chinese characters, digits or letters to read');
      if (pngOut && pngPanels.length) {
        try {
          writeFileAtomic(pngOut, await spectrogramPng(pngPanels));
        } catch (e) {
          throw cannotWrite(pngOut, e);
        }
      }
    } catch (e) {
      wav.abort();
      throw e;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    wav.close();
    if (barOpen) io.stderr('\n');
    const secs = (Date.now() - t0) / 1000;
    io.stderr(
      `wrote ${out}: ${wav.seconds.toFixed(2)} s of audio in ${secs.toFixed(1)} s (RTF ${(secs / Math.max(wav.seconds, 1e-3)).toFixed(2)}); voice trained on BZNSYP/CSMSC, non-commercial research use only\n`,
    );
    return 0;
  } catch (e) {
    // bad input and system errors (errno) are one line; anything else is a bug: keep its stack
    io.stderr(`tts: ${e instanceof DiffganError || (e as NodeJS.ErrnoException).code ? (e as Error).message : (e as Error).stack}\n`);
    return 1;
  }
}
