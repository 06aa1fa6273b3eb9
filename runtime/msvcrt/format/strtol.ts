// strtol / strtoul / _strtoi64 / _strtoui64 / wcstol ... and atoi / atol / _atoi64 of msvcrt.dll.
// strto*: leading C-locale whitespace, one sign, base 0 (0x -> 16, 0 -> 8, else 10) or 2..36,
// an optional 0x/0X for base 16. If no digit follows (including "0x" with no hex digit), nothing
// is converted and endptr = nptr. On overflow the result clamps (LONG_MAX/LONG_MIN for signed,
// ULONG_MAX for unsigned) with ERANGE; for the unsigned functions the sign is applied after the
// clamp, as in the CRT, so strtoul("-4294967296") is 1 with ERANGE and strtoul("-1") is
// 4294967295 without error. An invalid base returns 0 with EINVAL.
// ato*: no overflow check at all; the value wraps modulo 2^32 (2^64 for _atoi64).

import { EINVAL, ERANGE, type Errno } from './errno.js';
import { digitValue, isCSpace, isDigit } from './ctype.js';

export interface StrtolResult {
  /** Already reduced to the function's type: signed for strtol/_strtoi64, unsigned otherwise. */
  value: bigint;
  end: number;
  errno: Errno;
}

export type IntegerKind = 'long' | 'ulong' | 'int64' | 'uint64';

export function strtoInteger(text: string, base: number, kind: IntegerKind): StrtolResult {
  const bits = kind === 'long' || kind === 'ulong' ? 32 : 64;
  const unsigned = kind === 'ulong' || kind === 'uint64';
  if (base < 0 || base === 1 || base > 36) return { value: 0n, end: 0, errno: EINVAL };
  let i = 0;
  while (i < text.length && isCSpace(text.charCodeAt(i))) i++;
  let negative = false;
  const c0 = text.charCodeAt(i);
  if (c0 === 0x2d || c0 === 0x2b) { negative = c0 === 0x2d; i++; }
  const isX = (k: number) => text.charCodeAt(k) === 0x78 || text.charCodeAt(k) === 0x58;
  if (base === 0) {
    if (text.charCodeAt(i) !== 0x30) base = 10;
    else if (isX(i + 1)) base = 16;
    else base = 8;
  }
  if (base === 16 && text.charCodeAt(i) === 0x30 && isX(i + 1)) i += 2;

  const maxUnsigned = (1n << BigInt(bits)) - 1n;
  const bigBase = BigInt(base);
  let number = 0n;
  let sawDigit = false;
  let overflow = false;
  while (i < text.length) {
    const d = digitValue(text.charCodeAt(i));
    if (d >= base) break;
    sawDigit = true;
    const next = number * bigBase + BigInt(d);
    if (next > maxUnsigned) overflow = true;
    else number = next;
    i++;
  }
  if (!sawDigit) return { value: 0n, end: 0, errno: 0 };

  let errno: Errno = 0;
  const signedMax = (1n << BigInt(bits - 1)) - 1n;
  if (overflow || (!unsigned && (negative ? number > signedMax + 1n : number > signedMax))) {
    errno = ERANGE;
    number = unsigned ? maxUnsigned : negative ? signedMax + 1n : signedMax;
  }
  if (negative) number = BigInt.asUintN(bits, -number);
  const value = unsigned ? BigInt.asUintN(bits, number) : BigInt.asIntN(bits, number);
  return { value, end: i, errno };
}

/** atoi / atol (bits 32) and _atoi64 (bits 64): wrap-around accumulation, no errno. */
export function atoInteger(text: string, bits: 32 | 64): bigint {
  let i = 0;
  while (i < text.length && isCSpace(text.charCodeAt(i))) i++;
  let negative = false;
  const c0 = text.charCodeAt(i);
  if (c0 === 0x2d || c0 === 0x2b) { negative = c0 === 0x2d; i++; }
  let total = 0n;
  while (i < text.length && isDigit(text.charCodeAt(i))) {
    total = BigInt.asUintN(bits, total * 10n + BigInt(text.charCodeAt(i) - 0x30));
    i++;
  }
  return BigInt.asIntN(bits, negative ? -total : total);
}
