/** Command-line parsing for vgen, kept free of I/O so it can be tested directly. */
import { VideoError } from './errors';

export const HELP = `vgen: frame interpolation and upscaling for video files

Usage:
  vgen interpolate <input> -o <output> --factor 2|4 [--method blend|duplicate|minterpolate|model] [--crf 18]
  vgen upscale <input> -o <output> --scale 2|4 [--method lanczos|model] [--crf 18]
  vgen probe <input>
  vgen --help

Options:
  -o, --output <file>   output video (.mp4, .m4v, .mov or .mkv); never the input
  --factor 2|4          interpolate: output frame rate = input frame rate x factor
  --scale 2|4           upscale: output width and height = input x scale
  --method <name>       interpolate: model (neural, the default when its weights are
                        installed, else blend), blend, duplicate, minterpolate (ffmpeg
                        motion compensation); upscale: model (image-sr + temporal
                        stabilisation, default when installed, else lanczos), lanczos
  --crf <0-51>          libx264 quality, lower is better (default 18)
  --preset <name>       libx264 preset, ultrafast to veryslow or placebo (default medium)
  --no-scene-cuts       interpolate: blend across scene cuts too (default: hold the frame)
  --system-ffmpeg       use ffmpeg/ffprobe from PATH instead of the bundled ones
                        (same as DIFFGAN_FFMPEG=system)
  -q, --quiet           no progress bar and no summary line
  -h, --help            show this help

Audio is copied from the input. The output appears only when encoding succeeded.
Variable-frame-rate input: output frames are placed by the input's timestamps.
Odd sizes are kept (encoded yuv444p, as yuv420p needs an even size).
File names starting with "-" go after "--".
`;

export type InterpolateMethod = 'blend' | 'duplicate' | 'minterpolate' | 'model';
export type UpscaleMethodName = 'lanczos' | 'model';

interface CommonOptions {
  input: string;
  quiet: boolean;
  systemFfmpeg: boolean;
}

export type CliCommand =
  | { kind: 'help' }
  | (CommonOptions & { kind: 'probe' })
  | (CommonOptions & { kind: 'interpolate'; output: string; factor: 2 | 4; method: InterpolateMethod; crf: number; preset: string; sceneCuts: boolean })
  | (CommonOptions & { kind: 'upscale'; output: string; scale: 2 | 4; method: UpscaleMethodName; crf: number; preset: string });

const VALUE_OPTIONS = new Set(['output', 'factor', 'scale', 'method', 'crf', 'preset']);
const FLAG_OPTIONS = new Set(['no-scene-cuts', 'system-ffmpeg', 'quiet', 'help']);
const SHORT: Record<string, string> = { o: 'output', q: 'quiet', h: 'help' };
const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow', 'placebo'] as const;

function usage(message: string): VideoError {
  return new VideoError('USAGE', `${message} (see vgen --help)`);
}

function parseTwoOrFour(name: string, text: string | undefined): 2 | 4 {
  if (text === undefined) throw usage(`--${name} is required`);
  if (text !== '2' && text !== '4') throw usage(`--${name} must be 2 or 4, got "${text}"`);
  return Number(text) as 2 | 4;
}

function parseCrf(text: string | undefined): number {
  if (text === undefined) return 18;
  const crf = Number(text);
  if (!/^\d+$/.test(text) || crf > 51) throw usage(`--crf must be an integer from 0 to 51, got "${text}"`);
  return crf;
}

function pick<T extends string>(name: string, text: string | undefined, allowed: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!allowed.includes(text as T)) throw usage(`--${name} must be one of ${allowed.join(', ')}, got "${text}"`);
  return text as T;
}

/** Methods used when --method is not given (the CLI passes 'model' when weights are installed). */
export interface MethodDefaults { interpolate: 'blend' | 'model'; upscale: 'lanczos' | 'model' }

export function parseArgs(argv: readonly string[], defaults: MethodDefaults = { interpolate: 'blend', upscale: 'lanczos' }): CliCommand {
  const positional: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  let optionsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let name: string | undefined;
    let inline: string | undefined;
    if (optionsEnded || arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    } else if (arg === '--') {
      optionsEnded = true; // file names starting with "-" go after "--"
      continue;
    } else if (arg.startsWith('--')) {
      [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    } else if (/^-[a-z]$/i.test(arg)) {
      name = SHORT[arg[1]];
      if (!name) throw usage(`unknown option ${arg}`);
    } else {
      throw usage(`unknown option ${arg}`);
    }
    if (FLAG_OPTIONS.has(name)) {
      if (inline !== undefined) throw usage(`--${name} takes no value`);
      flags.add(name);
    } else if (VALUE_OPTIONS.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw usage(`--${name} needs a value`);
      values.set(name, value);
    } else {
      throw usage(`unknown option ${arg}`);
    }
  }
  if (flags.has('help') || positional.length === 0) return { kind: 'help' };

  const [command, input, ...extra] = positional;
  if (!['interpolate', 'upscale', 'probe'].includes(command)) throw usage(`unknown command "${command}"`);
  if (!input) throw usage(`${command} needs an input file`);
  if (extra.length) throw usage(`unexpected argument "${extra[0]}"`);
  const common = { input, quiet: flags.has('quiet'), systemFfmpeg: flags.has('system-ffmpeg') };
  if (command === 'probe') {
    const stray = [...values.keys(), ...(flags.has('no-scene-cuts') ? ['no-scene-cuts'] : [])];
    if (stray.length) throw usage(`--${stray[0]} does not apply to probe`);
    return { kind: 'probe', ...common };
  }

  const output = values.get('output');
  if (!output) throw usage(`${command} needs -o <output>`);
  const crf = parseCrf(values.get('crf'));
  const preset = pick('preset', values.get('preset'), X264_PRESETS, 'medium');
  if (command === 'interpolate') {
    if (values.has('scale')) throw usage('--scale belongs to upscale; interpolate takes --factor');
    const factor = parseTwoOrFour('factor', values.get('factor'));
    const method = pick('method', values.get('method'), ['blend', 'duplicate', 'minterpolate', 'model'] as const, defaults.interpolate);
    if (method === 'minterpolate' && flags.has('no-scene-cuts')) {
      throw usage('--no-scene-cuts does not apply to --method minterpolate (it has its own scene-change handling)');
    }
    return { kind: 'interpolate', ...common, output, factor, method, crf, preset, sceneCuts: !flags.has('no-scene-cuts') };
  }
  if (values.has('factor')) throw usage('--factor belongs to interpolate; upscale takes --scale');
  if (flags.has('no-scene-cuts')) throw usage('--no-scene-cuts belongs to interpolate');
  const scale = parseTwoOrFour('scale', values.get('scale'));
  const method = pick('method', values.get('method'), ['lanczos', 'model'] as const, defaults.upscale);
  return { kind: 'upscale', ...common, output, scale, method, crf, preset };
}
