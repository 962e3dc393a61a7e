/**
 * Training-time corpus access: the syllable-duration file joined with the prosody-marked
 * labels, giving per-utterance token lists (syllables with tone, break level and frames,
 * plus sil/sp pauses). Frames are 256 samples at 22,050 Hz.
 */
import * as fs from 'fs';
import * as path from 'path';
import { bznsypDir } from '../frontend/labels';
import { syllablePhones } from './phones';
import type { Tone } from '../frontend/syllable';

export interface CorpusToken {
  /** 'syl' a syllable, 'sil' leading/trailing silence, 'sp' an inner pause. */
  kind: 'syl' | 'sil' | 'sp';
  pinyin: string;
  initial: string;
  final: string;
  tone: Tone;
  frames: number;
  /** Break after this syllable (0-4), from the #n marks. */
  breakAfter: number;
}

export interface CorpusUtterance {
  id: string;
  tokens: CorpusToken[];
  text: string;
}

const DURATIONS = 'durations/syllable_durations_000001-009800.txt';
const LABELS = 'labels_000001-009800.tsv';

/** Break levels per syllable from "卡尔普#2陪外孙#1玩滑梯#4。" matched against the duration file's hanzi. */
function breaksFromMarks(marked: string, hanzi: string[]): number[] | null {
  const breaks = new Array<number>(hanzi.length).fill(0);
  let j = 0;
  const chars = Array.from(marked);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '#' && i + 1 < chars.length && /[1-4]/.test(chars[i + 1])) {
      let k = j - 1;
      while (k > 0 && hanzi[k] === 'r') k--;
      if (k >= 0) breaks[k] = Math.max(breaks[k], Number(chars[i + 1]));
      i++;
      continue;
    }
    if (j < hanzi.length && c === hanzi[j]) {
      j++;
      while (j < hanzi.length && hanzi[j] === 'r' && c !== '儿') j++;
    } else if (j < hanzi.length && hanzi[j] === 'r' && c === '儿') j++;
  }
  if (j < hanzi.length) return null;
  if (hanzi.length) breaks[hanzi.length - 1] = 4;
  return breaks;
}

let cache: CorpusUtterance[] | null = null;

/** All 9,799 utterances with durations (ids 000001-009800 minus 002365), joined with their break marks. */
export function loadCorpus(dir = bznsypDir()): CorpusUtterance[] {
  if (cache && dir === bznsypDir()) return cache;
  const marks = new Map<string, { marked: string; text: string }>();
  for (const line of fs.readFileSync(path.join(dir, LABELS), 'utf8').split('\n').slice(1)) {
    const f = line.split('\t');
    if (f.length >= 3) marks.set(f[0], { marked: f[1], text: f[2] });
  }
  const out: CorpusUtterance[] = [];
  for (const line of fs.readFileSync(path.join(dir, DURATIONS), 'utf8').split('\n')) {
    const f = line.trim().split('|');
    if (f.length < 4) continue;
    const [id, sylStr, hanziStr, durStr] = f;
    const syl = sylStr.split(' '),
      hz = hanziStr.split(' '),
      dur = durStr.split(' ').map(Number);
    if (syl.length !== dur.length || hz.length !== syl.length) continue;
    const label = marks.get(id);
    if (!label) continue;
    const sylIdx: number[] = [];
    syl.forEach((s, i) => {
      if (s !== 'sil' && s !== 'sp1') sylIdx.push(i);
    });
    const breaks = breaksFromMarks(
      label.marked,
      sylIdx.map((i) => hz[i]),
    );
    if (!breaks) continue;
    const tokens: CorpusToken[] = [];
    let b = 0;
    for (let i = 0; i < syl.length; i++) {
      const s = syl[i];
      if (s === 'sil' || s === 'sp1') {
        tokens.push({ kind: s === 'sil' ? 'sil' : 'sp', pinyin: s, initial: '', final: '', tone: 5, frames: dur[i], breakAfter: 0 });
      } else {
        const br = breaks[b++];
        if (s === 'r') {
          // the 儿 of an erhua syllable: 0 frames, folded into the previous one
          const prev = tokens[tokens.length - 1];
          if (prev) {
            prev.frames += dur[i];
            prev.breakAfter = Math.max(prev.breakAfter, br);
          }
          continue;
        }
        const ph = syllablePhones(s);
        tokens.push({ kind: 'syl', pinyin: s, initial: ph.initial, final: ph.final, tone: ph.tone, frames: dur[i], breakAfter: br });
      }
    }
    out.push({ id, tokens, text: label.text });
  }
  if (dir === bznsypDir()) cache = out;
  return out;
}

/** ids of the real recordings by split, and whether the source trimmed their silences. */
export function recordingIds(dir = bznsypDir()): { train: string[]; eval: string[]; trimmed: Set<string> } {
  const train: string[] = [],
    ev: string[] = [];
  for (const line of fs.readFileSync(path.join(dir, 'split.tsv'), 'utf8').split('\n').slice(1)) {
    const [id, split] = line.trim().split('\t');
    if (!id) continue;
    (split === 'eval' ? ev : train).push(id);
  }
  const trimmed = new Set<string>();
  const src = fs.readFileSync(path.join(dir, 'sources.tsv'), 'utf8').split('\n');
  const header = src[0].split('\t');
  const col = header.findIndex((h) => h.startsWith('silence_trimmed'));
  for (const line of src.slice(1)) {
    const f = line.split('\t');
    if (col >= 0 && f[col] === 'yes') trimmed.add(f[0]);
  }
  return { train, eval: ev, trimmed };
}

export function recordingPath(id: string, split: 'train' | 'eval', dir = bznsypDir()): string {
  return path.join(dir, split === 'eval' ? 'eval' : 'wavs', `${id}.wav`);
}
