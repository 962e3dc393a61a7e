import { parseArgs } from './cli-args';

describe('parseArgs', () => {
  it('reads interpolate with defaults and both option spellings', () => {
    expect(parseArgs(['interpolate', 'in.mp4', '-o', 'out.mp4', '--factor=4'])).toEqual({
      kind: 'interpolate', input: 'in.mp4', output: 'out.mp4', factor: 4, method: 'blend',
      crf: 18, preset: 'medium', sceneCuts: true, quiet: false, systemFfmpeg: false,
    });
    expect(parseArgs(['interpolate', 'in.mp4', '--output', 'o.mkv', '--factor', '2', '--method', 'duplicate', '--crf', '0', '--no-scene-cuts', '-q']))
      .toMatchObject({ factor: 2, method: 'duplicate', crf: 0, sceneCuts: false, quiet: true, output: 'o.mkv' });
  });

  it('reads upscale and probe', () => {
    expect(parseArgs(['upscale', 'a.mp4', '-o', 'b.mp4', '--scale', '4', '--system-ffmpeg'])).toMatchObject({
      kind: 'upscale', scale: 4, method: 'lanczos', systemFfmpeg: true,
    });
    expect(parseArgs(['probe', 'a.mp4'])).toMatchObject({ kind: 'probe', input: 'a.mp4' });
  });

  it('takes file names starting with "-" after "--"', () => {
    expect(parseArgs(['probe', '--', '-clip.mp4'])).toMatchObject({ kind: 'probe', input: '-clip.mp4' });
    expect(parseArgs(['interpolate', '-o', 'o.mp4', '--factor', '2', '--preset', 'veryslow', '--', '-in.mp4'])).toMatchObject({ input: '-in.mp4', preset: 'veryslow' });
  });

  it('shows help for no arguments or --help anywhere', () => {
    expect(parseArgs([])).toEqual({ kind: 'help' });
    expect(parseArgs(['upscale', '-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['interpolate', 'a.mp4', '-o', 'b.mp4'], /--factor is required/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '8'], /--factor must be 2 or 4/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '2', '--crf', '60'], /--crf must be/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '2', '--method', 'lanczos'], /--method must be one of/],
    [['upscale', 'a.mp4', '-o', 'b.mp4', '--factor', '2'], /--factor belongs to interpolate/],
    [['upscale', 'a.mp4', '-o', 'b.mp4', '--scale', '2', 'c.mp4'], /unexpected argument/],
    [['upscale', 'a.mp4', '-o'], /-output needs a value/],
    [['upscale', 'a.mp4', '--bogus'], /unknown option/],
    [['upscale', 'a.mp4', '-o', 'b.mp4', '--scale', '2', '-x2'], /unknown option -x2/],
    [['probe', 'a.mp4', '--crf', '20'], /--crf does not apply to probe/],
    [['probe', 'a.mp4', '--no-scene-cuts'], /--no-scene-cuts does not apply to probe/],
    [['upscale', 'a.mp4', '-o', 'b.mp4', '--scale', '2', '--preset', 'quick'], /--preset must be one of ultrafast/],
  ])('rejects %j', (argv, pattern) => {
    expect(() => parseArgs(argv)).toThrow(pattern);
  });
});

describe('bench options', () => {
  // bench.ts read its flags with argv.indexOf: a mistyped one was ignored and the bench ran with the defaults
  it('parses its flags and rejects a mistyped one', () => {
    const { benchCommand } = require('./bench') as typeof import('./bench');
    expect(benchCommand.parse(['--quick', '--refine', '2', '--out', 'x'])).toMatchObject({ quick: true, refine: 2, out: 'x', 'update-manifest': false });
    expect(benchCommand.parse([])).toMatchObject({ quick: false, refine: 1, out: undefined });
    expect(() => benchCommand.parse(['--qiuck'])).toThrow('unknown option --qiuck (see npm run bench -w @diffgan/video-gen -- --help; did you mean --quick?)');
    expect(() => benchCommand.parse(['--refine', 'x'])).toThrow('invalid value for --refine: x (must be an integer ≥ 0)');
  });
});
