import { readDigits, readInteger, readNumber } from './chinese-numbers';

describe('readInteger', () => {
  it.each([
    ['0', '零'],
    ['7', '七'],
    ['10', '十'],
    ['12', '十二'],
    ['20', '二十'],
    ['105', '一百零五'],
    ['110', '一百一十'],
    ['1001', '一千零一'],
    ['2000', '两千'],
    ['10086', '一万零八十六'],
    ['100000', '十万'],
    ['1000001', '一百万零一'],
    ['100000005', '一亿零五'],
    ['123456789', '一亿二千三百四十五万六千七百八十九'],
  ])('%s -> %s', (digits, expected) => {
    expect(readInteger(digits)).toBe(expected);
  });
});

describe('readNumber', () => {
  it('reads decimals digit by digit after 点', () => {
    expect(readNumber('3.14')).toBe('三点一四');
    expect(readNumber('0.05')).toBe('零点零五');
  });
  it('reads negative numbers with 负', () => {
    expect(readNumber('-5')).toBe('负五');
    expect(readNumber('−12.5')).toBe('负十二点五');
  });
});

describe('readDigits', () => {
  it('reads years digit by digit', () => {
    expect(readDigits('2024')).toBe('二零二四');
  });
  it('reads 1 as 幺 in phone style', () => {
    expect(readDigits('110', '幺')).toBe('幺幺零');
  });
});
