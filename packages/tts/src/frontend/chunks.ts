/**
 * Long sentences -> chunks of natural length, cut at prosodic boundaries, for synthesis.
 *
 * The voice's F0 declination runs from the start of each intonational phrase (reset at breaks
 * >= 3): over a stretch far longer than the corpus ever has, it drives F0 out of the speaker's
 * range (a 200-syllable unpunctuated piece ended near 3 Hz, which the vocoder renders as loud
 * spikes). The corpus' sentences have 8-25 syllables (5th-95th percentile, median 16), its
 * intonational phrases up to 26; predicted F0 stays inside the speaker's 115-377 Hz up to
 * ~28-syllable stretches and leaves it from ~32. So a sentence with a stretch longer than
 * `splitAboveSyllables` (28) between breaks >= 3 is cut into chunks of `minSyllables`..`maxSyllables`
 * (8..24) syllables, as close to `targetSyllables` (16) as the boundaries allow, only after
 * a prosodic unit (prosodic word or longer), preferring stronger breaks (punctuation, then
 * prosodic phrases). Each chunk ends with at least an intonational-phrase break (3). The
 * corpus' own sentences are never cut (their longest stretch is 26 syllables).
 */
import type { BreakLevel } from './punctuation';
import type { ProsodicUnit, SentenceReading } from './types';

export interface ChunkOptions {
  /** A sentence is cut when a stretch between breaks >= 3 has more syllables than this. Default 28. */
  splitAboveSyllables?: number;
  /** Most syllables in a chunk (unless one prosodic unit is longer). Default 24. */
  maxSyllables?: number;
  /** Fewest syllables in a chunk (when the prosodic units allow). Default 8. */
  minSyllables?: number;
  /** Preferred chunk length. Default 16. */
  targetSyllables?: number;
}

export const DEFAULT_CHUNK_OPTIONS: Required<ChunkOptions> = { splitAboveSyllables: 28, maxSyllables: 24, minSyllables: 8, targetSyllables: 16 };

/** Cost of cutting after a break of this level: punctuation is free, a prosodic phrase cheap, a prosodic word dearer. */
const CUT_COST = [4, 0.6, 0.3, 0, 0];
/** Cost of a chunk outside the bounds (only taken when the units leave no other way). */
const OUT_OF_BOUNDS = 100;

/** Longest run of syllables without a break >= 3 inside it. */
function longestPhrase(units: ProsodicUnit[]): number {
  let longest = 0,
    run = 0;
  for (const u of units)
    for (const s of u.syllables) {
      run++;
      if (s.breakAfter >= 3) {
        longest = Math.max(longest, run);
        run = 0;
      }
    }
  return Math.max(longest, run);
}

/**
 * The sentence as one chunk when no stretch is too long, else its chunks (each a reading of
 * whole prosodic units; non-final chunks end with a break >= 3; the first keeps the warnings).
 */
export function chunkSentence(sentence: SentenceReading, options: ChunkOptions = {}): SentenceReading[] {
  const { splitAboveSyllables, maxSyllables, minSyllables, targetSyllables } = { ...DEFAULT_CHUNK_OPTIONS, ...options };
  const units = sentence.units;
  if (longestPhrase(units) <= splitAboveSyllables) return [sentence];
  // Shortest path over unit boundaries: ends[j] = syllables in units [0, j).
  const n = units.length;
  const ends = [0];
  for (const u of units) ends.push(ends[ends.length - 1] + u.syllables.length);
  const cost = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1).fill(-1);
  cost[0] = 0;
  for (let j = 1; j <= n; j++) {
    for (let i = j - 1; i >= 0; i--) {
      const length = ends[j] - ends[i];
      // Beyond the maximum only a single unit may stand alone (it cannot be cut).
      if (length > maxSyllables && j - i > 1) break;
      const bounds = length > maxSyllables || (length < minSyllables && !(i === 0 && j === n)) ? OUT_OF_BOUNDS : 0;
      const cut = j < n ? CUT_COST[units[j - 1].breakAfter] : 0;
      const c = cost[i] + ((length - targetSyllables) / targetSyllables) ** 2 + cut + bounds;
      if (c < cost[j]) {
        cost[j] = c;
        from[j] = i;
      }
    }
  }
  const cuts: number[] = [];
  for (let j = n; j > 0; j = from[j]) cuts.unshift(j);
  const chunks: SentenceReading[] = [];
  let start = 0;
  for (const end of cuts) {
    const part = units.slice(start, end);
    if (end < n) {
      // The cut is a phrase break: the chunk ends as a phrase does before a pause.
      const last = part[part.length - 1];
      const level = Math.max(3, last.breakAfter) as BreakLevel;
      const syllables = last.syllables.map((s, k) => (k === last.syllables.length - 1 ? { ...s, breakAfter: level } : s));
      part[part.length - 1] = { ...last, syllables, breakAfter: level };
    }
    chunks.push({ text: part.map((u) => u.text).join(''), units: part, warnings: start === 0 ? sentence.warnings : [] });
    start = end;
  }
  return chunks;
}
