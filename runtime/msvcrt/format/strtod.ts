// strtod / atof / wcstod of msvcrt.dll. The accepted syntax is the old CRT's, not C99's:
//   [whitespace] [+|-] digits [. digits] [(e|E|d|D) [+|-] digits]
// No hexadecimal floats and no "inf"/"nan" words: strtod("0x1p3") parses "0" and stops at 'x'.
// The Fortran-style 'd'/'D' exponent is accepted. An exponent marker without digits is not
// consumed ("1e+" converts "1"). Results are correctly rounded to nearest-even; out-of-range
// results set ERANGE (overflow gives +-inf, HUGE_VAL; underflow to zero or into the subnormal
// range also reports ERANGE, as msvcrt does). msvcrt's strtod stores errno on every call, 0 on
// success, so callers should write `errno` back even when it is 0.

import { ERANGE, type Errno } from './errno.js';
import { isCSpace, isDigit } from './ctype.js';

export interface StrtodResult {
  value: number;
  /** Index of the first unconverted character; 0 when nothing was converted (endptr = nptr). */
  end: number;
  errno: Errno;
}

const DBL_MIN = 2.2250738585072014e-308;

/** Parses `text` (char codes as a string: bytes for strtod, UTF-16 units for wcstod). */
export function strtod(text: string): StrtodResult {
  let i = 0;
  while (i < text.length && isCSpace(text.charCodeAt(i))) i++;
  const scanned = scanDecimal(text, i, true);
  if (!scanned) return { value: 0, end: 0, errno: 0 };
  return { ...decimalValue(scanned), end: scanned.end };
}

export interface ScannedDecimal {
  negative: boolean;
  /** All mantissa digits, integer and fraction part, leading zeros included. */
  digits: string;
  /** Decimal exponent to apply to `digits` read as an integer. */
  exponent: number;
  end: number;
}

/** Scans the decimal syntax at `start`. `fortranExponent` also accepts 'd'/'D' (strtod does,
 * scanf does not). Returns null when there are no mantissa digits. */
export function scanDecimal(text: string, start: number, fortranExponent: boolean): ScannedDecimal | null {
  let i = start;
  let negative = false;
  const c0 = text.charCodeAt(i);
  if (c0 === 0x2d || c0 === 0x2b) { negative = c0 === 0x2d; i++; }
  let digits = '';
  let fractionDigits = 0;
  while (i < text.length && isDigit(text.charCodeAt(i))) digits += text[i++];
  if (text.charCodeAt(i) === 0x2e) {
    let j = i + 1;
    while (j < text.length && isDigit(text.charCodeAt(j))) { digits += text[j++]; fractionDigits++; }
    if (digits.length > 0) i = j;
  }
  if (digits.length === 0) return null;
  let exponent = -fractionDigits;
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45 || (fortranExponent && (e === 0x64 || e === 0x44))) {
    let j = i + 1;
    let expNegative = false;
    const s = text.charCodeAt(j);
    if (s === 0x2d || s === 0x2b) { expNegative = s === 0x2d; j++; }
    if (isDigit(text.charCodeAt(j))) {
      let value = 0;
      while (j < text.length && isDigit(text.charCodeAt(j))) {
        value = Math.min(value * 10 + (text.charCodeAt(j) - 0x30), 1e9);
        j++;
      }
      exponent += expNegative ? -value : value;
      i = j;
    }
  }
  return { negative, digits, exponent, end: i };
}

/** The correctly rounded double of a scanned decimal, with msvcrt's range errors. */
export function decimalValue(d: ScannedDecimal): { value: number; errno: Errno } {
  const significant = d.digits.replace(/^0+/, '');
  if (significant.length === 0) return { value: d.negative ? -0 : 0, errno: 0 };
  // Keep the exponent text small; anything past these bounds is 0 or infinity anyway.
  const exp = Math.max(Math.min(d.exponent, 1e6), -1e6 - significant.length);
  const magnitude = Number(`${significant}e${exp}`);
  const value = d.negative ? -magnitude : magnitude;
  const errno: Errno = !Number.isFinite(magnitude) || magnitude < DBL_MIN ? ERANGE : 0;
  return { value, errno };
}

/** atof: strtod's value (msvcrt's atof is strtod without endptr, errno included). */
export function atof(text: string): { value: number; errno: Errno } {
  const r = strtod(text);
  return { value: r.value, errno: r.errno };
}
