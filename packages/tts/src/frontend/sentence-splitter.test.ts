import { splitSentenceChunks, splitSentences } from './sentence-splitter';

describe('splitSentences', () => {
  it('splits at sentence-final punctuation and keeps closing quotes', () => {
    expect([...splitSentences('他说：“走吧。”我们就走了！真的？好\n下一行')]).toEqual(['他说：“走吧。”', '我们就走了！', '真的？', '好', '下一行']);
  });

  it('does not split decimals or times', () => {
    expect([...splitSentences('涨了3.5%。现在10:30。')]).toEqual(['涨了3.5%。', '现在10:30。']);
  });

  it('cuts over-long sentences at the last clause mark', () => {
    const long = '甲'.repeat(8) + '，' + '乙'.repeat(8) + '，' + '丙'.repeat(8) + '。';
    const parts = [...splitSentences(long, { maxLength: 12 })];
    expect(parts.join('')).toBe(long);
    expect(parts.every((p) => p.length <= 12)).toBe(true);
  });

  it('is lazy: the first sentence of a huge text comes without scanning the rest', () => {
    const huge = '第一句。' + '很长的文本，'.repeat(200000);
    const iterator = splitSentences(huge);
    expect(iterator.next().value).toBe('第一句。');
  });

  it('gives the same sentences from chunks as from the whole string', () => {
    const text = '一二三。四五六！七八，九十？末尾';
    const chunks = ['一二', '三。四五', '六！七八，', '九十？末', '尾'];
    expect([...splitSentenceChunks(chunks)]).toEqual([...splitSentences(text)]);
  });
});
