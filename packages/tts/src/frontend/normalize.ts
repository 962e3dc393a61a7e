/**
 * Text normalisation: turns raw text into tokens the pronunciation step can read.
 * Digits become Chinese numerals (with the reading style their context implies),
 * punctuation becomes pauses, Latin letters are spelled, anything else is dropped
 * and reported in `warnings` (never printed: callers decide what to do with them).
 */
import { readDigits, readInteger, readNumber } from './chinese-numbers';
import { BreakLevel, pauseLevel } from './punctuation';
import { spellLetter } from './latin-letters';

export type TextToken =
  /** Chinese characters to be read by the dictionary. */
  | { kind: 'hanzi'; text: string }
  /** Chinese numerals produced from digits: read with citation tones (一 stays yi1). */
  | { kind: 'numeral'; text: string; source: string }
  /** A spelled Latin letter with its pinyin. */
  | { kind: 'letter'; text: string; pinyin: string[] }
  /** A pause from punctuation or from an explicit #1-#4 prosody mark. */
  | { kind: 'pause'; level: BreakLevel; text: string; explicit: boolean };

export interface NormalizeOptions {
  /** Read "#1".."#4" as prosody marks (corpus notation). Default true. */
  prosodyMarks?: boolean;
  /** 'spell' Latin letters (with a warning) or 'drop' them (with a warning). Default 'spell'. */
  latin?: 'spell' | 'drop';
}

export interface NormalizedText {
  tokens: TextToken[];
  warnings: string[];
}

const HAN = /\p{Script=Han}/u;

/** Full-width digits, letters and number signs to ASCII; other punctuation keeps its form. */
function toHalfWidth(text: string): string {
  return text.replace(/[０-９Ａ-Ｚａ-ｚ％＋－．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

interface NumberRule {
  pattern: RegExp;
  read: (m: RegExpExecArray) => string;
}

/** Reading for a day or month number ("05" -> 五). */
const readCount = (digits: string): string => readInteger(digits);

/**
 * Number patterns, tried at each digit (or sign) position in this order; the first
 * that matches wins. All are sticky (`y`) so they only match where we are.
 */
const NUMBER_RULES: NumberRule[] = [
  // 2024年3月5日, 2024-03-05, 2024/3/5: the year digit by digit.
  {
    pattern: /(\d{4})(?:年|[-/.])(0?[1-9]|1[0-2])(?:月|[-/.])(0?[1-9]|[12]\d|3[01])(?!\d)([日号]?)/y,
    read: (m) => `${readDigits(m[1])}年${readCount(m[2])}月${readCount(m[3])}${m[4] || '日'}`,
  },
  // A year on its own: 1998年.
  { pattern: /(\d{4})(?=年)/y, read: (m) => readDigits(m[1]) },
  // 10:30, 10:30:15 (also with a full-width colon).
  {
    pattern: /([01]?\d|2[0-4])[:：]([0-5]\d)(?:[:：]([0-5]\d))?(?!\d)/y,
    read: (m) => {
      const minutes = Number(m[2]);
      let out = `${readInteger(m[1])}点`;
      if (minutes > 0 || m[3]) out += minutes < 10 ? `零${readInteger(m[2])}分` : `${readInteger(m[2])}分`;
      if (m[3]) out += `${readInteger(m[3])}秒`;
      return out;
    },
  },
  // Mobile numbers (optionally +86) and landlines with an area code: digit by digit, 1 as 幺.
  {
    pattern: /(?:\+?86[- ]?)?(1[3-9]\d{9})(?!\d)/y,
    read: (m) => readDigits(m[1], '幺'),
  },
  {
    pattern: /(0\d{2,3})-(\d{7,8})(?!\d)/y,
    read: (m) => readDigits(m[1], '幺') + readDigits(m[2], '幺'),
  },
  // Percentages, possibly negative: -12.5% -> 负百分之十二点五.
  {
    pattern: /([-−]?)(\d+(?:\.\d+)?)%/y,
    read: (m) => (m[1] ? '负' : '') + '百分之' + readNumber(m[2]),
  },
  // Fractions: 3/4 -> 四分之三.
  { pattern: /(\d+)\/(\d+)(?!\d)/y, read: (m) => `${readInteger(m[2])}分之${readInteger(m[1])}` },
  // Numbers with thousands separators: 1,234,567.89.
  {
    pattern: /([-−]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?)/y,
    read: (m) => readNumber(m[1] + m[2].replace(/,/g, '')),
  },
  // Codes with a leading zero ("007", "0571") are read digit by digit.
  { pattern: /(0\d+)(?![\d.])/y, read: (m) => readDigits(m[1]) },
  // Plain integers and decimals, possibly negative.
  { pattern: /([-−]?\d+(?:\.\d+)?)/y, read: (m) => readNumber(m[1]) },
];

/** Tries the number rules at `index`; returns the reading and the length consumed. */
function matchNumber(text: string, index: number): { reading: string; length: number } | undefined {
  for (const rule of NUMBER_RULES) {
    rule.pattern.lastIndex = index;
    const m = rule.pattern.exec(text);
    if (m) return { reading: rule.read(m), length: m[0].length };
  }
  return undefined;
}

/** A minus sign counts as "负" only where it cannot be a hyphen or a range dash. */
function isNegativeSign(text: string, index: number): boolean {
  const prev = text[index - 1];
  return /[-−]/.test(text[index]) && /\d/.test(text[index + 1] ?? '') && (prev === undefined || !/[\dA-Za-z]/.test(prev));
}

export function normalizeText(raw: string, options: NormalizeOptions = {}): NormalizedText {
  const prosodyMarks = options.prosodyMarks ?? true;
  const latin = options.latin ?? 'spell';
  const text = toHalfWidth(raw);
  const tokens: TextToken[] = [];
  const warnings: string[] = [];
  let hanzi = '';
  const flushHanzi = () => {
    if (hanzi !== '') tokens.push({ kind: 'hanzi', text: hanzi });
    hanzi = '';
  };

  let i = 0;
  while (i < text.length) {
    const c = String.fromCodePoint(text.codePointAt(i) ?? 0);
    if (HAN.test(c)) {
      hanzi += c;
      i += c.length;
      continue;
    }
    if (prosodyMarks && c === '#' && /[1-4]/.test(text[i + 1] ?? '')) {
      flushHanzi();
      tokens.push({ kind: 'pause', level: Number(text[i + 1]) as BreakLevel, text: c + text[i + 1], explicit: true });
      i += 2;
      continue;
    }
    if (/\d/.test(c) || isNegativeSign(text, i) || (c === '+' && /\d/.test(text[i + 1] ?? ''))) {
      const number = matchNumber(text, i);
      if (number) {
        flushHanzi();
        tokens.push({ kind: 'numeral', text: number.reading, source: text.slice(i, i + number.length) });
        i += number.length;
        continue;
      }
    }
    const level = pauseLevel(c);
    if (level !== undefined) {
      flushHanzi();
      tokens.push({ kind: 'pause', level, text: c, explicit: false });
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let end = i;
      while (end < text.length && /[A-Za-z]/.test(text[end])) end++;
      const word = text.slice(i, end);
      flushHanzi();
      if (latin === 'spell') {
        for (const letter of word) tokens.push({ kind: 'letter', text: letter, pinyin: spellLetter(letter) ?? [] });
        warnings.push(`spelled Latin letters "${word}" at ${i}`);
      } else {
        warnings.push(`dropped Latin letters "${word}" at ${i}`);
      }
      i = end;
      continue;
    }
    warnings.push(`dropped unknown symbol "${c}" (U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}) at ${i}`);
    i += c.length;
  }
  flushHanzi();
  return { tokens, warnings };
}
