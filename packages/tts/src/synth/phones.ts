/**
 * Phone inventory shared by the prosody model, the acoustic model's frame features and the
 * MBROLA teacher: pinyin initials + full finals (the front end's forms), plus silence/pause.
 */
import { parseSyllable } from '../frontend/syllable';
import type { Tone } from '../frontend/syllable';

export const INITIALS = ['b', 'p', 'm', 'f', 'd', 't', 'n', 'l', 'g', 'k', 'h', 'j', 'q', 'x', 'zh', 'ch', 'sh', 'r', 'z', 'c', 's'];
export const FINALS = [
  'a',
  'o',
  'e',
  'ai',
  'ei',
  'ao',
  'ou',
  'an',
  'en',
  'ang',
  'eng',
  'ong',
  'er',
  'i',
  'ia',
  'io',
  'ie',
  'iao',
  'iou',
  'ian',
  'in',
  'iang',
  'ing',
  'iong',
  'u',
  'ua',
  'uo',
  'uai',
  'uei',
  'uan',
  'uen',
  'uang',
  'ueng',
  'v',
  've',
  'van',
  'vn',
  'ii',
  'iii',
];
/** Phone vocabulary for one-hot features: 0 sil, 1 sp, 2 unk, initials, finals. */
export const PHONES = ['sil', 'sp', 'unk', ...INITIALS, ...FINALS];
const PHONE_INDEX = new Map(PHONES.map((p, i) => [p, i]));
export function phoneIndex(p: string): number {
  return PHONE_INDEX.get(p) ?? 2;
}

/** Voiced initials carry F0 (sonorants). */
export const VOICED_INITIALS = new Set(['m', 'n', 'l', 'r']);

/** Initial/final of a toned pinyin syllable in feature form: erhua "r" dropped, zhi/zi finals as iii/ii. */
export function syllablePhones(pinyin: string): { initial: string; final: string; tone: Tone; erhua: boolean } {
  let s: ReturnType<typeof parseSyllable>;
  try {
    s = parseSyllable(pinyin);
  } catch {
    return { initial: '', final: 'unk', tone: 5, erhua: false };
  }
  let final = s.final;
  const erhua = final.length > 1 && final.endsWith('r') && final !== 'er';
  if (erhua) final = final.slice(0, -1);
  if (final === 'i' && ['zh', 'ch', 'sh', 'r'].includes(s.initial)) final = 'iii';
  else if (final === 'i' && ['z', 'c', 's'].includes(s.initial)) final = 'ii';
  return { initial: s.initial, final, tone: s.tone, erhua };
}

/** Share of a syllable's frames given to its initial (a fixed rule, used identically in training and synthesis). */
export function initialShare(initial: string): number {
  if (!initial) return 0;
  if (['b', 'd', 'g'].includes(initial)) return 0.15;
  if (['p', 't', 'k'].includes(initial)) return 0.3;
  if (['m', 'n', 'l', 'r'].includes(initial)) return 0.22;
  return 0.38; // fricatives and affricates
}

/** Frames of the initial for a syllable of `frames` frames (0 for zero-initial syllables). */
export function initialFrames(initial: string, frames: number): number {
  if (!initial || frames < 3) return 0;
  return Math.max(1, Math.min(frames - 2, Math.round(initialShare(initial) * frames)));
}

// ---- MBROLA cn1 phone mapping (teacher only) ----
const CN1_FINALS = ['a', 'ai', 'an', 'ang', 'ao', 'e', 'ei', 'en', 'eng', 'er', 'o', 'ou', 'i', 'ie', 'u', 'v', 'ong', 'in', 'ing', 'ui', 'iu', 'ue', 'un'];
const CN1_INITIALS = new Set([
  '',
  'b',
  'bi',
  'c',
  'ch',
  'chu',
  'cu',
  'd',
  'di',
  'du',
  'f',
  'g',
  'gu',
  'h',
  'hu',
  'j',
  'ji',
  'ju',
  'k',
  'ku',
  'l',
  'li',
  'lu',
  'm',
  'mi',
  'n',
  'ni',
  'nu',
  'p',
  'pi',
  'q',
  'qi',
  'qu',
  'r',
  'ru',
  's',
  'sh',
  'shu',
  'su',
  't',
  'ti',
  'tu',
  'w',
  'x',
  'xi',
  'xu',
  'y',
  'yu',
  'z',
  'zh',
  'zhu',
  'zu',
]);

/** cn1 onset + rhyme for a toneless pinyin spelling ("huan" -> ["hu", "an"]); null when it cannot be spelled. */
export function cn1Phones(base: string): [string, string] | null {
  const special: Record<string, [string, string]> = {
    lo: ['lu', 'o'],
    tei: ['d', 'ei'],
    yo: ['y', 'ou'],
    ng: ['', 'en'],
    n: ['', 'en'],
    m: ['', 'en'],
    hm: ['h', 'en'],
  };
  if (special[base]) return special[base];
  let b = base.replace(/ü/g, 'v');
  if (b.length > 2 && b.endsWith('r') && b !== 'er') b = b.slice(0, -1);
  const m = /^(zh|ch|sh|r)i$/.exec(b);
  if (m) return [m[1], 'll'];
  const m2 = /^(z|c|s)i$/.exec(b);
  if (m2) return [m2[1], 'ii'];
  if (/^[jqxy]u/.test(b)) b = b[0] + 'v' + b.slice(2); // ju -> jv
  const u = /^([jqxyln])v(.*)$/.exec(b);
  if (u) {
    const rest = u[2];
    if (rest === '') return [u[1], 'v'];
    if (rest === 'e') return [u[1], 'ue'];
    if (rest === 'n') return [u[1], 'un'];
    if (rest === 'an' && CN1_INITIALS.has(u[1] + 'u')) return [u[1] + 'u', 'an'];
  }
  for (const f of [...CN1_FINALS].sort((x, y) => y.length - x.length)) {
    if (!b.endsWith(f)) continue;
    let onset = b.slice(0, b.length - f.length);
    onset = onset.replace(/v$/, 'u');
    if (CN1_INITIALS.has(onset)) return [onset, f];
  }
  return null;
}
