/**
 * Dictionary pronunciation via pinyin-pro: word segmentation plus phrase-aware
 * polyphone choice (银行 yin2 hang2, 行长 hang2 zhang3, 重庆 chong2 qing4 ...).
 * We ask for lexical tones (pinyin-pro's own 一/不 sandhi off) because our sandhi
 * passes need the underlying tones and the word boundaries.
 */
import { segment, OutputFormat } from 'pinyin-pro';
import { parseSyllable, PinyinSyllable } from './syllable';

export interface LexicalChar {
  hanzi: string;
  /** undefined when the dictionary has no reading for the character. */
  syllable: PinyinSyllable | undefined;
  /** Index of the segmented word within the run. */
  word: number;
}

/** Segments a run of Chinese characters and gives each its dictionary pinyin. */
export function lookUpRun(run: string): LexicalChar[] {
  const words = segment(run, { toneType: 'num', format: OutputFormat.AllArray, toneSandhi: false });
  const out: LexicalChar[] = [];
  words.forEach((word, index) => {
    for (const { origin, result } of word) {
      const reading = /^[a-zü]+[0-5]?$/.test(result) ? parseSyllable(result) : undefined;
      out.push({ hanzi: origin, syllable: reading, word: index });
    }
  });
  return out;
}
