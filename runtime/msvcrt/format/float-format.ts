// %e %f %g %a bodies as msvcrt.dll prints them: digits, decimal point and exponent, without the
// sign, sign flags or field padding (printf.ts adds those). Exponents always have three digits
// ("1.000000e+000"): msvcrt.dll's default output format; _set_output_format(_TWO_DIGIT_EXPONENT)
// is the only way to change it and is not modelled here.

import { type DecimalMantissa, roundMantissa } from './decimal.js';
import { classifyDouble } from './bits.js';

function digitAt(digits: string, i: number): string {
  return i >= 0 && i < digits.length ? digits[i] : '0';
}

function exponentText(exp: number, upper: boolean): string {
  const sign = exp < 0 ? '-' : '+';
  return (upper ? 'E' : 'e') + sign + String(Math.abs(exp)).padStart(3, '0');
}

/** Builds "int.frac" from rounded digits with the decimal point at decpt. */
function fixedFrom(digits: string, decpt: number, decimals: number, forcePoint: boolean): string {
  let text = '';
  if (decpt <= 0) text = '0';
  else for (let i = 0; i < decpt; i++) text += digitAt(digits, i);
  if (decimals > 0 || forcePoint) text += '.';
  for (let j = 0; j < decimals; j++) text += digitAt(digits, decpt + j);
  return text;
}

function scientificFrom(digits: string, decpt: number, decimals: number, forcePoint: boolean, upper: boolean, zero: boolean): string {
  let text = digitAt(digits, 0);
  if (decimals > 0 || forcePoint) text += '.';
  for (let j = 1; j <= decimals; j++) text += digitAt(digits, j);
  return text + exponentText(zero ? 0 : decpt - 1, upper);
}

/** %f: `precision` digits after the point. */
export function formatFixed(m: DecimalMantissa, precision: number, alternate: boolean): string {
  const r = roundMantissa(m, m.decpt + precision);
  return fixedFrom(r.digits, r.decpt, precision, alternate);
}

/** %e / %E: one digit, the point, `precision` digits, exponent. */
export function formatScientific(m: DecimalMantissa, precision: number, alternate: boolean, upper: boolean): string {
  const r = roundMantissa(m, precision + 1);
  return scientificFrom(r.digits, r.decpt, precision, alternate, upper, isZero(m));
}

/** %g / %G: `precision` significant digits (0 counts as 1); scientific when the exponent after
 * rounding is below -4 or not below the precision; trailing zeros cut unless '#'. Special values
 * take the fixed branch (their decimal point is after the first character), which is why
 * msvcrt prints %g of infinity as 1.#INF and %.3g as 1.#J. */
export function formatGeneral(m: DecimalMantissa, precision: number, alternate: boolean, upper: boolean): string {
  const significant = precision === 0 ? 1 : precision;
  const r = roundMantissa(m, significant);
  const exp = isZero(m) ? 0 : r.decpt - 1;
  const text = exp < -4 || exp >= significant
    ? scientificFrom(r.digits, r.decpt, significant - 1, alternate, upper, false)
    : fixedFrom(r.digits, isZero(m) ? 1 : r.decpt, significant - 1 - exp, alternate);
  return alternate ? text : cropZeros(text);
}

function isZero(m: DecimalMantissa): boolean {
  return !m.special && m.digits === '0';
}

/** Removes trailing zeros of the fraction and a point left alone, keeping any exponent. */
function cropZeros(text: string): string {
  const point = text.indexOf('.');
  if (point < 0) return text;
  let expAt = text.search(/[eE]/);
  if (expAt < 0) expAt = text.length;
  let end = expAt;
  while (end > point + 1 && text[end - 1] === '0') end--;
  if (end === point + 1) end = point;
  return text.slice(0, end) + text.slice(expAt);
}

/** %a / %A: "0x1.hhhhhhhhhhhhhp+e". Default precision shows all 13 hex digits; a shorter
 * precision rounds half up on the first dropped hex digit (msvcrt does not round to even).
 * Subnormals print as 0x0.hhh...p-1022, zero as 0x0.0000000000000p+0. Special values print
 * as 0x1.#INF000000000p+0 style strings. The returned body includes the 0x prefix. */
export function formatHex(bits: bigint, precision: number, alternate: boolean, upper: boolean): { prefix: string; body: string } {
  const prefix = upper ? '0X' : '0x';
  const cls = classifyDouble(bits);
  if (cls === 'infinity' || cls === 'qnan' || cls === 'snan' || cls === 'indefinite') {
    const word = cls === 'infinity' ? '#INF' : cls === 'indefinite' ? '#IND' : cls === 'snan' ? '#SNAN' : '#QNAN';
    const m: DecimalMantissa = { digits: '1' + word, decpt: 1, negative: false, special: true };
    const decimals = precision < 0 ? 13 : precision;
    const fraction = fixedFrom(roundMantissa(m, 1 + decimals).digits, 1, decimals, alternate);
    return { prefix, body: fraction + (upper ? 'P+0' : 'p+0') };
  }
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let lead = biased === 0 ? 0 : 1;
  let exp = biased === 0 ? (mantissa === 0n ? 0 : -1022) : biased - 1023;
  let hex = mantissa.toString(16).padStart(13, '0');
  let decimals = precision < 0 ? 13 : precision;
  if (decimals < 13) {
    const roundUp = parseInt(hex[decimals], 16) >= 8;
    let kept = decimals === 0 ? 0n : BigInt('0x' + hex.slice(0, decimals));
    if (roundUp) kept += 1n;
    if (decimals > 0 && kept >> BigInt(decimals * 4) !== 0n) { lead += 1; kept &= (1n << BigInt(decimals * 4)) - 1n; }
    if (decimals === 0 && roundUp) lead += 1;
    hex = decimals === 0 ? '' : kept.toString(16).padStart(decimals, '0');
    mantissa = kept;
  } else {
    hex = hex.padEnd(decimals, '0');
  }
  if (upper) hex = hex.toUpperCase();
  const point = decimals > 0 || alternate ? '.' : '';
  const expText = (upper ? 'P' : 'p') + (exp < 0 ? '-' : '+') + String(Math.abs(exp));
  return { prefix, body: `${lead}${point}${hex}${expText}` };
}
