import * as fs from 'fs';
import * as path from 'path';
import { findDataRoot } from '@diffgan/core-models';
import { alignAndCount, evaluateFrontEnd } from './evaluate';

describe('alignAndCount', () => {
  it('counts identical tokens position by position when lengths agree', () => {
    expect(alignAndCount(['ni2', 'hao3'], ['ni3', 'hao3'])).toMatchObject({ correct: 1, gold: 2 });
  });

  it('aligns around a merged erhua syllable instead of shifting everything', () => {
    // gold merged 玩儿 into one syllable, we read 儿 separately
    const r = alignAndCount(['wanr2', 'qu4', 'ba5'], ['wan2', 'er2', 'qu4', 'ba5']);
    expect(r.correct).toBe(2);
    expect(r.gold).toBe(3);
  });

  it('counts deletions as errors', () => {
    expect(alignAndCount(['a1', 'b2', 'c3'], ['a1', 'c3'])).toMatchObject({ correct: 2, gold: 3, confusions: [['b2', '-']] });
  });
});

const root = findDataRoot();
const haveLabels = root !== undefined && fs.existsSync(path.join(root, 'tts', 'bznsyp', 'labels_000001-009800.tsv'));
(haveLabels ? describe : describe.skip)('accuracy on the corpus labels (regression guard)', () => {
  // A slice of the held-apart ids keeps the suite fast; the full figures come from evaluate.ts.
  it('stays at or above 97.5% syllable accuracy on held-apart ids 9001-9800 (marks and plain text)', () => {
    const marked = evaluateFrontEnd({ fromId: 9001, toId: 9800 });
    expect(marked.sentences).toBe(800);
    expect(marked.accuracy).toBeGreaterThanOrEqual(0.975);
    const plain = evaluateFrontEnd({ fromId: 9001, toId: 9800, plain: true });
    expect(plain.accuracy).toBeGreaterThanOrEqual(0.975);
  });
});
