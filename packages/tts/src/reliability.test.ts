/**
 * Issue #29 cases for `tts`: every bad input is one line on stderr, a non-zero exit and no file
 * (target or temporary) left; a killed run's temporary is removed by the next run; no `\r`
 * progress bar when stderr is not a terminal; synthesize() honours an AbortSignal.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { main } from './cli';
import { synthesize } from './synth/synthesize';
import { decodeWav } from './dsp/wav';

const FAST = ['--steps', '0', '--gl', '0'];
const BIN = path.join(__dirname, '..', 'bin', 'tts.js');

async function run(argv: string[], opts: { isTTY?: boolean } = {}): Promise<{ code: number; out: string; err: string; files: string[]; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-rel-'));
  let out = '',
    err = '';
  const code = await main(
    argv.map((a) => a.replace('$DIR', dir)),
    { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: opts.isTTY },
  );
  return { code, out, err, files: fs.readdirSync(dir), dir };
}

/** The pid of a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid;

describe('tts: unknown options are an error (#29.6)', () => {
  it.each([
    ['a misspelt option', ['你好', '--sped', '2', '-o', '$DIR/out.wav'], '--sped'],
    ['an unknown short option', ['你好', '-x', '-o', '$DIR/out.wav'], '-x'],
    ['--opt=value form', ['你好', '--sped=2', '-o', '$DIR/out.wav'], '--sped'],
    ['with --pinyin (front end only)', ['--pinyin', '你好', '--sped', '2'], '--sped'],
  ])('%s', async (_name, argv, flag) => {
    const r = await run(argv);
    expect(r.code).not.toBe(0);
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.err).toMatch(/^tts: unknown option /);
    expect(r.err).toContain(flag);
    expect(r.out).toBe('');
    expect(r.files).toEqual([]);
  });

  it('text starting with "-" is spoken after --', async () => {
    const fe = await run(['--pinyin', '--', '-你好']);
    expect(fe.code).toBe(0);
    expect(fe.out).toContain('ni2 hao3');
    const r = await run(['-o', '$DIR/out.wav', ...FAST, '--', '-你好', '--sped']);
    expect(r.code).toBe(0);
    expect(r.files).toEqual(['out.wav']);
    expect(decodeWav(fs.readFileSync(path.join(r.dir, 'out.wav'))).samples.length).toBeGreaterThan(22050 * 0.3);
  });
});

describe('tts: a killed run leaves a temporary; the next run removes it (#29.5)', () => {
  it("removes stale temporaries (dead pid) of the target, keeps a live writer's", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-stale-'));
    const dead = deadPid();
    const stale = [`out.wav.tmp-${dead}`, `.out.wav.${dead}-0badc0de.partial`];
    const live = `.out.wav.${process.ppid}-0123abcd.partial`; // the jest runner: alive
    for (const n of [...stale, live, `other.wav.tmp-${dead}`]) fs.writeFileSync(path.join(dir, n), Buffer.alloc(1000));
    let err = '';
    const code = await main(['你好。', '-o', path.join(dir, 'out.wav'), ...FAST], { stdout: () => undefined, stderr: (s) => (err += s) });
    expect(err).not.toMatch(/^tts:/m);
    expect(code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual([live, 'other.wav.tmp-' + dead, 'out.wav'].sort());
  });

  it('a failed run removes its own temporary too', async () => {
    const r = await run(['你好', '-o', '$DIR/out.wav', ...FAST, '--spectrogram', '$DIR/missing/s.png']);
    expect(r.code).toBe(1);
    expect(r.files).toEqual([]);
  });
});

describe('tts: progress on stderr (#29.11)', () => {
  const text = '你好。我们走吧。好的。';
  it('no \\r progress bar when stderr is not a terminal (child process, stderr piped)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-pipe-'));
    const out = path.join(dir, 'out.wav');
    const r = spawnSync(process.execPath, [BIN, text, '-o', out, ...FAST], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1); // the summary only
    expect(r.stderr).toMatch(/^wrote .*out\.wav: /);
    expect(fs.readdirSync(dir)).toEqual(['out.wav']);
  });

  it('a terminal still gets the bar', async () => {
    const r = await run([text, '-o', '$DIR/out.wav', ...FAST], { isTTY: true });
    expect(r.code).toBe(0);
    expect(r.err).toContain('\r[');
    expect(r.err).toContain('3/3 sentences');
  });
});

describe('synthesize: AbortSignal', () => {
  it('an aborted signal rejects with an AbortError, before or between sentences', async () => {
    await expect(synthesize('你好。', { ...{ steps: 0, griffinLimIterations: 0 }, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    const ac = new AbortController();
    let done = 0;
    const p = synthesize('你好。我们走吧。好的。', {
      steps: 0,
      griffinLimIterations: 0,
      signal: ac.signal,
      onProgress: (n) => {
        done = n;
        ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(done).toBe(1);
    const ok = await synthesize('你好。', { steps: 0, griffinLimIterations: 0, signal: new AbortController().signal });
    expect(ok.audio.length).toBeGreaterThan(0);
  });
});
