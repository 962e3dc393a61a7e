/**
 * Pinyin syllable model: a toned syllable such as "zhuang1" or "wanr2" split into
 * initial, final and tone.
 *
 * Finals are written in their full (underlying) form so that a phone inventory
 * built from them is unambiguous: "yi" -> "i", "you" -> "iou", "gui" -> "uei",
 * "jun" -> "vn", "lü" -> "v" ("v" stands for ü everywhere, as in the corpus labels).
 * An erhua syllable keeps a trailing "r" on the final ("wanr" -> "uanr").
 */

/** 1-4 are the four lexical tones, 5 is the neutral (light) tone. */
export type Tone = 1 | 2 | 3 | 4 | 5;

export interface PinyinSyllable {
  /** Toned pinyin as the corpus writes it, e.g. "lv4", "hao3", "wanr2". */
  pinyin: string;
  /** "" for zero-initial syllables ("an", "yi", "wu"). */
  initial: string;
  final: string;
  tone: Tone;
}

const INITIAL_PATTERN = /^(zh|ch|sh|[bpmfdtnlgkhjqxrzcs])/;

/** Zero-initial spellings with y/w, mapped to the final they stand for. */
const Y_W_FINALS: Record<string, string> = {
  yi: 'i',
  ya: 'ia',
  yo: 'io',
  ye: 'ie',
  yao: 'iao',
  you: 'iou',
  yan: 'ian',
  yin: 'in',
  yang: 'iang',
  ying: 'ing',
  yong: 'iong',
  yu: 'v',
  yue: 've',
  yuan: 'van',
  yun: 'vn',
  wu: 'u',
  wa: 'ua',
  wo: 'uo',
  wai: 'uai',
  wei: 'uei',
  wan: 'uan',
  wen: 'uen',
  wang: 'uang',
  weng: 'ueng',
};

/** Abbreviated finals written after an initial, expanded to their full form. */
const CONTRACTED_FINALS: Record<string, string> = { iu: 'iou', ui: 'uei', un: 'uen' };

/** Splits toneless pinyin (ü written as v) into initial and full final. */
export function splitInitialFinal(base: string): { initial: string; final: string } {
  const erhua = base.length > 2 && base.endsWith('r') && base !== 'er';
  const core = erhua ? base.slice(0, -1) : base;
  const suffix = erhua ? 'r' : '';
  const match = INITIAL_PATTERN.exec(core);
  if (!match) {
    const final = Y_W_FINALS[core] ?? core;
    return { initial: '', final: final + suffix };
  }
  const initial = match[1];
  let final = core.slice(initial.length);
  // After j/q/x, a written "u" is ü.
  if ('jqx'.includes(initial) && final.startsWith('u')) final = 'v' + final.slice(1);
  final = CONTRACTED_FINALS[final] ?? final;
  return { initial, final: final + suffix };
}

/** Parses "hao3" / "lü4" / "de" (no digit = neutral) into a syllable. */
export function parseSyllable(toned: string): PinyinSyllable {
  const normalised = toned.toLowerCase().replace(/ü|u:/g, 'v');
  const m = /^([a-z]+)([0-5]?)$/.exec(normalised);
  if (!m) throw new Error(`not a pinyin syllable: "${toned}"`);
  const digit = m[2] === '' || m[2] === '0' ? 5 : Number(m[2]);
  const tone = digit as Tone;
  return { pinyin: m[1] + tone, ...splitInitialFinal(m[1]), tone };
}

/** Same syllable with another tone. */
export function withTone(syllable: PinyinSyllable, tone: Tone): PinyinSyllable {
  return { ...syllable, pinyin: syllable.pinyin.slice(0, -1) + tone, tone };
}

/** Toneless base of a syllable ("hao3" -> "hao"). */
export function baseOf(syllable: PinyinSyllable): string {
  return syllable.pinyin.slice(0, -1);
}
