import { normalizeText, TextToken } from './normalize';

/** The text of all tokens that are read (hanzi and numerals), concatenated. */
function spoken(tokens: TextToken[]): string {
  return tokens.map((t) => (t.kind === 'hanzi' || t.kind === 'numeral' ? t.text : '')).join('');
}

describe('normalizeText numbers', () => {
  it.each([
    ['2024年3月5日', '二零二四年三月五日'],
    ['2024-03-05', '二零二四年三月五日'],
    ['2024年12月31号', '二零二四年十二月三十一号'],
    ['1998年', '一九九八年'],
    ['12.5%', '百分之十二点五'],
    ['-3.5%', '负百分之三点五'],
    ['10:30', '十点三十分'],
    ['10:05', '十点零五分'],
    ['8:00', '八点'],
    ['13800138000', '幺三八零零幺三八零零零'],
    ['+86 13800138000', '幺三八零零幺三八零零零'],
    ['010-62345678', '零幺零六二三四五六七八'],
    ['气温-5度', '气温负五度'],
    ['3/4', '四分之三'],
    ['1,234,567', '一百二十三万四千五百六十七'],
    ['007', '零零七'],
    ['３个', '三个'],
  ])('%s -> %s', (input, expected) => {
    expect(spoken(normalizeText(input).tokens)).toBe(expected);
  });

  it('keeps digits as numerals (read with citation tones) separate from hanzi', () => {
    const { tokens } = normalizeText('共3人');
    expect(tokens.map((t) => t.kind)).toEqual(['hanzi', 'numeral', 'hanzi']);
  });
});

describe('normalizeText punctuation and symbols', () => {
  it('maps full- and half-width punctuation to pauses of a few strengths', () => {
    const pauses = normalizeText('甲，乙、丙。丁,戊!').tokens.filter((t) => t.kind === 'pause');
    expect(pauses.map((t) => (t.kind === 'pause' ? t.level : -1))).toEqual([3, 2, 4, 3, 4]);
  });

  it('reads corpus prosody marks', () => {
    const pauses = normalizeText('卡尔普#2陪外孙#1玩滑梯#4。').tokens.filter((t) => t.kind === 'pause');
    expect(pauses.map((t) => (t.kind === 'pause' ? [t.level, t.explicit] : []))).toEqual([
      [2, true],
      [1, true],
      [4, true],
      [4, false],
    ]);
  });

  it('drops unknown symbols and reports them instead of printing', () => {
    const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const result = normalizeText('价格@商店');
    expect(spoken(result.tokens)).toBe('价格商店');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('"@"');
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('spells Latin letters (full-width too) with a warning, or drops them', () => {
    const spelled = normalizeText('是Ｐ过的');
    const letter = spelled.tokens.find((t) => t.kind === 'letter');
    expect(letter).toEqual({ kind: 'letter', text: 'P', pinyin: ['pi4'] });
    expect(spelled.warnings[0]).toContain('spelled');
    const dropped = normalizeText('是P过的', { latin: 'drop' });
    expect(dropped.tokens.some((t) => t.kind === 'letter')).toBe(false);
    expect(dropped.warnings[0]).toContain('dropped');
  });
});
