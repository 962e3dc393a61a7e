/**
 * Punctuation -> pause strength. Levels reuse the corpus' prosody scale so that
 * marks written in the text (#1-#4) and punctuation mean the same thing:
 * 1 prosodic word, 2 prosodic phrase, 3 intonational phrase, 4 sentence end.
 */

export type BreakLevel = 0 | 1 | 2 | 3 | 4;

const PAUSES: Record<string, BreakLevel> = {
  // Sentence ends.
  '。': 4,
  '！': 4,
  '？': 4,
  '!': 4,
  '?': 4,
  '.': 4,
  '｡': 4,
  // Clause breaks.
  '，': 3,
  ',': 3,
  '；': 3,
  ';': 3,
  '：': 3,
  ':': 3,
  '…': 3,
  '—': 3,
  '–': 3,
  '（': 3,
  '）': 3,
  '(': 3,
  ')': 3,
  '～': 3,
  '~': 3,
  // Enumeration comma: a short pause.
  '、': 2,
  '·': 1,
  '・': 1,
  // Quotes and title marks are not pronounced and, in read speech, barely paused.
  '“': 0,
  '”': 0,
  '‘': 0,
  '’': 0,
  '"': 0,
  "'": 0,
  '《': 0,
  '》': 0,
  '〈': 0,
  '〉': 0,
  '「': 0,
  '」': 0,
  '『': 0,
  '』': 0,
  '【': 0,
  '】': 0,
  '[': 0,
  ']': 0,
};

/** Pause level for a punctuation character, or undefined if it is not punctuation we know. */
export function pauseLevel(char: string): BreakLevel | undefined {
  return PAUSES[char];
}

/** Characters that end a sentence (used by the sentence splitter). */
export const SENTENCE_END = new Set(['。', '！', '？', '!', '?', '｡']);

/** Closing marks that stay with the sentence they close (。” belongs before the split). */
export const CLOSING_MARKS = new Set(['”', '’', '"', "'", '）', ')', '》', '」', '』', '】', ']']);
