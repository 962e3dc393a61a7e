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
