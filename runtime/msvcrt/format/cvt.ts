// _ecvt / _fcvt of msvcrt.dll: the digit strings printf works from, exposed. Both start from the
// 17-significant-digit mantissa (digits beyond are '0') and round half up on the next digit;
// special values give their pseudo digits ("1#INF", "1#QNAN" rounded like numbers, so
// _fcvt(NAN, 2) is "1#R"). Zero gives all '0' digits and decpt 0.

import { msvcrtMantissa, roundMantissa } from './decimal.js';
import { classifyDouble } from './bits.js';

export interface CvtResult {
  digits: string;
  decpt: number;
  negative: boolean;
}

/** _ecvt(value, ndigits): `ndigits` significant digits (none when ndigits <= 0). */
export function ecvt(bits: bigint, ndigits: number): CvtResult {
  const m = msvcrtMantissa(bits);
  if (classifyDouble(bits) === 'zero') return { digits: '0'.repeat(Math.max(ndigits, 0)), decpt: 0, negative: m.negative };
  const r = roundMantissa(m, ndigits);
  return { digits: pad(r.digits, Math.max(ndigits, 0)), decpt: r.decpt, negative: m.negative };
}

/** _fcvt(value, ndec): digits up to `ndec` places after the decimal point. */
export function fcvt(bits: bigint, ndec: number): CvtResult {
  const m = msvcrtMantissa(bits);
  if (classifyDouble(bits) === 'zero') return { digits: '0'.repeat(Math.max(ndec, 0)), decpt: 0, negative: m.negative };
  const r = roundMantissa(m, m.decpt + ndec);
  return { digits: pad(r.digits, Math.max(r.decpt + ndec, 0)), decpt: r.decpt, negative: m.negative };
}

function pad(digits: string, length: number): string {
  return digits.length >= length ? digits.slice(0, length) : digits.padEnd(length, '0');
}
