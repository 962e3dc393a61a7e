/**
 * Frame rates as exact fractions. NTSC rates such as 30000/1001 cannot be
 * written as floats without drift, and ffmpeg accepts "num/den" everywhere.
 */
export interface Rational {
  num: number;
  den: number;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

export function rational(num: number, den = 1): Rational {
  if (!Number.isInteger(num) || !Number.isInteger(den) || den === 0) {
    throw new RangeError(`not a rational: ${num}/${den}`);
  }
  const sign = den < 0 ? -1 : 1;
  const g = gcd(num, den);
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/** Parses "30000/1001", "25" or "29.97" (decimals become exact fractions). */
export function parseRational(text: string): Rational {
  const trimmed = text.trim();
  const slash = trimmed.split('/');
  if (slash.length === 2) return rational(Number(slash[0]), Number(slash[1]));
  const match = /^(\d+)(?:\.(\d+))?$/.exec(trimmed);
  if (!match) throw new RangeError(`not a rational: "${text}"`);
  const decimals = match[2] ?? '';
  return rational(Number(match[1] + decimals), 10 ** decimals.length);
}

/** A rate greater than 0 ("60", "59.94", "60000/1001"), else undefined (also for "0/0", "N/A", ""). */
export function positiveRational(text: string | undefined): Rational | undefined {
  if (!text) return undefined;
  try {
    const r = parseRational(text);
    return r.num > 0 ? r : undefined;
  } catch {
    return undefined;
  }
}

export function multiplyRational(r: Rational, factor: number): Rational {
  return rational(r.num * factor, r.den);
}

export function rationalToNumber(r: Rational): number {
  return r.num / r.den;
}

export function formatRational(r: Rational): string {
  return `${r.num}/${r.den}`;
}
