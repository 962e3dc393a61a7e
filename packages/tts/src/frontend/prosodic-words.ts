/**
 * Predicts prosodic-word breaks (#1) when the text carries no prosody marks.
 *
 * Mandarin prosodic words are mostly two or three syllables: a lexical word plus
 * the clitics that lean on it (的, 了, 们 ...), with stray one-syllable words
 * joining a neighbour. So: start from the word segmentation, glue clitics to the
 * word before, then glue a one-syllable word to the next word when the result
 * stays within `maxSyllables` (else to the previous one). Breaks from punctuation
 * are kept; predicted ones are level 1.
 */
import type { WorkingSyllable } from './types';

/** One-syllable function words that attach to the preceding word. */
const CLITICS = new Set([...'的地得了着过们吗呢吧啊呀嘛啦哦么似']);

export interface ProsodicWordOptions {
  /** Longest prosodic word built by merging single syllables. Default 3. */
  maxSyllables?: number;
}

type Group = { start: number; end: number };

export function predictProsodicWords(syllables: WorkingSyllable[], options: ProsodicWordOptions = {}): WorkingSyllable[] {
  const maxSyllables = options.maxSyllables ?? 3;
  const out = syllables.map((s) => ({ ...s }));
  // Clauses: runs ended by an existing break (punctuation).
  let clauseStart = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i].breakAfter === 0 && i < out.length - 1) continue;
    const words: Group[] = [];
    for (let k = clauseStart; k <= i; k++) {
      const last = words[words.length - 1];
      if (last && out[k].word === out[last.end - 1].word) last.end = k + 1;
      else words.push({ start: k, end: k + 1 });
    }
    const groups: Group[] = [];
    for (const w of words) {
      const prev = groups[groups.length - 1];
      const length = w.end - w.start;
      if (prev && length === 1 && CLITICS.has(out[w.start].hanzi)) prev.end = w.end;
      else groups.push({ ...w });
    }
    // Lone syllables join the next group if it stays short, else the previous one.
    const merged: Group[] = [];
    for (let g = 0; g < groups.length; g++) {
      const current = { ...groups[g] };
      const next = groups[g + 1];
      const length = current.end - current.start;
      if (length === 1 && next && next.end - next.start + 1 <= maxSyllables) {
        next.start = current.start;
        continue;
      }
      const prev = merged[merged.length - 1];
      if (length === 1 && prev && prev.end - prev.start + 1 <= maxSyllables) {
        prev.end = current.end;
        continue;
      }
      merged.push(current);
    }
    for (const g of merged) if (g.end - 1 < i && out[g.end - 1].breakAfter === 0) out[g.end - 1].breakAfter = 1;
    clauseStart = i + 1;
  }
  return out;
}
