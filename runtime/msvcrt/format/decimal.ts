// The decimal digits msvcrt.dll's printf starts from. msvcrt converts a double with its internal
// $I10_OUTPUT routine to at most 17 significant digits (rounded half away from zero); every digit
// a format asks for beyond those 17 is printed as '0' (printf("%.20f", 0.1) prints
// 0.10000000000000001000 on Windows, where glibc and the UCRT print the exact 0.10000000000000000555).
// Special values become the pseudo-digit strings "1#INF", "1#IND", "1#QNAN" and "1#SNAN" with the
// decimal point after the first character; the ordinary rounding code then produces the famous
// 1.#INF00, 1.#J (for %.2f) and 1.$ (for %.1f) spellings.

import { classifyDouble, bitsToDouble, signBit } from './bits.js';

export interface DecimalMantissa {
  /** Digit characters (may contain '#', letters for special values), no trailing-zero guarantee. */
  digits: string;
  /** Position of the decimal point relative to the first digit: value = 0.digits * 10^decpt. */
  decpt: number;
  negative: boolean;
  special: boolean;
}

export const MSVCRT_SIGNIFICANT_DIGITS = 17;

/** The 17-significant-digit mantissa of a double as msvcrt computes it. */
export function msvcrtMantissa(bits: bigint): DecimalMantissa {
  const negative = signBit(bits);
  switch (classifyDouble(bits)) {
    case 'zero':
      return { digits: '0', decpt: 1, negative, special: false };
    case 'infinity':
      return { digits: '1#INF', decpt: 1, negative, special: true };
    case 'indefinite':
      return { digits: '1#IND', decpt: 1, negative, special: true };
    case 'qnan':
      return { digits: '1#QNAN', decpt: 1, negative, special: true };
    case 'snan':
      return { digits: '1#SNAN', decpt: 1, negative, special: true };
    default: {
      // toExponential(16) is specified to pick the 17-digit n closest to x and, on a tie, the
      // larger n: exactly msvcrt's round-half-away on the magnitude.
      const text = Math.abs(bitsToDouble(bits)).toExponential(MSVCRT_SIGNIFICANT_DIGITS - 1);
      const e = text.indexOf('e');
      const digits = (text[0] + text.slice(2, e)).replace(/0+$/, '') || '0';
      return { digits, decpt: Number(text.slice(e + 1)) + 1, negative, special: false };
    }
  }
}

/** Rounds a mantissa to `count` digits the way msvcrt's _fptostr does: copy digits (padding with
 * '0'), then if the next mantissa character is >= '5' add one to the last kept character, carrying
 * through '9's. The comparison and the increment work on character codes, so '#' becomes '$' and
 * 'N' becomes 'O' for special values. A negative count keeps nothing and never rounds (the rounding
 * digit lies beyond the output). Returns the kept digits and the possibly moved decimal point. */
export function roundMantissa(m: DecimalMantissa, count: number): { digits: string; decpt: number } {
  const kept = Math.max(count, 0);
  const out: number[] = [0x30]; // leading overflow digit, as in the CRT
  for (let i = 0; i < kept; i++) out.push(i < m.digits.length ? m.digits.charCodeAt(i) : 0x30);
  let decpt = m.decpt;
  const next = count >= 0 && count < m.digits.length ? m.digits.charCodeAt(count) : 0;
  if (count >= 0 && next >= 0x35) {
    let i = out.length - 1;
    while (out[i] === 0x39) out[i--] = 0x30;
    out[i]++;
  }
  if (out[0] === 0x31) {
    decpt++; // the carry reached the overflow digit: "999" became "1000"
  } else {
    out.shift();
  }
  return { digits: String.fromCharCode(...out), decpt };
}
