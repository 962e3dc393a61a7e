/**
 * Traditional -> simplified characters before the pinyin lookup, so traditional text is read
 * as its simplified form (the lexicon's phrases, polyphone rules and word lists are simplified:
 * read directly, 們 lost men5, 說說 and 還是 their phrase readings).
 *
 * The converter is opencc-js (OpenCC's dictionaries in JavaScript, maintained), its `t2cn`
 * part only, chaining the Hong Kong and Taiwan variant tables before OpenCC's
 * traditional -> simplified phrases and characters: the Taiwan table brings phrase cases
 * (著急 -> 着急, 穿著 -> 穿着, while 著名 stays) that the plain `t` table misses, the Hong
 * Kong one the HK variant forms (衞 -> 卫, 粧 -> 妆) the Taiwan one leaves. Regional
 * vocabulary (`twp`: 計程車 -> 出租车) is not used: we read the words written.
 *
 * The converter (~110 KB, ~70 ms to build) is loaded only for text with a Han character
 * outside GB2312's 6,763 simplified characters; simplified text costs a set lookup.
 */
type ConverterFunction = (text: string) => string;

const HAN = /\p{Script=Han}/u;

let gb2312: Set<string> | null | undefined;

/**
 * GB2312's hanzi (rows 0xB0-0xF7), decoded with Node's ICU; null when this Node has no GBK
 * decoder (small ICU), in which case every Han text goes through the converter.
 */
function simplifiedCharacters(): Set<string> | null {
  if (gb2312 !== undefined) return gb2312;
  try {
    const bytes: number[] = [];
    for (let row = 0xb0; row <= 0xf7; row++) for (let col = 0xa1; col <= 0xfe; col++) bytes.push(row, col);
    gb2312 = new Set(new TextDecoder('gbk').decode(Uint8Array.from(bytes)));
    gb2312.delete('\ufffd');
  } catch {
    gb2312 = null;
  }
  return gb2312;
}

let converter: ConverterFunction | undefined;

function traditionalToSimplified(): ConverterFunction {
  if (!converter) {
    const { ConverterFactory, Locale } = require('opencc-js/t2cn') as typeof import('opencc-js');
    converter = ConverterFactory(...Locale.from.hk, ...Locale.from.tw, ...Locale.to.cn);
  }
  return converter;
}

/** True when `text` has a Han character that is not a GB2312 (simplified) one. */
export function hasNonSimplifiedHan(text: string): boolean {
  const simplified = simplifiedCharacters();
  for (const c of text) if (HAN.test(c) && !simplified?.has(c)) return true;
  return false;
}

/** `text` with traditional (and HK/TW variant) characters made simplified; simplified text comes back as is. */
export function toSimplified(text: string): string {
  return hasNonSimplifiedHan(text) ? traditionalToSimplified()(text) : text;
}
