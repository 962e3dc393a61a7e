/** The declarative command line: typed values, defaults, errors naming the option, generated help. */
import { defineCommand, commandsHelp } from './command';
import { parseArgs, closestName } from '../cli-args';

const upscale = defineCommand({
  name: 'sr upscale',
  summary: 'Upscales an image.',
  positionals: [{ name: 'in', help: 'input image' }],
  options: {
    output: { type: 'string', alias: 'o', placeholder: 'FILE', help: 'output PNG' },
    scale: { type: 'integer', choices: [2, 4], default: 4, help: 'upscaling factor' },
    tile: { type: 'integer', min: 64, max: 4096, default: 256, help: 'largest tile' },
    strength: { type: 'number', above: 0, default: 0.5, help: 'blend' },
    method: { type: 'enum', choices: ['blend', 'duplicate', 'model'], help: 'how (default: model when installed)' },
    scales: { type: 'list', choices: ['4', '2'], default: ['4', '2'], help: 'scales to run' },
    seed: { type: 'integer', default: 0, validate: (n) => n !== 13 || 'unlucky', help: 'seed' },
    verbose: { type: 'boolean', help: 'say more' },
  },
});

describe('defineCommand parse', () => {
  test('defaults, both spellings, aliases, types', () => {
    const a = upscale.parse(['in.png']);
    expect(a).toMatchObject({
      _: ['in.png'],
      help: false,
      output: undefined,
      scale: 4,
      tile: 256,
      strength: 0.5,
      method: undefined,
      scales: ['4', '2'],
      seed: 0,
      verbose: false,
    });
    expect([...a.given]).toEqual([]);
    const b = upscale.parse(['-o', 'x.png', '--scale=2', '--tile', '64', '--method=duplicate', '--scales', '2', '--verbose', 'in.png', '--strength', '1e-3']);
    expect(b).toMatchObject({ output: 'x.png', scale: 2, tile: 64, method: 'duplicate', scales: ['2'], verbose: true, strength: 0.001 });
    expect([...b.given].sort()).toEqual(['method', 'output', 'scale', 'scales', 'strength', 'tile', 'verbose']);
    // typed: scale is a number, method one of its choices
    const s: number = b.scale,
      m: 'blend' | 'duplicate' | 'model' | undefined = b.method;
    expect([s, m]).toEqual([2, 'duplicate']);
  });

  test('-- ends the options: an argument starting with "-" is a positional', () => {
    expect(upscale.parse(['--', '-in.png'])._).toEqual(['-in.png']);
  });

  test('--help skips the other checks', () => {
    expect(upscale.parse(['-h']).help).toBe(true);
    expect(upscale.parse(['--help']).help).toBe(true);
  });

  test.each([
    [['in.png', '--scael', '2'], 'unknown option --scael (see sr upscale --help; did you mean --scale?)'],
    [['in.png', '--colour', 'red'], 'unknown option --colour (see sr upscale --help)'],
    [['in.png', '-x'], 'unknown option -x (see sr upscale --help)'],
    [['in.png', '--scale', '3'], 'invalid value for --scale: 3 (must be 2 or 4)'],
    [['in.png', '--tile', 'big'], 'invalid value for --tile: big (must be an integer from 64 to 4096)'],
    [['in.png', '--tile', '100.5'], 'invalid value for --tile: 100.5 (must be an integer from 64 to 4096)'],
    [['in.png', '--tile', ''], 'invalid value for --tile:  (must be an integer from 64 to 4096)'],
    [['in.png', '--strength', '0'], 'invalid value for --strength: 0 (must be a number > 0)'],
    [['in.png', '--method', 'lanczos'], 'invalid value for --method: lanczos (must be one of blend, duplicate, model)'],
    [['in.png', '--scales', '4,3'], 'invalid value for --scales: 4,3 (a comma-separated list of 4, 2)'],
    [['in.png', '--seed', '13'], 'invalid value for --seed: 13 (unlucky)'],
    [['in.png', '--seed'], 'option --seed needs a value'],
    [['in.png', '--verbose=yes'], 'option --verbose takes no value (see sr upscale --help)'],
    [[], 'missing input image (see sr upscale --help)'],
    [['a.png', 'b.png'], "unexpected argument 'b.png' (see sr upscale --help)"],
  ])('%j: %s', (argv, message) => {
    expect(() => upscale.parse(argv)).toThrow(message);
    try {
      upscale.parse(argv);
    } catch (e) {
      expect((e as Error).message).toBe(message);
    }
  });

  test('required options, repeatable and optional positionals, own error type and hint', () => {
    class Usage extends Error {}
    const c = defineCommand({
      name: 'tool',
      summary: 'x',
      hint: 'see tool --help',
      error: (m) => new Usage(m),
      positionals: [{ name: 'metric' }, { name: 'dir', repeat: true }],
      options: { factor: { type: 'integer', choices: [2, 4], required: true, help: 'f' } },
    });
    expect(c.parse(['fid', 'a', 'b', 'c', '--factor', '2'])._).toEqual(['fid', 'a', 'b', 'c']);
    expect(() => c.parse(['fid', 'a'])).toThrow(new Usage('--factor is required (see tool --help)'));
    expect(() => c.parse(['fid', '--factor', '2'])).toThrow('missing <dir> (see tool --help)');
    expect(() => c.parse(['--factor', '8'])).toThrow(Usage);
    const o = defineCommand({ name: 't', summary: 's', positionals: [{ name: 'text', optional: true, repeat: true }], options: {} });
    expect(o.parse([])._).toEqual([]);
    expect(o.parse(['a', 'b'])._).toEqual(['a', 'b']);
  });
});

describe('generated help', () => {
  test('usage, summary, every option with its default, -h', () => {
    expect(upscale.help()).toBe(`usage: sr upscale <in> [options]

Upscales an image.

options:
  -o, --output FILE     output PNG
  --scale 2|4           upscaling factor (default 4)
  --tile N              largest tile (default 256)
  --strength N          blend (default 0.5)
  --method blend|duplicate|model
                        how (default: model when installed)
  --scales LIST         scales to run (default 4,2)
  --seed N              seed (default 0)
  --verbose             say more
  -h, --help            show this help
`);
  });

  test('a program of commands lists their usage lines and summaries', () => {
    const serve = defineCommand({ name: 'sr serve', summary: 'Serves the page.', options: { port: { type: 'integer', default: 5180, help: 'port' } } });
    expect(commandsHelp('sr', 'image super-resolution', [upscale, serve])).toBe(`sr: image super-resolution

usage: sr upscale <in> [options]
       sr serve [options]
       sr <command> --help

commands:
  upscale   Upscales an image.
  serve     Serves the page.
`);
  });
});

describe('parseArgs did-you-mean', () => {
  test('a typo away: named; far: not', () => {
    expect(closestName('sped', ['speed', 'pitch'])).toBe('speed');
    expect(closestName('stpes', ['steps', 'gl'])).toBe('steps'); // a swap is one edit
    expect(closestName('colour', ['scale', 'tile'])).toBeUndefined();
    expect(closestName('x', ['n', 'o'])).toBe('n'); // one edit is allowed even for one letter
    expect(() => parseArgs(['--sped', '2'], { known: ['speed'], hint: 'see tts --help' })).toThrow(
      'unknown option --sped (see tts --help; did you mean --speed?)',
    );
  });
});
