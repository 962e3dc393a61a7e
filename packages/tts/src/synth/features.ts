/**
 * Frame-level input features of the acoustic model (one row per 256-sample frame):
 * phone one-hot, tone, initial/final flags, position in phone and syllable, break after the
 * syllable, log-F0 (+ voiced flag) and position in the sentence.
 */
import { PHONES, phoneIndex, initialFrames } from './phones';
import { hzToSt, predictDurations, predictF0 } from './prosody';
import type { ProsodyModel, SyllableSpec } from './prosody';
import type { SentenceReading } from '../frontend/types';
import { syllablePhones } from './phones';

export interface PlanToken {
  kind: 'syl' | 'sil' | 'sp';
  pinyin: string;
  initial: string;
  final: string;
  tone: number;
  frames: number;
  breakAfter: number;
}

export const FEATURE_CHANNELS = PHONES.length + 5 + 2 + 2 + 5 + 2 + 1;
const F0_CENTER = 30,
  F0_SCALE = 6;

/** [frames x FEATURE_CHANNELS] row-major features; f0 in Hz per frame (0 = unvoiced). */
export function frameFeatures(tokens: PlanToken[], f0: ArrayLike<number>): Float32Array {
  const total = tokens.reduce((s, t) => s + t.frames, 0);
  const C = FEATURE_CHANNELS;
  const x = new Float32Array(total * C);
  let pos = 0;
  for (const t of tokens) {
    const ini = t.kind === 'syl' ? initialFrames(t.initial, t.frames) : 0;
    for (let i = 0; i < t.frames; i++) {
      const row = (pos + i) * C;
      let o = 0;
      const inInitial = i < ini;
      const phone = t.kind === 'syl' ? (inInitial ? t.initial : t.final) : t.kind;
      x[row + phoneIndex(phone)] = 1;
      o += PHONES.length;
      if (t.kind === 'syl') x[row + o + Math.min(5, Math.max(1, t.tone)) - 1] = 1;
      o += 5;
      if (t.kind === 'syl') x[row + o + (inInitial ? 0 : 1)] = 1;
      o += 2;
      const phoneLen = inInitial ? ini : t.frames - ini,
        phonePos = inInitial ? i : i - ini;
      x[row + o] = phoneLen > 1 ? phonePos / (phoneLen - 1) : 0;
      x[row + o + 1] = t.frames > 1 ? i / (t.frames - 1) : 0;
      o += 2;
      if (t.kind === 'syl') x[row + o + Math.min(4, t.breakAfter)] = 1;
      o += 5;
      const f = f0[pos + i] ?? 0;
      if (f > 0) {
        x[row + o] = (hzToSt(f) - F0_CENTER) / F0_SCALE;
        x[row + o + 1] = 1;
      }
      o += 2;
      x[row + o] = total > 1 ? (pos + i) / (total - 1) : 0;
    }
    pos += t.frames;
  }
  return x;
}

export interface SynthesisPlan {
  tokens: PlanToken[];
  f0: Float32Array;
  frames: number;
}

/** Token plan (with predicted durations and pauses) for one sentence of the front end's reading. */
export function planSentence(sentence: SentenceReading, model: ProsodyModel, opts: { speed?: number; pitch?: number } = {}): SynthesisPlan {
  const syls: SyllableSpec[] = [];
  for (const u of sentence.units)
    for (const s of u.syllables) {
      const ph = syllablePhones(s.pinyin);
      syls.push({ pinyin: s.pinyin, initial: ph.initial, final: ph.final, tone: ph.tone, breakAfter: s.breakAfter });
    }
  if (syls.length) syls[syls.length - 1].breakAfter = 4;
  return planSyllables(syls, model, opts);
}

export function planSyllables(syls: SyllableSpec[], model: ProsodyModel, opts: { speed?: number; pitch?: number } = {}): SynthesisPlan {
  const speed = opts.speed ?? 1;
  const durs = predictDurations(model, syls, speed);
  const tokens: PlanToken[] = [];
  const sil = (n: number): PlanToken => ({ kind: 'sil', pinyin: 'sil', initial: '', final: '', tone: 5, frames: Math.max(2, Math.round(n)), breakAfter: 0 });
  tokens.push(sil(Math.min(model.pause.lead, 16) / speed));
  syls.forEach((s, i) => {
    tokens.push({ kind: 'syl', pinyin: s.pinyin, initial: s.initial, final: s.final, tone: s.tone, frames: durs[i], breakAfter: s.breakAfter });
    const b = Math.min(4, s.breakAfter);
    if (i < syls.length - 1 && model.pause.prob[b] >= 0.5)
      tokens.push({ kind: 'sp', pinyin: 'sp', initial: '', final: '', tone: 5, frames: Math.max(3, Math.round(model.pause.frames[b] / speed)), breakAfter: 0 });
  });
  tokens.push(sil(Math.min(model.pause.trail, 16) / speed));
  const f0 = predictF0(model, tokens, opts.pitch ?? 1);
  return { tokens, f0, frames: f0.length };
}
