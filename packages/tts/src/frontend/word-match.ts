/** Finding listed words in a syllable sequence by their characters (not by segmentation). */
import type { WorkingSyllable } from './types';

/**
 * Start indices where the syllables spell `word` one character per syllable,
 * without a break inside and only over dictionary (hanzi) syllables.
 */
export function findWord(syllables: WorkingSyllable[], word: string): number[] {
  const chars = [...word];
  const starts: number[] = [];
  for (let i = 0; i + chars.length <= syllables.length; i++) {
    let ok = true;
    for (let k = 0; k < chars.length && ok; k++) {
      const s = syllables[i + k];
      ok = s.hanzi === chars[k] && s.source === 'hanzi' && (k === chars.length - 1 || s.breakAfter === 0);
    }
    if (ok) starts.push(i);
  }
  return starts;
}
