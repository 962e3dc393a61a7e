/**
 * Spelling Arabic numerals as Chinese numerals (text only; pinyin comes later).
 */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const SMALL_UNITS = ['', '十', '百', '千'];
/** 万 groups: 10^4, 10^8, 10^12 (万亿). */
const GROUP_UNITS = ['', '万', '亿', '万亿'];

/** Reads a run of digits one by one ("2024" -> "二零二四"); 1 can be read 幺 (phone style). */
export function readDigits(digits: string, one: '一' | '幺' = '一'): string {
  let out = '';
  for (const d of digits) {
    const n = Number(d);
    out += n === 1 ? one : DIGITS[n];
  }
  return out;
}

/** Reads 0..9999 within one 万 group, without the leading-zero 零. */
function readGroup(n: number): string {
  let out = '';
  let pendingZero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += DIGITS[d] + SMALL_UNITS[pos];
  }
  return out;
}

/**
 * Reads a non-negative integer given as a digit string, e.g. "10086" -> "一万零八十六".
 * Numbers longer than 16 digits are read digit by digit (nobody says them as a quantity).
 */
export function readInteger(digits: string): string {
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  if (trimmed.length > 16) return readDigits(trimmed);
  if (/^0+$/.test(trimmed)) return '零';
  const groups: number[] = [];
  for (let end = trimmed.length; end > 0; end -= 4) {
    groups.unshift(Number(trimmed.slice(Math.max(0, end - 4), end)));
  }
  let out = '';
  let pendingZero = false;
  groups.forEach((group, i) => {
    const unit = GROUP_UNITS[groups.length - 1 - i];
    if (group === 0) {
      if (out !== '') pendingZero = true;
      return;
    }
    // A gap inside a group boundary (e.g. 1,0005) is read with one 零.
    if (out !== '' && (pendingZero || group < 1000)) out += '零';
    pendingZero = false;
    out += readGroup(group) + unit;
  });
  // Spoken style: 10-19 at the start drop the leading 一 (十二, not 一十二).
  if (/^一十/.test(out)) out = out.slice(1);
  // 两 rather than 二 before 千/万/亿 at the very start (两千, 两万); 二百 stays.
  out = out.replace(/^二(?=[千万亿])/, '两');
  return out;
}

/** Reads a decimal number string such as "3.14" or "-0.5". */
export function readNumber(text: string): string {
  const m = /^([-+−]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a number: "${text}"`);
  const sign = m[1] === '-' || m[1] === '−' ? '负' : '';
  const fraction = m[3] === undefined ? '' : '点' + readDigits(m[3]);
  return sign + readInteger(m[2]) + fraction;
}
