/**
 * Sentence splitting that streams: it walks the input once and yields each
 * sentence as a slice, so a huge text never becomes one big array of sentences.
 * A sentence ends at 。！？!? (plus any closing quotes/brackets right after it)
 * or at a line break. Over-long sentences are cut at the last clause mark
 * (，；：、) before `maxLength` so downstream synthesis sees bounded input.
 */
import { CLOSING_MARKS, SENTENCE_END } from './punctuation';

export interface SplitOptions {
  /** Cut sentences longer than this many UTF-16 units at a clause mark (or hard). Default 200. */
  maxLength?: number;
}

const CLAUSE_MARKS = new Set(['，', ',', '；', ';', '：', '、']);

/** Yields the sentences of `text` in order, trimmed, skipping empty ones. */
export function* splitSentences(text: string, options: SplitOptions = {}): Generator<string> {
  const maxLength = options.maxLength ?? 200;
  let start = 0;
  let lastClause = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    let end = -1;
    if (SENTENCE_END.has(c)) {
      end = i + 1;
      while (end < text.length && (SENTENCE_END.has(text[end]) || CLOSING_MARKS.has(text[end]))) end++;
    } else if (c === '\n' || c === '\r') {
      end = i + 1;
    } else if (i - start + 1 >= maxLength) {
      end = lastClause > start ? lastClause + 1 : i + 1;
    } else if (CLAUSE_MARKS.has(c)) {
      lastClause = i;
    }
    if (end >= 0) {
      const sentence = text.slice(start, end).trim();
      if (sentence !== '') yield sentence;
      start = end;
      i = end - 1;
      lastClause = -1;
    }
  }
  const rest = text.slice(start).trim();
  if (rest !== '') yield rest;
}

/**
 * Same for text arriving in chunks (e.g. a file read stream): only the unfinished
 * tail of the previous chunk is carried over.
 */
export function* splitSentenceChunks(chunks: Iterable<string>, options: SplitOptions = {}): Generator<string> {
  let carry = '';
  for (const chunk of chunks) {
    const text = carry + chunk;
    let pending: string | undefined;
    let consumed = 0;
    for (const sentence of splitSentences(text, options)) {
      if (pending !== undefined) yield pending;
      pending = sentence;
      consumed = text.indexOf(sentence, consumed) + sentence.length;
    }
    // The last sentence of a chunk may continue in the next one: hold it back.
    carry = pending === undefined ? '' : text.slice(consumed - pending.length);
  }
  const rest = carry.trim();
  if (rest !== '') yield* splitSentences(rest, options);
}
