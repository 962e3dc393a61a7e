import { main } from './cli';

function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('tts cli', () => {
  it('prints the reading with --pinyin', () => {
    const { code, out, err } = run(['--pinyin', '你好#1世界#4。']);
    expect(code).toBe(0);
    expect(out).toBe('你好 | 世界\nni2 hao3 #1 shi4 jie4 #4\n');
    expect(err).toBe('');
  });

  it('prints JSON with --json and warnings on stderr', () => {
    const { out, err } = run(['--json', '你好@']);
    expect(JSON.parse(out).sentences[0].units[0].syllables[0].pinyin).toBe('ni2');
    expect(err).toContain('dropped unknown symbol');
  });

  it('prints usage and fails without a mode', () => {
    expect(run([]).code).toBe(2);
  });
});

describe('tts options (declared: core-models defineCommand)', () => {
  const { ttsCommand } = require('./synth/cli') as typeof import('./synth/cli');
  it('--help lists every option, and exits 0', () => {
    const { code, out } = run(['--help']);
    expect(code).toBe(0);
    for (const name of Object.keys(ttsCommand.spec.options)) expect(out).toContain(`--${name}`);
    expect(out).toContain('-o, --out FILE');
  });
  it('a mistyped option or a value out of range is one line and a non-zero exit, before any work', () => {
    const typo = run(['--pinyn', '你好']);
    expect(typo.code).toBe(1);
    expect(typo.err).toBe("tts: unknown option --pinyn (see tts --help; text starting with '-' goes after --; did you mean --pinyin?)\n");
    expect(() => ttsCommand.parse(['x', '--steps', '1.5'])).toThrow('invalid value for --steps: 1.5 (must be an integer from 0 to 50)');
    expect(() => ttsCommand.parse(['x', '--pitch', '3'])).toThrow('invalid value for --pitch: 3 (must be a number from 0.5 to 2)');
  });
  it('keeps the defaults of the library', () => {
    const { DEFAULT_DENOISE_STEPS, DEFAULT_GL_ITERATIONS, DEFAULT_PHASE_LOCK } = require('./synth/synthesize') as typeof import('./synth/synthesize');
    expect(ttsCommand.parse(['x'])).toMatchObject({
      _: ['x'],
      speed: 1,
      pitch: 1,
      steps: DEFAULT_DENOISE_STEPS,
      gl: DEFAULT_GL_ITERATIONS,
      'phase-lock': DEFAULT_PHASE_LOCK,
      out: undefined,
      pinyin: false,
    });
  });
});
