import { parseSyllable } from './syllable';

describe('parseSyllable', () => {
  it.each([
    ['zhuang1', 'zh', 'uang', 1],
    ['hao3', 'h', 'ao', 3],
    ['yi2', '', 'i', 2],
    ['you3', '', 'iou', 3],
    ['wei4', '', 'uei', 4],
    ['gui4', 'g', 'uei', 4],
    ['liu2', 'l', 'iou', 2],
    ['dun4', 'd', 'uen', 4],
    ['ju2', 'j', 'v', 2],
    ['xue2', 'x', 've', 2],
    ['yuan2', '', 'van', 2],
    ['lv4', 'l', 'v', 4],
    ['nü3', 'n', 'v', 3],
    ['er2', '', 'er', 2],
    ['wanr2', '', 'uanr', 2],
    ['de', 'd', 'e', 5],
    ['men0', 'm', 'en', 5],
  ])('%s -> %s + %s, tone %i', (input, initial, final, tone) => {
    const s = parseSyllable(input);
    expect([s.initial, s.final, s.tone]).toEqual([initial, final, tone]);
  });

  it('rejects non-pinyin', () => {
    expect(() => parseSyllable('IY1x')).toThrow();
  });
});
