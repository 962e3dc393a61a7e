import { parseArgs, vgenCommands, HELP } from './cli-args';

describe('parseArgs', () => {
  it('reads interpolate with defaults and both option spellings', () => {
    expect(parseArgs(['interpolate', 'in.mp4', '-o', 'out.mp4', '--factor=4'])).toEqual({
      kind: 'interpolate',
      input: 'in.mp4',
      output: 'out.mp4',
      factor: 4,
      method: 'blend',
      crf: 18,
      preset: 'medium',
      sceneCuts: true,
      quiet: false,
      systemFfmpeg: false,
    });
    expect(
      parseArgs(['interpolate', 'in.mp4', '--output', 'o.mkv', '--factor', '2', '--method', 'duplicate', '--crf', '0', '--no-scene-cuts', '-q']),
    ).toMatchObject({ factor: 2, method: 'duplicate', crf: 0, sceneCuts: false, quiet: true, output: 'o.mkv' });
  });

  it('reads --factor 2 to 16, or --fps as a number or a fraction', () => {
    const base = ['interpolate', 'in.mp4', '-o', 'out.mp4'];
    const byFactor = parseArgs([...base, '--factor', '3']);
    expect(byFactor).toMatchObject({ factor: 3 });
    expect(byFactor).not.toHaveProperty('fps');
    expect(parseArgs([...base, '--factor', '16'])).toMatchObject({ factor: 16 });
    const byRate = parseArgs([...base, '--fps', '60']);
    expect(byRate).toMatchObject({ fps: { num: 60, den: 1 } });
    expect(byRate).not.toHaveProperty('factor');
    expect(parseArgs([...base, '--fps=60000/1001'])).toMatchObject({ fps: { num: 60000, den: 1001 } });
    expect(parseArgs([...base, '--fps', '59.94', '--method', 'minterpolate'])).toMatchObject({ fps: { num: 2997, den: 50 }, method: 'minterpolate' });
  });

  it('reads upscale and probe', () => {
    expect(parseArgs(['upscale', 'a.mp4', '-o', 'b.mp4', '--scale', '4', '--system-ffmpeg'])).toMatchObject({
      kind: 'upscale',
      scale: 4,
      method: 'lanczos',
      systemFfmpeg: true,
    });
    expect(parseArgs(['probe', 'a.mp4'])).toMatchObject({ kind: 'probe', input: 'a.mp4' });
  });

  it('takes file names starting with "-" after "--"', () => {
    expect(parseArgs(['probe', '--', '-clip.mp4'])).toMatchObject({ kind: 'probe', input: '-clip.mp4' });
    expect(parseArgs(['interpolate', '-o', 'o.mp4', '--factor', '2', '--preset', 'veryslow', '--', '-in.mp4'])).toMatchObject({
      input: '-in.mp4',
      preset: 'veryslow',
    });
  });

  it("shows help for no arguments or --help anywhere: the command's own after a command", () => {
    expect(parseArgs([])).toEqual({ kind: 'help', text: HELP });
    expect(parseArgs(['upscale', '-h'])).toEqual({ kind: 'help', text: vgenCommands().upscale.help() });
    expect(parseArgs(['-q', '--help'])).toEqual({ kind: 'help', text: HELP });
  });

  it('finds the command after options, and the method default follows the installed weights', () => {
    expect(parseArgs(['-q', '--crf', '20', 'upscale', 'a.mp4', '-o', 'b.mp4', '--scale', '2'])).toMatchObject({
      kind: 'upscale',
      input: 'a.mp4',
      crf: 20,
      quiet: true,
    });
    expect(parseArgs(['upscale', 'a.mp4', '-o', 'b.mp4', '--scale', '2'], { interpolate: 'model', upscale: 'model' })).toMatchObject({ method: 'model' });
    expect(vgenCommands({ interpolate: 'model', upscale: 'model' }).interpolate.help()).toMatch(/--method NAME +ifnet \(learned[\s\S]*\(default model\)/);
    expect(vgenCommands({ interpolate: 'ifnet', upscale: 'model' }).interpolate.help()).toMatch(/\(default ifnet\)/);
    expect(parseArgs(['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '2'], { interpolate: 'ifnet', upscale: 'model' })).toMatchObject({ method: 'ifnet' });
  });

  it('--help of each command lists every option it declares; the top help lists the commands', () => {
    for (const c of Object.values(vgenCommands())) {
      const help = c.help();
      for (const name of Object.keys(c.spec.options)) expect(help).toContain(`--${name}`);
    }
    expect(HELP).toMatch(/vgen interpolate <input> -o <output> --factor N/);
    expect(HELP).toMatch(/vgen interpolate <input> -o <output> --fps R/);
    expect(vgenCommands().interpolate.help()).toMatch(/--factor N +output frame rate = input frame rate x N \(2 to 16\)/);
    expect(HELP).toMatch(/probe +Prints what vgen reads/);
  });

  it.each([
    [['interpolate', 'a.mp4', '-o', 'b.mp4'], /^interpolate needs --factor N or --fps R \(see vgen --help\)$/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '1'], /^invalid value for --factor: 1 \(must be an integer from 2 to 16\)$/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '17'], /^invalid value for --factor: 17 \(must be an integer from 2 to 16\)$/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '2.5'], /^invalid value for --factor: 2.5 /],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '2', '--fps', '60'], /^give --factor or --fps, not both \(see vgen --help\)$/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--fps', 'fast'], /^invalid value for --fps: fast \(must be a frame rate such as 60, 59.94 or 60000\/1001\)$/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--fps', '0'], /^invalid value for --fps: 0 \(must be a frame rate/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--fps', '60/0'], /^invalid value for --fps: 60\/0 \(must be a frame rate/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--fps', '1e3'], /^invalid value for --fps: 1e3 \(must be a frame rate/],
    [['upscale', 'a.mp4', '-o', 'b.mp4', '--scale', '2', '--fps', '60'], /--fps belongs to interpolate/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '2', '--crf', '60'], /invalid value for --crf: 60 \(must be an integer from 0 to 51\)/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '2', '--crf', '1.5'], /invalid value for --crf/],
    [
      ['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '2', '--method', 'lanczos'],
      /invalid value for --method: lanczos \(must be one of blend, duplicate, minterpolate, model, ifnet\)/,
    ],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--factr', '2'], /^unknown option --factr \(see vgen --help; did you mean --factor\?\)$/],
    [['interpolate', 'a.mp4', '--factor', '2'], /interpolate needs -o <output>/],
    [['interpolate', 'a.mp4', '-o', 'b.mp4', '--factor', '2', '--scale', '2'], /--scale belongs to upscale/],
    [['resize', 'a.mp4'], /unknown command "resize"/],
    [['probe'], /missing an input file/],
    [['upscale', 'a.mp4', '-o', 'b.mp4', '--factor', '2'], /--factor belongs to interpolate/],
    [['upscale', 'a.mp4', '-o', 'b.mp4', '--scale', '2', 'c.mp4'], /unexpected argument/],
    [['upscale', 'a.mp4', '-o'], /-output needs a value/],
    [['upscale', 'a.mp4', '--bogus'], /unknown option/],
    [['upscale', 'a.mp4', '-o', 'b.mp4', '--scale', '2', '-x2'], /unknown option -x2/],
    [['probe', 'a.mp4', '--crf', '20'], /--crf does not apply to probe/],
    [['probe', 'a.mp4', '--no-scene-cuts'], /--no-scene-cuts does not apply to probe/],
    [['upscale', 'a.mp4', '-o', 'b.mp4', '--scale', '2', '--preset', 'quick'], /invalid value for --preset: quick \(must be one of ultrafast/],
  ])('rejects %j', (argv, pattern) => {
    expect(() => parseArgs(argv)).toThrow(pattern);
    try {
      parseArgs(argv);
    } catch (e) {
      expect(e).toMatchObject({ code: 'USAGE' });
    }
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
