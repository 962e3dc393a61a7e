import { formatRational, multiplyRational, parseRational, rationalToNumber } from './rational';

describe('rational frame rates', () => {
  it('parses ffprobe and decimal forms exactly', () => {
    expect(parseRational('30000/1001')).toEqual({ num: 30000, den: 1001 });
    expect(parseRational('25')).toEqual({ num: 25, den: 1 });
    expect(parseRational('29.97')).toEqual({ num: 2997, den: 100 });
    expect(() => parseRational('fast')).toThrow(RangeError);
  });

  it('multiplies without drift and formats for ffmpeg', () => {
    const doubled = multiplyRational(parseRational('30000/1001'), 2);
    expect(formatRational(doubled)).toBe('60000/1001');
    expect(formatRational(multiplyRational(parseRational('24/1'), 4))).toBe('96/1');
    expect(rationalToNumber(doubled)).toBeCloseTo(59.94, 2);
  });
});
