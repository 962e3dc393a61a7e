/**
 * 一 and 不 tone sandhi (standard textbook rules):
 *   一: yi1 when counted or ordinal (第一, 十一, 统一, 一是…, before a pause or another
 *       numeral), yi2 before tone 4, yi4 otherwise;
 *   不: bu2 before tone 4, bu4 otherwise.
 * The corpus does not lighten 一/不 in 看一看 or 是不是 (it reads yi2/bu2 there), so neither do we.
 * Digits turned into numerals are never touched (the corpus reads 1.5 as yi1 dian3 ...).
 */
import { withTone } from './syllable';
import type { WorkingSyllable } from './types';

const NUMERAL_CHARS = new Set([...'零〇一二三四五六七八九十百千万亿两']);

/** Words ending in 一 that keep yi1 even with more text after them. */
const YI1_FINAL_WORDS = new Set(['统一', '唯一', '万一', '同一', '单一', '专一', '划一', '逐一', '如一', '合一', '十一', '初一', '之一', '周一', '其一']);

/** Only a real pause (punctuation-level break) blocks 一/不 sandhi; the corpus applies it across #1/#2. */
const PAUSE = 3;

function yiTone(prev: WorkingSyllable | undefined, yi: WorkingSyllable, next: WorkingSyllable | undefined): 1 | 2 | 4 {
  if (!next || yi.breakAfter >= PAUSE) return 1;
  if (prev && prev.hanzi === '第') return 1;
  if (prev && NUMERAL_CHARS.has(prev.hanzi) && prev.word === yi.word) return 1;
  if (prev && YI1_FINAL_WORDS.has(prev.hanzi + '一')) return 1;
  if (prev && prev.hanzi === '期') return 1; // 星期一
  // Enumerations: 一是……二是…… at the start of a clause.
  if ((!prev || prev.breakAfter >= PAUSE) && next.hanzi === '是') return 1;
  if (NUMERAL_CHARS.has(next.hanzi) && next.hanzi !== '百' && next.hanzi !== '千' && next.hanzi !== '万') return 1;
  return next.lexicalTone === 4 ? 2 : 4; // lexical: 一个 yi2 ge5, 不是 bu2 shi4
}

function buTone(bu: WorkingSyllable, next: WorkingSyllable | undefined): 2 | 4 {
  if (!next || bu.breakAfter >= PAUSE) return 4;
  return next.lexicalTone === 4 ? 2 : 4; // lexical: 一个 yi2 ge5, 不是 bu2 shi4
}

export function applyYiBuSandhi(syllables: WorkingSyllable[]): WorkingSyllable[] {
  return syllables.map((s, i) => {
    if (s.source !== 'hanzi') return s;
    const prev = syllables[i - 1];
    const next = syllables[i + 1];
    if (s.hanzi === '一' && s.syllable.pinyin === 'yi1') return { ...s, syllable: withTone(s.syllable, yiTone(prev, s, next)) };
    if (s.hanzi === '不' && s.syllable.pinyin === 'bu4') return { ...s, syllable: withTone(s.syllable, buTone(s, next)) };
    return s;
  });
}
