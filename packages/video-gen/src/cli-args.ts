/**
 * Command-line parsing for vgen, kept free of I/O so it can be tested directly: each command
 * declares its options (core-models defineCommand: generated help, typed values, an unknown or
 * mistyped option is a usage error). The kit comes from core-models' portable entry: vgen does not load tfjs.
 */
import { defineCommand, commandsHelp, parseArgs as splitArgv } from '@diffgan/core-models/portable';
import type { OptionSpec } from '@diffgan/core-models/portable';
import { VideoError } from './errors';
import { MAX_INTERPOLATION_FACTOR, MIN_INTERPOLATION_FACTOR } from './interpolate';
import type { OutputRate } from './interpolate';
import { positiveRational } from './rational';

export type InterpolateMethod = 'blend' | 'duplicate' | 'minterpolate' | 'model' | 'ifnet';
export type UpscaleMethodName = 'lanczos' | 'model';

interface CommonOptions {
  input: string;
  quiet: boolean;
  systemFfmpeg: boolean;
}

export type CliCommand =
  | { kind: 'help'; text: string }
  | (CommonOptions & { kind: 'probe' })
  | (CommonOptions & { kind: 'interpolate'; output: string; method: InterpolateMethod; crf: number; preset: string; sceneCuts: boolean } & OutputRate)
  | (CommonOptions & { kind: 'upscale'; output: string; scale: 2 | 4; method: UpscaleMethodName; crf: number; preset: string });

/** Methods used when --method is not given (the CLI passes 'ifnet' or 'model' when their weights are installed). */
export interface MethodDefaults {
  interpolate: 'blend' | 'model' | 'ifnet';
  upscale: 'lanczos' | 'model';
}

const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow', 'placebo'] as const;
const usageError = (message: string) => new VideoError('USAGE', message);

const COMMON = {
  'system-ffmpeg': { type: 'boolean', help: 'use ffmpeg/ffprobe from PATH instead of the bundled ones\n(same as DIFFGAN_FFMPEG=system)' },
  quiet: { type: 'boolean', alias: 'q', help: 'no progress bar and no summary line' },
} as const;

const ENCODE = {
  output: { type: 'string', alias: 'o', placeholder: 'FILE', help: 'output video (.mp4, .m4v, .mov or .mkv); never the input' },
  crf: { type: 'integer', min: 0, max: 51, default: 18, placeholder: '0-51', help: 'libx264 quality, lower is better' },
  preset: { type: 'enum', choices: X264_PRESETS, default: 'medium', help: 'libx264 preset, ultrafast to veryslow or placebo' },
} as const;

const EPILOG = `Audio is copied from the input. The output appears only when encoding succeeded.
Variable-frame-rate input: output frames are placed by the input's timestamps.
Odd sizes are kept (encoded yuv444p, as yuv420p needs an even size).
File names starting with "-" go after "--".`;

const INPUT = [{ name: 'input', help: 'an input file' }];
const HINT = 'see vgen --help';

/** --method: a choice of NAMEs whose default depends on the installed weights. */
const methodOption = <const C extends readonly string[]>(choices: C, fallback: C[number], help: string) =>
  ({ type: 'enum', choices, default: fallback, placeholder: 'NAME', help }) as const;

/** A command that writes a video: the input, the encoder's options, its own, then the common ones. */
function encodingCommand<const O extends Record<string, OptionSpec>>(c: { name: string; usage: string | readonly string[]; summary: string; options: O }) {
  return defineCommand({
    name: `vgen ${c.name}`,
    usage: c.usage,
    summary: c.summary,
    positionals: INPUT,
    options: { ...ENCODE, ...c.options, ...COMMON },
    epilog: EPILOG,
    hint: HINT,
    error: usageError,
  });
}

/** The three commands; the --method defaults depend on which weights are installed. */
export function vgenCommands(defaults: MethodDefaults = { interpolate: 'blend', upscale: 'lanczos' }) {
  const interpolate = encodingCommand({
    name: 'interpolate',
    usage: [
      '<input> -o <output> --factor N [--method blend|duplicate|minterpolate|model|ifnet] [--crf 18]',
      '<input> -o <output> --fps R [--method ...] [--crf 18]',
    ],
    summary: `Raises the frame rate by a whole factor (${MIN_INTERPOLATION_FACTOR} to ${MAX_INTERPOLATION_FACTOR}) or to a given rate, making the frames in between.`,
    options: {
      factor: {
        type: 'integer',
        min: MIN_INTERPOLATION_FACTOR,
        max: MAX_INTERPOLATION_FACTOR,
        help: `output frame rate = input frame rate x N (${MIN_INTERPOLATION_FACTOR} to ${MAX_INTERPOLATION_FACTOR});\nN x the frames, in-betweens at t = 1/N, 2/N, ...`,
      },
      fps: {
        type: 'string',
        placeholder: 'R',
        validate: (text) => positiveRational(text) !== undefined || 'must be a frame rate such as 60, 59.94 or 60000/1001',
        help: `output frame rate R, above the input's (at most ${MAX_INTERPOLATION_FACTOR} x);\noutput frame k is the picture at k/R s; give --factor or --fps`,
      },
      method: methodOption(
        ['blend', 'duplicate', 'minterpolate', 'model', 'ifnet'],
        defaults.interpolate,
        'ifnet (learned flows and fusion mask, checked against block\nmatching per pixel; the default when its weights are\ninstalled), model (block motion + a GAN; the default without\nifnet weights), blend (the default without either),\nduplicate, minterpolate (ffmpeg motion compensation)',
      ),
      'no-scene-cuts': { type: 'boolean', help: 'blend across scene cuts too (default: hold the frame)' },
    },
  });
  const upscale = encodingCommand({
    name: 'upscale',
    usage: '<input> -o <output> --scale 2|4 [--method lanczos|model] [--crf 18]',
    summary: 'Upscales every frame x2 or x4.',
    options: {
      scale: { type: 'integer', choices: [2, 4], required: true, help: 'output width and height = input x scale' },
      method: methodOption(
        ['lanczos', 'model'],
        defaults.upscale,
        'model (image-sr + temporal stabilisation; the default when installed,\nelse lanczos), lanczos',
      ),
    },
  });
  const probe = defineCommand({
    name: 'vgen probe',
    summary: 'Prints what vgen reads from a video file, as JSON.',
    positionals: INPUT,
    options: { ...COMMON },
    hint: HINT,
    error: usageError,
  });
  return { interpolate, upscale, probe };
}

/** The top-level help: the commands' usage lines and summaries. */
export const HELP = commandsHelp('vgen', 'frame interpolation and upscaling for video files', Object.values(vgenCommands()), EPILOG);

/** Options of one command given to another: a pointed message instead of "unknown option". */
const MISPLACED: Record<string, Record<string, string>> = {
  interpolate: { scale: '--scale belongs to upscale; interpolate takes --factor' },
  upscale: {
    factor: '--factor belongs to interpolate; upscale takes --scale',
    fps: '--fps belongs to interpolate; upscale keeps the frame rate',
    'no-scene-cuts': '--no-scene-cuts belongs to interpolate',
  },
  probe: Object.fromEntries(
    ['output', 'o', 'factor', 'fps', 'scale', 'method', 'crf', 'preset', 'no-scene-cuts'].map((n) => [
      n,
      `--${n === 'o' ? 'output' : n} does not apply to probe`,
    ]),
  ),
};

/** The option names given before `--` (`--crf=20` → crf, `-o` → o). */
function givenNames(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).filter((a) => /^-[^-\d]|^--./.test(a)).map((a) => a.replace(/^--?/, '').split('=')[0]);
}

/** Where the first positional (the command word) is: after options and their values, or right after `--`. */
function firstPositional(argv: readonly string[], booleans: readonly string[]): number {
  const flags = new Set([...booleans, 'help', 'q', 'h']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return i + 1;
    if (!a.startsWith('-') || a.length === 1 || /^-\d/.test(a)) return i;
    if (!a.includes('=') && !flags.has(a.replace(/^--?/, ''))) i++; // its value
  }
  return -1;
}

/** What interpolate and upscale share: the input, the output (required) and the encoder's settings. */
function writtenVideo(name: string, a: { _: string[]; quiet: boolean; 'system-ffmpeg': boolean; output?: string; crf: number; preset: string }) {
  if (a.output === undefined || a.output === '') throw usageError(`${name} needs -o <output> (see vgen --help)`);
  return { input: a._[0], quiet: a.quiet, systemFfmpeg: a['system-ffmpeg'], output: a.output, crf: a.crf, preset: a.preset };
}

export function parseArgs(argv: readonly string[], defaults: MethodDefaults = { interpolate: 'blend', upscale: 'lanczos' }): CliCommand {
  const commands = vgenCommands(defaults);
  // the command word is the first positional (it may follow options); every command's flags are known here
  const all = { ...commands.interpolate.spec.options, ...commands.upscale.spec.options };
  const booleans = Object.keys(all).filter((n) => all[n as keyof typeof all].type === 'boolean');
  let words: string[];
  try {
    words = splitArgv([...argv], {
      boolean: [...booleans, 'help'],
      alias: { o: 'output', q: 'quiet', h: 'help' },
      known: Object.keys(all),
      hint: HINT,
    })._;
  } catch (e) {
    throw usageError((e as Error).message);
  }
  if (argv.some((a, i) => (a === '-h' || a === '--help') && !argv.slice(0, i).includes('--')) || words.length === 0) {
    const c = commands[words[0] as keyof typeof commands];
    return { kind: 'help', text: c ? c.help() : HELP };
  }
  const name = words[0];
  if (!(name in commands)) throw usageError(`unknown command "${name}" (see vgen --help)`);
  const misplaced = givenNames(argv)
    .map((n) => MISPLACED[name][n])
    .find(Boolean);
  if (misplaced) throw usageError(misplaced);
  const rest = [...argv];
  rest.splice(firstPositional(argv, booleans), 1);
  if (name === 'probe') {
    const a = commands.probe.parse(rest);
    return { kind: 'probe', input: a._[0], quiet: a.quiet, systemFfmpeg: a['system-ffmpeg'] };
  }
  if (name === 'interpolate') {
    const a = commands.interpolate.parse(rest);
    const written = writtenVideo('interpolate', a);
    if (a.method === 'minterpolate' && a['no-scene-cuts']) {
      throw usageError('--no-scene-cuts does not apply to --method minterpolate (it has its own scene-change handling)');
    }
    if (a.factor !== undefined && a.fps !== undefined) throw usageError('give --factor or --fps, not both (see vgen --help)');
    const fps = a.fps === undefined ? undefined : positiveRational(a.fps);
    if (a.factor === undefined && fps === undefined) throw usageError('interpolate needs --factor N or --fps R (see vgen --help)');
    const rate: OutputRate = fps ? { fps } : { factor: a.factor! };
    return { kind: 'interpolate', ...written, ...rate, method: a.method, sceneCuts: !a['no-scene-cuts'] };
  }
  const a = commands.upscale.parse(rest);
  return { kind: 'upscale', ...writtenVideo('upscale', a), scale: a.scale as 2 | 4, method: a.method };
}
