import { readSentence } from './reading';
import { chunkSentence, DEFAULT_CHUNK_OPTIONS } from './chunks';
import type { SentenceReading } from './types';
import { LONG_UNPUNCTUATED } from './test-texts';

const syllables = (r: SentenceReading): number => r.units.reduce((n, u) => n + u.syllables.length, 0);

describe('chunkSentence', () => {
  it('a sentence of ordinary length is one chunk, the reading itself', () => {
    const reading = readSentence('今天天气很好我们一起去公园散步吧。');
    expect(chunkSentence(reading)).toEqual([reading]);
  });

  it('cuts a long unpunctuated text only at prosodic-unit ends, into chunks of 8-24 syllables ending in a phrase break', () => {
    const reading = readSentence(LONG_UNPUNCTUATED);
    const total = syllables(reading);
    expect(total).toBe(LONG_UNPUNCTUATED.length);
    // syllable offsets where a prosodic unit (word or longer) ends
    const unitEnds = new Set<number>();
    let offset = 0;
    for (const u of reading.units) {
      offset += u.syllables.length;
      unitEnds.add(offset);
    }
    const chunks = chunkSentence(reading);
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(total / DEFAULT_CHUNK_OPTIONS.maxSyllables));
    offset = 0;
    chunks.forEach((chunk, c) => {
      const n = syllables(chunk);
      expect(n).toBeGreaterThanOrEqual(DEFAULT_CHUNK_OPTIONS.minSyllables);
      expect(n).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxSyllables);
      offset += n;
      expect(unitEnds.has(offset)).toBe(true);
      const last = chunk.units[chunk.units.length - 1];
      expect(last.syllables[last.syllables.length - 1].breakAfter).toBe(c === chunks.length - 1 ? 4 : 3);
      expect(last.breakAfter).toBe(c === chunks.length - 1 ? 4 : 3);
    });
    expect(offset).toBe(total);
    // nothing lost or reordered: the chunks' syllables are the sentence's, breaks aside
    const flat = (rs: SentenceReading[]) => rs.flatMap((r) => r.units.flatMap((u) => u.syllables.map((s) => `${s.hanzi}:${s.pinyin}`)));
    expect(flat(chunks)).toEqual(flat([reading]));
    expect(chunks.map((c) => c.text).join('')).toBe(LONG_UNPUNCTUATED);
  });

  it('prefers punctuation to prosodic words when a long stretch has to be cut', () => {
    // 15 + 23 syllables around a comma; with a 16-syllable limit the 23-syllable clause forces a cut, and it falls on the comma
    const text = '我们明天早上八点在学校门口集合，然后大家一起坐车去城外的山上看日出和云海再回来';
    const reading = readSentence(text);
    expect(syllables(reading)).toBe(38);
    const chunks = chunkSentence(reading, { splitAboveSyllables: 16 });
    expect(chunks.map((c) => c.text)).toEqual(['我们明天早上八点在学校门口集合', '然后大家一起坐车去城外的山上看日出和云海再回来']);
  });
});
