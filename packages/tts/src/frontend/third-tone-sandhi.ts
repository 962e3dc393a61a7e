/**
 * Third-tone sandhi (3 3 -> 2 3), applied cyclically over the prosodic hierarchy:
 * first inside each dictionary word, then between words inside a prosodic word,
 * then between prosodic words inside a prosodic phrase. At each level the check
 * uses the tones as they are after the inner level, so [小[老虎]] -> 3 2 3 while
 * [[展览]馆] -> 2 2 3, which is how the corpus labels such chains.
 */
import { withTone } from './syllable';
import type { WorkingSyllable } from './types';

export interface ThirdToneOptions {
  /** Highest break level sandhi may still cross (1 = across prosodic words, 2 = across phrases). */
  maxBreak: number;
  /**
   * Across a phrase break (#2) sandhi applies only when the phrase before it has at
   * most this many syllables (short phrases are read together with what follows).
   */
  maxLeftPhraseSyllables?: number;
}

type Span = [start: number, end: number];

/** Splits [start, end) into pieces that end where `isBoundary(i)` holds after syllable i. */
function split([start, end]: Span, isBoundary: (i: number) => boolean): Span[] {
  const spans: Span[] = [];
  let from = start;
  for (let i = start; i < end - 1; i++) {
    if (isBoundary(i)) {
      spans.push([from, i + 1]);
      from = i + 1;
    }
  }
  spans.push([from, end]);
  return spans;
}

/**
 * Sandhi at the junctions between pieces. Dictionary words inside a prosodic word
 * are joined left to right (3 3 3 -> 2 2 3); prosodic words right to left, so that
 * X#1Y#1Z reads 3 2 3, as the corpus does (13 of 16 such chains in ids 1-7000).
 */
function joinPieces(tones: number[], pieces: Span[], rightToLeft = false, maxLeft = Infinity): void {
  for (let n = 0; n + 1 < pieces.length; n++) {
    const k = rightToLeft ? pieces.length - 2 - n : n;
    if (pieces[k][1] - pieces[k][0] > maxLeft) continue;
    const left = pieces[k][1] - 1;
    const right = pieces[k + 1][0];
    if (tones[left] === 3 && tones[right] === 3) tones[left] = 2;
  }
}

/** Inside one dictionary word: left to right, so 3 3 3 -> 2 2 3. */
function withinWord(tones: number[], [start, end]: Span): void {
  for (let i = start; i + 1 < end; i++) {
    if (tones[i] === 3 && tones[i + 1] === 3) tones[i] = 2;
  }
}

export function applyThirdToneSandhi(syllables: WorkingSyllable[], options: ThirdToneOptions = { maxBreak: 1 }): WorkingSyllable[] {
  const tones = syllables.map((s) => s.syllable.tone as number);
  const all: Span = [0, syllables.length];
  const levels = [3, 2, 1];
  const visit = (span: Span, depth: number): void => {
    if (depth === levels.length) {
      // Dictionary words inside a prosodic word.
      const words = split(span, (i) => syllables[i].word !== syllables[i + 1].word);
      for (const w of words) withinWord(tones, w);
      joinPieces(tones, words);
      return;
    }
    const level = levels[depth];
    const pieces = split(span, (i) => syllables[i].breakAfter >= level);
    for (const p of pieces) visit(p, depth + 1);
    if (level <= options.maxBreak) joinPieces(tones, pieces, true, level === 2 ? options.maxLeftPhraseSyllables : Infinity);
  };
  visit(all, 0);
  return syllables.map((s, i) => (tones[i] === s.syllable.tone ? s : { ...s, syllable: withTone(s.syllable, tones[i] as 2) }));
}
