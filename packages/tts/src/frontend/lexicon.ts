/**
 * Dictionary pronunciation via pinyin-pro: phrase-aware polyphone choice
 * (银行 yin2 hang2, 行长 hang2 zhang3, 重庆 chong2 qing4 ...). We ask for lexical
 * tones (pinyin-pro's own 一/不 sandhi off) because our sandhi passes need the
 * underlying tones.
 *
 * pinyin-pro only groups characters that form one of its polyphone phrases, so for
 * real word boundaries (third-tone sandhi is cyclic over words) we also run ICU's
 * dictionary-based word segmenter, which ships with Node (Intl.Segmenter).
 */
import { segment, OutputFormat } from 'pinyin-pro';
import { parseSyllable, PinyinSyllable } from './syllable';

export interface LexicalChar {
  hanzi: string;
  /** undefined when the dictionary has no reading for the character. */
  syllable: PinyinSyllable | undefined;
  /** Index of pinyin-pro's phrase match within the run (the unit its polyphone choice used). */
  phrase: number;
  /** Index of the word in ICU's dictionary segmentation (Intl.Segmenter), a real word split. */
  word: number;
}

const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Word index of each character (by code point) from ICU's dictionary-based segmenter. */
function icuWordIndex(run: string): number[] {
  const index: number[] = [];
  let word = 0;
  for (const { segment: piece } of wordSegmenter.segment(run)) {
    for (const _char of piece) index.push(word);
    word++;
  }
  return index;
}

/** Segments a run of Chinese characters and gives each its dictionary pinyin. */
export function lookUpRun(run: string): LexicalChar[] {
  const words = segment(run, { toneType: 'num', format: OutputFormat.AllArray, toneSandhi: false });
  const icu = icuWordIndex(run);
  const out: LexicalChar[] = [];
  words.forEach((word, phrase) => {
    for (const { origin, result } of word) {
      const reading = /^[a-zü]+[0-5]?$/.test(result) ? parseSyllable(result) : undefined;
      out.push({ hanzi: origin, syllable: reading, phrase, word: icu[out.length] ?? -1 });
    }
  });
  return out;
}
