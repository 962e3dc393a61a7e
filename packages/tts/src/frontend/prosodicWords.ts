/**
 * Predicts prosodic-word breaks (#1) when the text carries no prosody marks.
 * Placeholder: filled in from the error analysis.
 */
import type { WorkingSyllable } from './types';

export function predictProsodicWords(syllables: WorkingSyllable[]): WorkingSyllable[] {
  return syllables;
}
