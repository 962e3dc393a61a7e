/**
 * The recognizer's wrapper: parsing asr-ser's output (a hand-made sample in its exact format,
 * with hand-computed means: per-line CER 10/18, 6/18, 12/12 and SER 9/18, 2/18, 12/12), the
 * list it reads, and finding it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { addAsrItem, asrHome, findAsrSer, parseAsrSer } from './asr';
import { decodeWav } from './dsp/wav';

const SAMPLE = fs.readFileSync(path.join(__dirname, '..', 'test-fixtures', 'asr-ser-output.txt'), 'utf8');

test('parseAsrSer: the summary means and every sentence line, an empty hypothesis included', () => {
  const s = parseAsrSer(SAMPLE);
  expect(s).toMatchObject({ utterances: 3, meanCer: 0.6296, meanSer: 0.537, corpusCer: 0.5833, corpusSer: 0.4792 });
  expect(s.lines.map((l) => [l.id, l.cer, l.ser])).toEqual([
    ['009501', 0.556, 0.5],
    ['009503', 0.333, 0.111],
    ['009510', 1, 1],
  ]);
  expect(s.lines[1]).toMatchObject({ ref: '等车过程中记者发现不少黑车便蠢蠢欲动', hyp: '登车过程中记者发现不少配车便纯纯一栋' });
  expect(s.lines[2].hyp).toBe('');
  // the summary is the mean of the lines (to their 3 printed decimals)
  expect((0.5 + 0.111 + 1) / 3).toBeCloseTo(s.meanSer, 3);
});

test('parseAsrSer: output cut before its summary, or a summary that miscounts the lines, is an error', () => {
  expect(() => parseAsrSer(SAMPLE.split('# utterances')[0])).toThrow('asr-ser: no summary line');
  expect(() => parseAsrSer(SAMPLE.replace('# utterances 3', '# utterances 4'))).toThrow('asr-ser: 3 sentence lines but the summary counts 4');
});

test('addAsrItem: one WAV per sentence and a list row id<TAB>text<TAB>path, a tab in the text kept from splitting it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-asr-test-'));
  try {
    const tone = Float32Array.from({ length: 2205 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 220 * i) / 22050));
    addAsrItem(dir, { id: '000001', text: '卡尔普陪外孙玩滑梯。', wave: tone });
    addAsrItem(dir, { id: '000002', text: '假语村言\t别再拥抱我。', wave: new Float32Array(100) });
    const rows = fs
      .readFileSync(path.join(dir, 'list.tsv'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows).toEqual([
      ['000001', '卡尔普陪外孙玩滑梯。', path.join(dir, '000001.wav')],
      ['000002', '假语村言 别再拥抱我。', path.join(dir, '000002.wav')],
    ]);
    const wav = decodeWav(fs.readFileSync(rows[0][2]));
    expect(wav.sampleRate).toBe(22050);
    expect(wav.samples.length).toBe(tone.length);
    let err = 0;
    for (let i = 0; i < tone.length; i++) err = Math.max(err, Math.abs(wav.samples[i] - tone[i]));
    expect(err).toBeLessThanOrEqual(1 / 32767);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('findAsrSer: null in a folder without the script (the bench then leaves its SER cells empty); ASR_HOME chooses the folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-asr-home-'));
  try {
    expect(findAsrSer(dir)).toBeNull();
    fs.writeFileSync(path.join(dir, 'asr-ser'), '#!/bin/sh\n', { mode: 0o644 });
    expect(findAsrSer(dir)).toBeNull(); // not executable
    fs.chmodSync(path.join(dir, 'asr-ser'), 0o755);
    expect(findAsrSer(dir)).toBe(path.join(dir, 'asr-ser'));
    expect(asrHome({ ASR_HOME: dir })).toBe(dir);
    expect(asrHome({})).toBe(path.join(os.homedir(), '.cache', 'asr-zh'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
