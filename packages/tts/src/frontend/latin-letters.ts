/**
 * How Mandarin speakers commonly spell Latin letters, written as pinyin so the
 * letters can flow through the same syllable pipeline. These are conventional
 * approximations (there is no standard); Q uses "kiu", which is not a Mandarin
 * syllable, so it is read "kou4" instead.
 */
const LETTER_PINYIN: Record<string, string[]> = {
  A: ['ei1'],
  B: ['bi4'],
  C: ['xi1'],
  D: ['di4'],
  E: ['yi4'],
  F: ['ai2', 'fu5'],
  G: ['ji4'],
  H: ['ai2', 'qi1'],
  I: ['ai4'],
  J: ['jie4'],
  K: ['kei4'],
  L: ['ai2', 'le5'],
  M: ['ai2', 'mu5'],
  N: ['en1'],
  O: ['ou1'],
  P: ['pi4'],
  Q: ['kou4'],
  R: ['a1'],
  S: ['ai2', 'si5'],
  T: ['ti4'],
  U: ['you1'],
  V: ['wei1'],
  W: ['da2', 'bu5', 'liu5'],
  X: ['ai1', 'ke4', 'si1'],
  Y: ['wai4'],
  Z: ['zei4'],
};

/** Pinyin syllables for spelling one Latin letter (either case). */
export function spellLetter(letter: string): string[] | undefined {
  return LETTER_PINYIN[letter.toUpperCase()];
}
