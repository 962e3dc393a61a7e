/**
 * Erhua: a suffix 儿 is not a syllable of its own but an r-colouring of the one
 * before it (玩儿 -> wanr2), which is how the corpus labels it. 儿 stays a syllable
 * when it means "child/son" (女儿, 婴儿, 儿子), in literary diminutives the corpus
 * reads in full (鸟儿, 花儿), after girls' names (薇儿, 雪儿) and after function
 * words, where it starts a new word (给儿子).
 */
import type { WorkingSyllable } from './types';

/**
 * X儿 pairs in which 儿 is a full syllable. These lists come from general usage plus
 * what the labels of ids 1-7000 show (never from the held-apart ids 7001-9800).
 */
const SYLLABIC_PAIRS = new Set([
  '女儿',
  '幼儿',
  '婴儿',
  '孤儿',
  '孙儿',
  '侄儿',
  '患儿',
  '少儿',
  '妻儿',
  '聋儿',
  '胎儿',
  '健儿',
  '宠儿',
  '男儿',
  '育儿',
  '生儿',
  '托儿',
  '爱儿',
  '亲儿',
  '小儿',
  '大儿',
  '弱儿',
  '瘫儿',
  '虐儿',
  '鸟儿',
  '马儿',
  '花儿',
  '月儿',
  '杏儿',
  '雏儿',
  '骄儿',
  '娇儿',
]);

/** Characters typically followed by a name-suffix 儿 (采儿, 薇儿, 祖儿 ...): read in full. */
const NAME_CHARS = new Set([...'采薇祖菲雪可美颖妍玉碧莹婷琪娜琳珊萍兰梅莲凤燕倩蓉芳丽晶']);

/** Function words and verbs after which 儿 begins a new word (儿子, 儿女). */
const WORD_BEFORE_SON = new Set([...'的了给到为与于无是就让救携帮替求瞒说趁运逢来打卖据护']);

function isErhuaSuffix(prev: WorkingSyllable, er: WorkingSyllable, next: WorkingSyllable | undefined): boolean {
  if (prev.source !== 'hanzi' || prev.breakAfter > 0) return false;
  // 儿 that starts a dictionary word together with what follows (儿子, 儿童) is not a suffix.
  if (next && next.word === er.word && next.source === 'hanzi') return false;
  if (prev.syllable.final === 'er') return false;
  if (SYLLABIC_PAIRS.has(prev.hanzi + '儿')) return false;
  if (NAME_CHARS.has(prev.hanzi) || WORD_BEFORE_SON.has(prev.hanzi)) return false;
  return true;
}

/** Merges suffix 儿 into the previous syllable; returns a new array. */
export function applyErhua(syllables: WorkingSyllable[]): WorkingSyllable[] {
  const out: WorkingSyllable[] = [];
  for (let i = 0; i < syllables.length; i++) {
    const s = syllables[i];
    const prev = out[out.length - 1];
    if (s.hanzi === '儿' && s.source === 'hanzi' && prev && isErhuaSuffix(prev, s, syllables[i + 1])) {
      const base = prev.syllable.pinyin.slice(0, -1);
      const tone = prev.syllable.tone;
      out[out.length - 1] = {
        ...prev,
        hanzi: prev.hanzi + '儿',
        syllable: { ...prev.syllable, pinyin: `${base}r${tone}`, final: prev.syllable.final + 'r' },
        breakAfter: s.breakAfter,
      };
      continue;
    }
    out.push(s);
  }
  return out;
}
