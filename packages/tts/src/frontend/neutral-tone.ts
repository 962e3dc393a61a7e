/**
 * Neutral tone (tone 5) beyond what the dictionary marks:
 *  - listed 轻声 words (朋友, 东西 "thing", 眼睛 ...);
 *  - the noun suffix 子 (桌子, 驴子) unless 子 means "person/seed/particle" (男子, 孔子, 电子);
 *  - 个 used as a measure word (一个, 这个, 有个), 们, 么;
 *  - modal particles (啦 哦 哟 呗 嘛 呀 吧 呢 啊 嘞 咯);
 *  - the complement particle 得 (跑得快), the adverbial particle 地 (悄悄地), and 出来 as
 *    a complement closing a phrase (拿出来);
 *  - the second syllable of reduplicated kinship nouns and one-syllable verbs (看看, 想想).
 */
import { NEUTRAL_LAST_SYLLABLE } from './neutral-tone-words';
import { parseSyllable, withTone } from './syllable';
import { findWord } from './word-match';
import type { WorkingSyllable } from './types';

/** 子 keeps its full tone after these (男子, 孔子, 电子, 种子 is neutral and not here). */
const FULL_TONE_ZI_AFTER = new Set([...'男女妻孔王君父天之分章生电原质中粒离量因弟才游赤公瓜棋莲臣士学孝浪骄卵精光太庄孟荀墨韩列曾仙长母独嫡亲世夫舟松']);

const MODAL_PARTICLES: Record<string, string> = {
  啦: 'la',
  哦: 'o',
  哟: 'yo',
  呗: 'bei',
  嘛: 'ma',
  呀: 'ya',
  吧: 'ba',
  呢: 'ne',
  啊: 'a',
  嘞: 'lei',
  咯: 'lo',
  喽: 'lou',
  么: 'me',
};

/** Verbs whose AA reduplication makes the second syllable light (看看, 想想). */
const REDUPLICABLE_VERBS = new Set([...'看想说试听走问找等谈聊写读学玩尝摸闻瞧动练逛歇坐转算比拍洗擦揉捏敲']);

/** X得 words read de2 that the segmentation may split (获得, 不得, 使得, 所得). */
const DE2_AFTER = new Set([...'获取不使所赢难博习心应自求记值只']);
/** 得X words (得到, 得意, 得罪 ...) where 得 is the verb "obtain", de2. */
const DE2_BEFORE = new Set([...'到意罪逞手失益知分以体力奖主']);

/** Words from the list, matched on the characters (not on segmentation). */
function markListedWords(out: WorkingSyllable[]): void {
  for (const word of NEUTRAL_LAST_SYLLABLE) {
    const last = [...word].length - 1;
    for (const at of findWord(out, word)) out[at + last] = { ...out[at + last], syllable: withTone(out[at + last].syllable, 5) };
  }
}

/**
 * 地 as the adverbial particle (悄悄地走, 细心地替他): a word of its own after a word
 * of two or more syllables, with more of the clause to follow. The noun 地 "ground,
 * place" is part of a word (地上, 当地) or follows a one-syllable word (在地上, 一地).
 */
function isAdverbialDe(out: WorkingSyllable[], i: number): boolean {
  const prev = out[i - 1];
  const next = out[i + 1];
  if (!prev || !next || prev.breakAfter >= 2 || out[i].breakAfter >= 3) return false;
  const before = out[i - 2];
  // Reduplicated adverbs (悄悄地, 慢慢地) even when the segmenter keeps them as one word.
  if (before && before.hanzi === prev.hanzi && before.breakAfter === 0) return true;
  if (prev.word === out[i].word || next.word === out[i].word) return false;
  return before !== undefined && before.word === prev.word && before.breakAfter === 0;
}

export function applyNeutralTone(syllables: WorkingSyllable[]): WorkingSyllable[] {
  const out = syllables.slice();
  markListedWords(out);
  const light = (i: number) => {
    out[i] = { ...out[i], syllable: withTone(out[i].syllable, 5) };
  };
  for (let i = 0; i < out.length; i++) {
    const s = out[i];
    if (s.source !== 'hanzi' || s.syllable.tone === 5) continue;
    const prev = i > 0 ? out[i - 1] : undefined;
    const next = out[i + 1];
    const joined = prev !== undefined && prev.breakAfter === 0 && prev.source !== 'letter';
    const singleWord = (!prev || prev.phrase !== s.phrase) && (!next || next.phrase !== s.phrase);
    const wordFinal = !next || next.phrase !== s.phrase;
    const base = s.syllable.pinyin.slice(0, -1);

    if (s.hanzi === '子' && joined && wordFinal && !FULL_TONE_ZI_AFTER.has(prev.hanzi)) light(i);
    else if (s.hanzi === '个' && joined && singleWord && prev.hanzi !== '整' && s.breakAfter < 2) light(i);
    else if (s.hanzi === '地' && base === 'di' && isAdverbialDe(out, i)) {
      const particle = parseSyllable('de5');
      out[i] = { ...s, syllable: particle, lexicalTone: particle.tone };
    } else if (s.hanzi === '们' && joined) light(i);
    else if (MODAL_PARTICLES[s.hanzi] === base && joined && singleWord && !(next && next.hanzi === s.hanzi)) light(i);
    else if (s.hanzi === '得' && base === 'de' && joined && singleWord && !DE2_AFTER.has(prev.hanzi) && !(next && DE2_BEFORE.has(next.hanzi))) light(i);
    else if (
      s.hanzi === '来' &&
      joined &&
      prev.hanzi === '出' &&
      i >= 2 &&
      out[i - 2].breakAfter === 0 &&
      out[i - 2].source === 'hanzi' &&
      (s.breakAfter > 0 || !next)
    ) {
      // 拿出来: verb + 出来 closing a phrase. Only 出来 is read light with any consistency
      // by this corpus' speaker (起来, 下来, 出去 mostly keep their tones).
      light(i);
    } else if (joined && prev.hanzi === s.hanzi && REDUPLICABLE_VERBS.has(s.hanzi) && prev.syllable.tone !== 5 && !(next && next.hanzi === s.hanzi)) {
      light(i);
    }
  }
  return out;
}
