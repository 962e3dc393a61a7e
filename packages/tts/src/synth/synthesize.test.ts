import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize, toWav, SAMPLE_RATE, loadVoice, acousticMel, vocode } from './synthesize';
import { planSentence } from './features';
import { readSentence } from '../frontend/reading';
import { synthMain, parseTtsArgs } from './cli';
import { decodeWav } from '../dsp/wav';
import { stft, DEFAULT_STFT } from '../dsp/stft';
import { spawn } from 'child_process';

describe('synthesize (shipped weights)', () => {
  it('returns 22,050 Hz audio of plausible length, slower with --speed 0.5', async () => {
    const r = await synthesize('你好，世界。', { steps: 1, griffinLimIterations: 2 });
    expect(r.sampleRate).toBe(SAMPLE_RATE);
    const secs = r.audio.length / r.sampleRate;
    expect(secs).toBeGreaterThan(0.6); // 4 syllables + a pause + silences
    expect(secs).toBeLessThan(3);
    expect(r.audio.every(Number.isFinite)).toBe(true);
    const slow = await synthesize('你好，世界。', { steps: 0, griffinLimIterations: 0, melProjection: 0, speed: 0.5 });
    expect(slow.audio.length / r.audio.length).toBeGreaterThan(1.6);
    const wav = decodeWav(toWav(r));
    expect(wav.sampleRate).toBe(22050);
    expect(wav.samples.length).toBe(r.audio.length);
  });

  it('CLI writes a valid WAV and a spectrogram PNG', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-cli-'));
    const out = path.join(dir, 'a.wav'),
      png = path.join(dir, 'a.png');
    let err = '';
    const code = await synthMain(['你好。', '-o', out, '--steps', '1', '--gl', '1', '--spectrogram', png], {
      stdout: () => undefined,
      stderr: (s) => (err += s),
    });
    expect(code).toBe(0);
    const w = decodeWav(fs.readFileSync(out));
    expect(w.sampleRate).toBe(22050);
    expect(w.channels).toBe(1);
    expect(w.samples.length).toBeGreaterThan(22050 * 0.3);
    expect(fs.readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(err).toMatch(/non-commercial research/);
    expect(await synthMain(['x', '--speed', 'fast'], { stdout: () => undefined, stderr: (s) => (err = s) })).toBe(1);
    expect(err).toBe('tts: invalid value for --speed: fast (must be a number from 0.25 to 4)\n');
    expect(parseTtsArgs(['a', '-o', 'b.wav', '--pinyin'])).toMatchObject({ _: ['a'], out: 'b.wav', pinyin: true });
  });
});

describe('vocode stages', () => {
  it('all stages off = the generator waveform; Griffin-Lim makes the STFT more consistent with the magnitude asked for', async () => {
    const voice = await loadVoice();
    const plan = planSentence(readSentence('天气很好。'), voice.prosody);
    const mel = await acousticMel(voice, plan);
    const raw = await vocode(voice, mel, plan.frames, { steps: 0, griffinLimIterations: 0, melProjection: 0 }, plan.f0);
    expect(raw.audio).toBe(raw.ganAudio);
    // inconsistency: distance between the magnitude asked for and the magnitude of the waveform produced
    const gap = (audio: Float32Array, logMag: Float32Array): number => {
      const s = stft(audio, DEFAULT_STFT);
      let d = 0,
        n = 0;
      for (let i = 0; i < Math.min(s.re.length, logMag.length); i++) {
        d += Math.abs(Math.log(Math.max(Math.hypot(s.re[i], s.im[i]), 1e-5)) - Math.max(logMag[i], Math.log(1e-5)));
        n++;
      }
      return d / n;
    };
    const gl = await vocode(voice, mel, plan.frames, { steps: 0, griffinLimIterations: 16, melProjection: 0 }, plan.f0);
    expect(gap(gl.audio, gl.logMag)).toBeLessThan(0.8 * gap(raw.audio, raw.logMag));
  });
});

describe('tts CLI: bad input is one line, a non-zero exit and no file', () => {
  const run = async (argv: string[]): Promise<{ code: number; err: string; files: string[]; dir: string }> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-err-'));
    let err = '';
    const code = await synthMain(
      argv.map((a) => a.replace('$DIR', dir)),
      { stdout: () => undefined, stderr: (s) => (err += s) },
    );
    return { code, err, files: fs.readdirSync(dir), dir };
  };
  const lastLine = (err: string): string => err.trimEnd().split('\n').pop()!;

  it.each([
    ['empty text', [''], /^tts: empty text/],
    ['whitespace only', [' \t\n '], /^tts: empty text/],
    ['punctuation and emoji only', ['，。！😀'], /^tts: nothing to say/],
  ])('%s', async (_name, words, message) => {
    const r = await run([...words, '-o', '$DIR/out.wav']);
    expect(r.code).toBe(1);
    expect(lastLine(r.err)).toMatch(message);
    expect(r.err.split('\n').filter((l) => l.startsWith('tts:'))).toHaveLength(1);
    expect(r.files).toEqual([]);
  });

  it('output in a missing directory, or a directory as the output', async () => {
    const missing = await run(['你好', '-o', '$DIR/no/such/dir/out.wav']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^tts: cannot write .*out\.wav: no such directory: .*dir\n$/);
    const isDir = await run(['你好', '-o', '$DIR']);
    expect(isDir.code).toBe(1);
    expect(isDir.err).toMatch(/^tts: cannot write .*: it is a directory\n$/);
    expect(isDir.files).toEqual([]);
  });

  it('an unwritable --spectrogram leaves no WAV behind', async () => {
    const r = await run(['你好', '-o', '$DIR/out.wav', '--gl', '1', '--spectrogram', '$DIR/missing/s.png']);
    expect(r.code).toBe(1);
    expect(lastLine(r.err)).toMatch(/^tts: cannot write .*s\.png: no such directory/);
    expect(r.files).toEqual([]);
  });

  it('a missing or directory -f file', async () => {
    expect((await run(['-f', '$DIR/none.txt', '-o', '$DIR/out.wav'])).err).toMatch(/^tts: no such file: /);
    const d = await run(['-f', '$DIR', '-o', '$DIR/out.wav']);
    expect(d.code).toBe(1);
    expect(d.err).toMatch(/is a directory, not a text file\n$/);
  });
});

describe('tts CLI: a long text', () => {
  it('streams sentence by sentence and, interrupted, exits 130 leaving no file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-long-'));
    const text = path.join(dir, 'long.txt');
    fs.writeFileSync(text, '今天天气很好，我们去公园散步。'.repeat(7000).slice(0, 100000)); // 100,000 characters
    const out = path.join(dir, 'long.wav');
    const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'tts.js'), '-f', text, '-o', out]);
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    // audio goes to core-models' temporary beside the target as it is made: wait for a second of it
    const partial = (): string | undefined => fs.readdirSync(dir).find((n) => n.startsWith(`.long.wav.${child.pid}-`) && n.endsWith('.partial'));
    const bytes = (): number => {
      const p = partial();
      try {
        return p ? fs.statSync(path.join(dir, p)).size : 0;
      } catch {
        return 0;
      }
    };
    for (let i = 0; i < 600 && bytes() < 44 + 2 * 22050; i++) await new Promise((r) => setTimeout(r, 50));
    expect(bytes()).toBeGreaterThanOrEqual(44 + 2 * 22050);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(stderr.trimEnd().split('\n').pop()).toBe('tts: interrupted, nothing written');
    expect(fs.readdirSync(dir)).toEqual(['long.txt']);
  }, 60_000);
});
