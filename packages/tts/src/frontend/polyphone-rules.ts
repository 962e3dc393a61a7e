/**
 * Context rules for frequent polyphones the dictionary gets wrong when the
 * character stands alone in the segmentation (no phrase to disambiguate it):
 *   为  wei2 "to be/as" after a word (成为, 视为, 图为), wei4 "for" at phrase start or before 了/什么;
 *   得  dei3 "must" after modal adverbs (也得, 就得, 还得);
 *   只  zhi3 "only" before verbs/copulas, zhi1 as a measure word after numerals;
 *   应  ying1 "should" when it stands alone before a verb;
 *   长  zhang3 "grow" before 出/着/得/胖 ...;
 *   plus fixed word readings (READING_OVERRIDES) matched on the character string.
 */
import { READING_OVERRIDES } from './neutral-tone-words';
import { parseSyllable } from './syllable';
import { findWord } from './word-match';
import type { WorkingSyllable } from './types';

const WEI4_BEFORE = new Set([...'了什何啥此着']);
const WEI4_AFTER = new Set([...'是只就专都也正因还仍将在曾甘要']);
const DEI3_AFTER = new Set([...'也就都还必总非只可我你他她']);
const NUMERALS = new Set([...'一二两三四五六七八九十几每半某这那哪']);
/** 长 zhang3 "grow" before these (长出, 长着, 长得, 长胖); chang2 "long" otherwise. */
const ZHANG3_BEFORE = new Set([...'出着得胖高满痘成了']);

function reread(s: WorkingSyllable, pinyin: string): WorkingSyllable {
  const syllable = parseSyllable(pinyin);
  return { ...s, syllable, lexicalTone: syllable.tone };
}

function applyOverrides(out: WorkingSyllable[]): void {
  for (const [word, reading] of Object.entries(READING_OVERRIDES)) {
    const pinyin = reading.split(' ');
    for (const at of findWord(out, word)) pinyin.forEach((p, k) => (out[at + k] = reread(out[at + k], p)));
  }
}

export function applyPolyphoneRules(syllables: WorkingSyllable[]): WorkingSyllable[] {
  const out = syllables.slice();
  applyOverrides(out);
  for (let i = 0; i < out.length; i++) {
    const s = out[i];
    if (s.source !== 'hanzi') continue;
    const prev = i > 0 ? out[i - 1] : undefined;
    const next = out[i + 1];
    const joined = prev !== undefined && prev.breakAfter === 0 && prev.source === 'hanzi';
    const singleWord = (!prev || prev.phrase !== s.phrase) && (!next || next.phrase !== s.phrase);
    const wordInitial = !prev || prev.phrase !== s.phrase;
    // 为 after a word in the same clause (a prosodic-word break does not matter: 料#1为证).
    const sameClause = prev !== undefined && prev.breakAfter < 3 && prev.source === 'hanzi';
    if (
      s.hanzi === '为' &&
      s.syllable.pinyin === 'wei4' &&
      wordInitial &&
      sameClause &&
      !WEI4_AFTER.has(prev.hanzi) &&
      !(next && WEI4_BEFORE.has(next.hanzi))
    ) {
      out[i] = reread(s, 'wei2');
    } else if (!singleWord) {
      // inside a multi-syllable word the lexicon's reading stands: the rules below are for single-character words
    } else if (s.hanzi === '得' && joined && DEI3_AFTER.has(prev.hanzi) && next && s.breakAfter === 0) {
      out[i] = reread(s, 'dei3');
    } else if (s.hanzi === '只' && s.syllable.pinyin === 'zhi1' && !(prev && NUMERALS.has(prev.hanzi))) {
      out[i] = reread(s, 'zhi3');
    } else if (
      s.hanzi === '应' &&
      s.syllable.pinyin === 'ying4' &&
      next &&
      next.source === 'hanzi' &&
      s.breakAfter === 0 &&
      next.word !== s.word &&
      (!prev || prev.word !== s.word)
    ) {
      // 应 as a word of its own before a verb is the modal "should" (应避免, 应慎重);
      // inside a word it keeps ying4 (应对, 反应, 应用).
      out[i] = reread(s, 'ying1');
    } else if (s.hanzi === '长' && s.syllable.pinyin === 'chang2' && next && ZHANG3_BEFORE.has(next.hanzi)) {
      out[i] = reread(s, 'zhang3');
    }
  }
  return out;
}
