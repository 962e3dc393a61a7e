/** The structured reading the front end produces: sentences -> prosodic units -> syllables. */
import type { BreakLevel } from './punctuation';
import type { PinyinSyllable, Tone } from './syllable';

export interface ReadSyllable extends PinyinSyllable {
  /** The character(s) read: one hanzi, or two for an erhua syllable ("玩儿"), or a Latin letter. */
  hanzi: string;
  /** Dictionary tone before sandhi and neutral-tone rules. */
  lexicalTone: Tone;
  /** Pause after this syllable: 0 none ... 4 sentence end. */
  breakAfter: BreakLevel;
}

/** A prosodic word (or a longer unit ended by a stronger break). */
export interface ProsodicUnit {
  text: string;
  syllables: ReadSyllable[];
  /** Strength of the break that ends the unit (>= 1, except possibly at the very end). */
  breakAfter: BreakLevel;
}

export interface SentenceReading {
  /** The sentence as given (before normalisation). */
  text: string;
  units: ProsodicUnit[];
  warnings: string[];
}

export interface TextReading {
  sentences: SentenceReading[];
  warnings: string[];
}

/**
 * Working form of one syllable while rules run: a flat array of these is what the
 * sandhi, neutral-tone and erhua passes transform.
 */
export interface WorkingSyllable {
  hanzi: string;
  syllable: PinyinSyllable;
  lexicalTone: Tone;
  /** Index of the word (ICU segmentation) the syllable belongs to; unique within a sentence. */
  word: number;
  /** Index of the pinyin-pro phrase it was read in (a character on its own has a phrase of its own). */
  phrase: number;
  /** Where the syllable came from: dictionary text, digits, or a spelled letter. */
  source: 'hanzi' | 'numeral' | 'letter';
  breakAfter: BreakLevel;
}
